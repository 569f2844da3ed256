"""A case of municipality A with a victim (the data subject) and a suspect, a signal whose texts name both, a referral
of that signal, consent and care; the FGs of A, B and the ZVH."""

from datetime import date
from types import SimpleNamespace

import pytest
from tests.factories import UserFactory, make_signal

from meldroute.accounts.constants import Role
from meldroute.care import services as care_services
from meldroute.partners.constants import DataCategory, LegalGround
from meldroute.partners.services import ensure_default_sharing_rules
from meldroute.persons import services as person_services
from meldroute.persons.tests.helpers import BSN_A, BSN_B, add_suspect, add_victim, make_case
from meldroute.referrals import services as referral_services

VICTIM = ("Zwaantje", "Testpersoon")
SUSPECT = ("Gerrit", "Verzonnen")


@pytest.fixture
def fg(world):
    return UserFactory(username="fg_a", organisation=world.a, roles=[Role.FG])


@pytest.fixture
def fg_b(world):
    return UserFactory(username="fg_b", organisation=world.b, roles=[Role.FG])


@pytest.fixture
def story(world):
    ensure_default_sharing_rules()
    signal = make_signal(world.melder_a, description="Zwaantje Testpersoon werkt dag en nacht; Gerrit Verzonnen "
                                                     "haalt haar op.",
                         persons_description="Vrouw (Zwaantje) en een man, Gerrit Verzonnen, BSN 123456782.")
    case = make_case(world)
    case.signals.add(signal)
    victim = add_victim(case, world.af_a, birth_date=date(1998, 2, 3), address="Bedachtlaan 4, Aadorp")
    suspect = add_suspect(case, world.af_a, bsn=BSN_B, address="Verzonnenweg 9, Aadorp")
    referral = referral_services.create_referral(
        signal, actor=world.af_a, receiver_organisation=world.police, purpose="Onderzoek naar Gerrit Verzonnen",
        legal_ground=LegalGround.PUBLIC_TASK, categories=[DataCategory.DESCRIPTION, DataCategory.PERSONS])
    person_services.record_consent(victim, actor=world.zorgcoordinator, kind="care", given=True, given_by="self",
                                   given_on=date(2026, 5, 1))
    trajectory = care_services.start_trajectory(victim, actor=world.zorgcoordinator, started_on=date(2026, 5, 1),
                                                found_municipality=world.a)
    care_services.add_placement(trajectory, actor=world.zorgcoordinator, kind="vrouwenopvang",
                                provider="Opvang Fictief", started_on=date(2026, 5, 2))
    return SimpleNamespace(signal=signal, case=case, victim=victim, suspect=suspect, referral=referral,
                           bsn=BSN_A, suspect_bsn=BSN_B)
