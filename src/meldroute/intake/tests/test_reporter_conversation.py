"""The reporter keeps the conversation (issue 14): after answering, the question and the answer stay on the page, and
the list says "Er is een vraag aan u" once."""

import pytest
from django.urls import reverse
from tests.factories import make_signal

from meldroute.triage import services as triage_services

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_after_answering_the_question_and_answer_stay_visible(client, world):
    signal = make_signal(world.melder_a)
    triage_services.assign_signal(signal, actor=world.af_a, assignee=world.af_a)
    request = triage_services.request_information(signal, actor=world.af_a, question="Welke dag was dit precies?")
    client.force_login(world.melder_a)

    listing = client.get(reverse("intake:mine")).content.decode()
    assert listing.lower().count("er is een vraag aan u") == 1

    response = client.post(reverse("intake:my_signal", args=[signal.uuid]), {"answer": "Dinsdagochtend."},
                           follow=True)
    page = response.content.decode()
    assert "Welke dag was dit precies?" in page and "Dinsdagochtend." in page
    assert 'data-testid="answered-question"' in page
    request.refresh_from_db()
    assert request.answered_at is not None
