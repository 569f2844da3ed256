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


def test_a_refused_file_is_named_in_the_same_round_as_the_other_mistakes(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meldroute.intake.models import Signal

    client.force_login(world.melder_a)
    script = SimpleUploadedFile("script.exe", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/octet-stream")
    response = client.post(reverse("intake:report"), {"description": "", "reporter_team": "balie",
                                                      "persons_description": "Twee mannen", "attachments": script})

    page = response.content.decode()
    assert response.status_code == 200
    assert "script.exe" in page and "niet is toegestaan" in page  # the file
    assert "Twee mannen" in page  # the input is kept
    assert "Beschrijf kort wat u heeft gezien of gehoord." in page  # and the other field, in the same round
    assert not Signal.objects.exists()
