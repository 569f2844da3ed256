"""The AF hears that the reporter answered (issue 14), without the answer in the notification or its mail."""

import pytest
from tests.factories import make_signal

from meldroute.intake import services
from meldroute.notifications.constants import Kind
from meldroute.notifications.models import Notification, OutboxMail
from meldroute.triage import services as triage_services

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_the_reporters_answer_tells_the_af_who_asked_without_the_answer(world):
    signal = make_signal(world.melder_a)
    triage_services.assign_signal(signal, actor=world.af_a, assignee=world.af_a)
    request = triage_services.request_information(signal, actor=world.af_a, question="Welke dag was dit?")
    assert not Notification.objects.exists()

    services.answer_information_request(request, actor=world.melder_a, answer="Dinsdagochtend bij de Kerkstraat.")

    told = Notification.objects.get()
    assert told.user == world.af_a and told.kind == Kind.QUESTION_ANSWERED and signal.reference in told.text
    assert told.link.endswith(f"/inbox/{signal.uuid}/")
    stored = " ".join(str(m.context) for m in OutboxMail.objects.all())
    assert "Kerkstraat" not in told.text + stored and "Dinsdag" not in told.text + stored
