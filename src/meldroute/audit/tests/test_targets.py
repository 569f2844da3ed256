"""Every audited model names its target once (`audit_target`); the names stored in the chains never change."""

import pytest

from meldroute.accounts.models import ApiToken, User
from meldroute.audit.models import AuditEvent
from meldroute.audit.targets import target_of
from meldroute.care.models import CareTrajectory
from meldroute.cases.models import Case, Intervention
from meldroute.intake.models import Attachment, Signal
from meldroute.meetings.models import Meeting
from meldroute.organisations.models import Organisation, Region
from meldroute.partners.models import SharingRule
from meldroute.persons.aggregates import VictimRecord
from meldroute.persons.models import Person
from meldroute.referrals.models import Referral
from meldroute.routing.models import RouteDefinition

# The names already in the audit chain and the access log: a rename here would split a target's history in two.
STORED_NAMES = [
    (Signal, "intake.signal"),
    (Attachment, "intake.attachment"),
    (Case, "cases.case"),
    (Intervention, "cases.intervention"),
    (Person, "persons.person"),
    (CareTrajectory, "care.trajectory"),
    (Referral, "referrals.referral"),
    (RouteDefinition, "routing.routedefinition"),
    (Meeting, "meetings.meeting"),
    (User, "accounts.user"),
    (ApiToken, "accounts.apitoken"),
    (SharingRule, "partners.sharingrule"),
    (Region, "organisations.region"),
    (Organisation, "organisations.organisation"),
    (VictimRecord, "persons.person"),  # monitoring's CoMensha export logs each exported victim as their person
]


@pytest.mark.parametrize(("model", "name"), STORED_NAMES, ids=[name for _, name in STORED_NAMES])
def test_target_names_stay_as_stored(model, name):
    assert target_of(model) == name


def test_an_instance_is_named_as_its_model():
    assert target_of(CareTrajectory()) == "care.trajectory"


def test_a_model_without_a_target_name_is_refused():
    with pytest.raises(TypeError, match="audit_target"):
        target_of(AuditEvent)  # the chain's own rows are no target
