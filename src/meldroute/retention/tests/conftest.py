"""Records at the end of their life: closed and cancelled signals with attachments, a referral, a closed case with a
victim in care. Built with the real services where they exist and a set clock, then the clock moves on."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from tests.factories import make_signal, png_upload, to_closed

from meldroute.accounts.safety_net import audited_by_service
from meldroute.care.models import CareTrajectory
from meldroute.cases.constants import CaseStatus
from meldroute.cases.models import Case
from meldroute.intake.constants import SignalStatus
from meldroute.intake.services import transition_signal
from meldroute.persons.constants import PersonRole
from meldroute.persons.models import Person
from meldroute.referrals.constants import ReferralStatus
from meldroute.referrals.models import Referral
from meldroute.triage import services as triage_services

SECRET = "Vrouw met rood haar sliep in de loods achter Geheimpad 77."


def closed_signal(world, **data):
    """A signal with an attachment, a question, feedback and an enrichment note, closed now."""
    signal = make_signal(world.melder_a, uploads=[png_upload()], description=SECRET, address="Geheimpad 77",
                         postcode="1234 AB", business_name="Nagelsalon Geheim", kvk_number="99123456", **data)
    to_closed(signal, world.af_a)
    triage_services.add_enrichment_note(signal, actor=world.af_a, source="brp", text="Jan Geheim, BSN 111222333")
    triage_services.give_feedback(signal, actor=world.af_a, text="Dank, Jan Geheim is bekend.")
    signal.refresh_from_db()
    return signal


def cancelled_signal(world):
    signal = make_signal(world.melder_a, description=SECRET)
    return transition_signal(signal, actor=world.af_a, to_status=SignalStatus.CANCELLED, text="Dubbel gemeld.")


def closed_referral(world, signal):
    with audited_by_service():
        return Referral.objects.create(
            signal=signal, sender_organisation=world.a, sender_name=world.a.name, receiver_organisation=world.police,
            receiver_name=world.police.name, receiver_partner_type="police", purpose="Jan Geheim onderzoeken",
            legal_ground="task", categories=["description"], shared_data={"description": SECRET},
            status=ReferralStatus.DONE, outcome="Jan Geheim aangehouden", created_by=world.af_a,
            closed_at=timezone.now())


def closed_case(world, signals=(), *, care: bool = True):
    """A closed case with a victim (in care, ended today, when `care`) and a suspect."""
    with audited_by_service():
        case = Case.objects.create(reference=f"C-{Case.objects.count() + 1:04d}", title="Jan Geheim, Geheimpad",
                                   municipality=world.a, opened_by=world.af_a, status=CaseStatus.CLOSED,
                                   result="prosecution", result_text="Jan Geheim veroordeeld",
                                   closed_at=timezone.now())
        case.signals.set(signals)
        victim = Person.objects.create(case=case, role=PersonRole.VICTIM, letter="A", pseudonym=f"{case.reference}-A",
                                       first_name="Eva", last_name="Geheim", bsn="111222333",
                                       birth_date=date(2001, 2, 3), created_by=world.af_a)
        suspect = Person.objects.create(case=case, role=PersonRole.SUSPECT, letter="B",
                                        pseudonym=f"{case.reference}-B", first_name="Jan", last_name="Geheim",
                                        created_by=world.af_a)
        trajectory = None
        if care:
            trajectory = CareTrajectory.objects.create(person=victim, started_on=timezone.localdate() - timedelta(
                days=30), ended_on=timezone.localdate(), created_by=world.zorgcoordinator,
                responsible_override_reason="Eva woont bij haar tante")
    return case, victim, suspect, trajectory


@pytest.fixture
def beheerder(world):
    return world.beheerder
