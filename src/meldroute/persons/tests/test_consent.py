"""Consent: who gives it (parent/guardian under 16), replacement and withdrawal, and going ahead without it only on
a legal ground with a reason and a second person's approval."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.persons import services
from meldroute.persons.models import Consent, ConsentOverride

from .helpers import add_victim, make_case

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def case(world):
    return make_case(world)


def _years_ago(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28)) - timedelta(days=30)


def test_under_16_a_parent_or_guardian_consents(world, case):
    child = add_victim(case, world.af_a, birth_date=_years_ago(14))
    with pytest.raises(DomainError) as error:
        services.record_consent(child, actor=world.af_a, kind="care", given=True, given_by="self")
    assert error.value.field == "given_by" and "16" in error.value.message
    assert not Consent.objects.exists()
    consent = services.record_consent(child, actor=world.af_a, kind="care", given=True, given_by="parent")
    assert consent.given and services.has_consent(child, "care")
    event = AuditEvent.objects.get(action="consent.recorded", target_uuid=child.uuid)
    assert event.details == {"kind": "care", "partner_type": "", "given": True, "given_by": "parent",
                             "replaces_earlier": False}


def test_a_16_year_old_consents_themselves(world, case):
    teen = add_victim(case, world.af_a, birth_date=_years_ago(16))
    assert services.record_consent(teen, actor=world.af_a, kind="care", given=True, given_by="self").pk


def test_a_minor_without_birth_date_needs_a_parent_or_guardian(world, case):
    child = add_victim(case, world.af_a, is_minor=True)
    with pytest.raises(DomainError) as error:
        services.record_consent(child, actor=world.af_a, kind="statistics", given=True, given_by="self")
    assert error.value.field == "given_by"


def test_sharing_consent_names_the_partner_type(world, case):
    v = add_victim(case, world.af_a)
    with pytest.raises(DomainError) as error:
        services.record_consent(v, actor=world.af_a, kind="sharing", given=True, given_by="self")
    assert error.value.field == "partner_type"
    services.record_consent(v, actor=world.af_a, kind="sharing", partner_type="police", given=True, given_by="self")
    assert services.has_consent(v, "sharing", "police") and not services.has_consent(v, "sharing", "shop")


def test_a_new_decision_replaces_the_earlier_one_and_withdrawal_needs_a_reason(world, case):
    v = add_victim(case, world.af_a)
    first = services.record_consent(v, actor=world.af_a, kind="care", given=True, given_by="self")
    services.record_consent(v, actor=world.af_a, kind="care", given=False, given_by="self")
    first.refresh_from_db()
    assert first.withdrawn_at is not None and not services.has_consent(v, "care")
    current = services.active_consent(v, "care")
    with pytest.raises(DomainError) as error:
        services.withdraw_consent(current, actor=world.af_a, reason=" ")
    assert error.value.field == "reason"
    services.withdraw_consent(current, actor=world.af_a, reason="Wil geen contact meer")
    assert services.active_consent(v, "care") is None
    assert AuditEvent.objects.filter(action="consent.withdrawn", target_uuid=v.uuid).count() == 1
    with pytest.raises(DomainError):
        services.withdraw_consent(current, actor=world.af_a, reason="nogmaals")


def test_with_consent_no_override_is_needed(world, case):
    v = add_victim(case, world.af_a)
    services.record_consent(v, actor=world.af_a, kind="sharing", partner_type="police", given=True, given_by="self")
    assert services.require_consent_or_ground(v, actor=world.af_a, kind="sharing", partner_type="police") is None
    assert not ConsentOverride.objects.exists()


@pytest.mark.parametrize(("kwargs", "field"), [
    ({}, "legal_ground"),
    ({"legal_ground": "consent", "reason": "Omdat het moet, echt waar.", "approver": "af_a2"}, "legal_ground"),
    ({"legal_ground": "vital_interest", "reason": "kort", "approver": "af_a2"}, "reason"),
    ({"legal_ground": "vital_interest", "reason": "Acuut gevaar voor het slachtoffer."}, "approver"),
    ({"legal_ground": "vital_interest", "reason": "Acuut gevaar voor het slachtoffer.", "approver": "af_a"},
     "approver"),
    ({"legal_ground": "vital_interest", "reason": "Acuut gevaar voor het slachtoffer.", "approver": "melder_a"},
     "approver"),
    ({"legal_ground": "vital_interest", "reason": "Acuut gevaar voor het slachtoffer.", "approver": "af_b"},
     "approver"),
])
def test_without_consent_a_ground_a_reason_and_another_approver_are_required(world, case, kwargs, field):
    v = add_victim(case, world.af_a)
    services.record_consent(v, actor=world.af_a, kind="sharing", partner_type="police", given=False, given_by="self")
    if "approver" in kwargs:
        kwargs = {**kwargs, "approver": getattr(world, kwargs["approver"])}
    with pytest.raises(DomainError) as error:
        services.require_consent_or_ground(v, actor=world.af_a, kind="sharing", partner_type="police", **kwargs)
    assert error.value.field == field and error.value.code == "consent_required"
    assert not ConsentOverride.objects.exists()
    assert not AuditEvent.objects.filter(action="consent.override").exists()


def test_an_approved_override_is_recorded_and_audited(world, case):
    v = add_victim(case, world.af_a)
    override = services.require_consent_or_ground(
        v, actor=world.af_a, kind="sharing", partner_type="police", legal_ground="vital_interest",
        reason="Acuut gevaar voor het slachtoffer.", approver=world.procesregisseur)
    assert override.approver == world.procesregisseur and override.legal_ground == "vital_interest"
    event = AuditEvent.objects.get(action="consent.override", target_uuid=v.uuid)
    assert event.details["approver"] == "procesregisseur" and "gevaar" not in str(event.details)


def test_registering_with_comensha_needs_consent_or_a_ground(world, case):
    v = add_victim(case, world.af_a)
    with pytest.raises(DomainError) as error:
        services.register_with_comensha(v, actor=world.zorgcoordinator)
    assert error.value.code == "consent_required"
    services.record_consent(v, actor=world.zorgcoordinator, kind="statistics", given=True, given_by="self")
    services.register_with_comensha(v, actor=world.zorgcoordinator)
    v.refresh_from_db()
    assert v.registered_with_comensha_at is not None
    assert AuditEvent.objects.get(action="person.registered_comensha").details == {"on_consent": True}
    with pytest.raises(DomainError):
        services.register_with_comensha(v, actor=world.zorgcoordinator)


def test_the_zorgcoordinator_records_only_care_and_statistics(world, case):
    v = add_victim(case, world.af_a)
    with pytest.raises(DomainError) as error:
        services.record_consent(v, actor=world.zorgcoordinator, kind="sharing", partner_type="police", given=True,
                                given_by="self")
    assert error.value.code == "forbidden"
    with pytest.raises(DomainError):
        services.record_consent(v, actor=world.af_b, kind="care", given=True, given_by="self")


def test_consent_page_records_and_keeps_input_on_a_refusal(client, world, case):
    v = add_victim(case, world.af_a, birth_date=_years_ago(13))
    client.force_login(world.af_a)
    assert client.get(reverse("persons:consent", args=[v.uuid])).status_code == 200
    url = reverse("persons:consent_action", args=[v.uuid, "record"])
    data = {"record-kind": "care", "record-given": "yes", "record-given_by": "self",
            "record-given_on": timezone.localdate().isoformat()}
    response = client.post(url, data)
    assert response.status_code == 200 and "jonger dan 16" in response.content.decode()
    response = client.post(url, {**data, "record-given_by": "guardian"})
    assert response.status_code == 302 and services.has_consent(v, "care")
    override_url = reverse("persons:consent_action", args=[v.uuid, "override"])
    response = client.post(override_url, {"override-kind": "sharing", "override-partner_type": "police",
                                          "override-legal_ground": "vital_interest", "override-reason": "Te kort"})
    assert response.status_code == 200 and "Te kort" in response.content.decode()
    assert not ConsentOverride.objects.exists()
