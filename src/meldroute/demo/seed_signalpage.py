"""The AF's signal page (issue 14): one Veenhorst signal whose timeline ("Verloop") shows every kind of event.

A signal last week's screeningsoverleg decided to keep monitoring (seed_meetings) gets the rest of a signal's life
through the services: the AF OOV gives it to the AF Zorg, who adds enrichment, asks the (fake, local) BRP and KvK
with a purpose, classifies, asks the reporter a question that is answered, refers it to the police, opens a case
and writes the feedback.
The BRP answer offers its person to be taken into that case. All names and numbers are fictional."""

from datetime import timedelta
from typing import Any

from django.test.utils import override_settings
from django.utils import timezone

from meldroute.cases import services as case_services
from meldroute.intake import services as intake_services
from meldroute.intake.constants import SignalStatus
from meldroute.intake.models import Signal
from meldroute.meetings.models import AgendaItem
from meldroute.referrals import services as referral_services
from meldroute.routing.constants import Decision
from meldroute.triage import fake_services
from meldroute.triage import services as triage_services
from meldroute.triage.constants import Assessment

from .clock import frozen_now

PURPOSE = "Nagaan wie er op het adres woont en welk bedrijf er zit (demo)"


ASKABLE = [SignalStatus.RECEIVED, SignalStatus.IN_TRIAGE, SignalStatus.IN_ROUTE, SignalStatus.REOPENED]


def full_timeline_signal(orgs: dict[str, Any]) -> Signal | None:
    """A Veenhorst signal from a reporter that a table decided on, still where a question can be asked (so a
    question, a referral and a case can follow); the one kept on monitoring first."""
    items = (AgendaItem.objects.filter(signal__municipality=orgs["GM9901"], signal__reporter__isnull=False,
                                       decided_at__isnull=False, signal__status__in=ASKABLE)
             .select_related("signal").order_by("decided_at", "id"))
    ranked = sorted(items, key=lambda item: item.decision != Decision.MONITOR)
    return ranked[0].signal if ranked else None


def seed_signalpage(orgs: dict[str, Any], users: dict[str, Any]) -> Signal | None:
    signal = full_timeline_signal(orgs)
    if signal is None:
        return None
    oov, zorg = users["af.veenhorst"], users["af2.veenhorst"]
    start = timezone.now() - timedelta(hours=6)
    brp, kvk = fake_services.start_fake_services()
    try:
        registers = {**fake_services.settings_for(brp, kvk), "LOOKUP_TIMEOUT_SECONDS": 5}
        with override_settings(MELDROUTE={**_meldroute(), **registers}):
            with frozen_now(start):
                triage_services.assign_signal(signal, actor=oov, assignee=zorg)
            with frozen_now(start + timedelta(minutes=20)):
                triage_services.add_enrichment_note(signal, actor=zorg, source="wijkteam",
                                                    text="Het wijkteam kent het adres: wisselende bewoners (demo).")
                triage_services.lookup_brp(signal, actor=zorg, purpose=PURPOSE, bsn=fake_services.fake_bsn(42))
                triage_services.lookup_kvk(signal, actor=zorg, purpose=PURPOSE, name="Uitzendbureau FlexVeen")
    finally:
        brp.stop()
        kvk.stop()
    with frozen_now(start + timedelta(minutes=40)):
        triage_services.classify_signal(signal, actor=zorg, assessment=Assessment.SUSPECTED, forms=["labour"])
    with frozen_now(start + timedelta(hours=1)):
        request = triage_services.request_information(signal, actor=zorg, question="Op welke dag zag u het busje?")
    assert signal.reporter is not None
    with frozen_now(start + timedelta(hours=2)):
        intake_services.answer_information_request(request, actor=signal.reporter,
                                                   answer="Op dinsdag, rond zes uur 's ochtends.")
    signal.refresh_from_db()
    with frozen_now(start + timedelta(hours=2, minutes=30)):
        referral_services.create_referral(
            signal, actor=zorg, receiver_organisation=orgs["POL-VH"], legal_ground="zvh_covenant",
            purpose="Onderzoek naar mogelijke arbeidsuitbuiting (demo)",
            categories=["classification", "description", "location"], confirm_duplicate=True)
    with frozen_now(start + timedelta(hours=3)):
        if not signal.cases.exists():
            case_services.open_case(actor=zorg, signals=[signal], title="Uitzendbureau Havenweg (demo)")
    with frozen_now(start + timedelta(hours=4)):
        triage_services.give_feedback(signal, actor=zorg, text="Dank voor uw melding. Wij hebben er werk van gemaakt.")
    return signal


def _meldroute() -> dict[str, Any]:
    from django.conf import settings

    return dict(settings.MELDROUTE)
