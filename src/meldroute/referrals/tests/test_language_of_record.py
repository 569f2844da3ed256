"""The language of record (core.language): a user may work in English, but what Meldroute stores or sends on is
Dutch — the history lines, what a referral shares, the notifications and their mails. Each test works as an
English-speaking user (the language the middleware activates for them) and reads what others will read."""

import pytest
from django.utils import translation
from tests.factories import make_signal

from meldroute.core.jobs import run_due_jobs
from meldroute.intake.models import SignalStatusChange
from meldroute.notifications.constants import Kind
from meldroute.notifications.models import Notification, OutboxMail
from meldroute.partners.constants import DataCategory as D
from meldroute.referrals import services
from meldroute.referrals.constants import ReferralStatus
from meldroute.referrals.models import ReferralStatusChange
from meldroute.triage import services as triage_services
from meldroute.triage.constants import Assessment

from .conftest import refer

pytestmark = pytest.mark.clock


@pytest.fixture
def english():
    with translation.override("en"):
        assert translation.gettext("Signaal melden") != "Signaal melden", "the English catalogue is in use"
        yield


def test_an_english_af_refers_and_an_english_partner_answers_and_the_record_is_dutch(world, signal, english,
                                                                                      mailoutbox):
    triage_services.classify_signal(signal, actor=world.af_a, assessment=Assessment.SUSPECTED, forms=["sexual"])
    referral = refer(signal, world.af_a, to=world.police, categories=(D.SUMMARY, D.CLASSIFICATION))
    services.accept_referral(referral, actor=world.partner)
    services.complete_referral(referral, outcome="", outcome_kind="investigation", actor=world.partner)

    shared = referral.shared_data
    assert shared[D.SUMMARY]["is_acute"] == "nee"
    assert shared[D.CLASSIFICATION]["assessment"] == "Vermoedelijk slachtoffer (ernstig vermoeden)"
    history = list(SignalStatusChange.objects.filter(signal=signal).order_by("id").values_list("text", flat=True))
    assert any(line.startswith("Doorverwezen naar ") for line in history), history
    assert any(line.startswith("Uitkomst ketenpartner ontvangen") for line in history), history
    done = ReferralStatusChange.objects.get(referral=referral, to_status=ReferralStatus.DONE)
    assert done.text == "Opgepakt voor onderzoek"
    answered = [n.text for n in Notification.objects.filter(user=world.af_a, kind=Kind.REFERRAL_ANSWERED)]
    assert any(text.endswith("geaccepteerd") for text in answered) and any(text.endswith("afgerond")
                                                                         for text in answered), answered
    assert {mail.context["kind"] for mail in OutboxMail.objects.all()} == {
        "Doorverwijzing ontvangen", "Doorverwijzing beantwoord"}

    run_due_jobs()  # the worker, here in the English user's thread: the mails are Dutch all the same
    bodies = [mail.body for mail in mailoutbox]
    assert len(bodies) == OutboxMail.objects.count() >= 3
    assert all("Bekijk het in Meldroute (na inloggen):" in body for body in bodies), bodies[0]
    assert any(body.startswith("Doorverwijzing beantwoord: ") and body.split("\n")[0].endswith("geaccepteerd")
               for body in bodies), bodies


def test_a_signal_assigned_by_an_english_af_says_so_in_dutch(world, english):
    signal = make_signal(world.melder_a)
    triage_services.assign_signal(signal, actor=world.af_a, assignee=world.af_a2)
    line = SignalStatusChange.objects.filter(signal=signal).latest("id").text
    assert " wees toe aan " in line, line
