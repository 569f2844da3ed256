"""The AF's inbox and signal page as a new user meets them (issue 14): what each row is about, one-click
assignment."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_one_click_assigns_the_signal_to_me_and_the_list_has_no_empty_choice(client, world):
    """Issue 14: 'Aan mij toewijzen', and the assignment dropdown has no '---------'."""
    from django.urls import reverse
    from tests.factories import make_signal

    from meldroute.audit.models import AuditEvent

    signal = make_signal(world.melder_a)
    client.force_login(world.af_a2)
    page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    assert 'data-testid="assign-to-me"' in page and "---------" not in page

    client.post(reverse("triage:action", args=[signal.uuid, "assign"]), {"assign-assignee": world.af_a2.pk})

    signal.refresh_from_db()
    assert signal.assigned_to == world.af_a2
    assert AuditEvent.objects.filter(action="signal.assigned", actor=world.af_a2).exists()
    page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    assert 'data-testid="assign-to-me"' not in page


def test_inbox_rows_say_what_a_signal_is_about_without_the_reporters_words(client, world):
    """Issue 14: the forms of exploitation once classified, else the first ticked signals (catalogue texts)."""
    from django.urls import reverse
    from tests.factories import make_signal

    from meldroute.intake.models import Indicator
    from meldroute.triage import services

    ticked = list(Indicator.objects.filter(is_active=True).order_by("position", "id")[:3])
    make_signal(world.melder_a, indicators=ticked, description="Geheime tekst van de melder.")
    classified = make_signal(world.melder_a)
    services.classify_signal(classified, actor=world.af_a, assessment="suspected", forms=["labour"], sector="",
                             indicators=[], means_of_control=[], route_facts={"side": "unknown"})
    client.force_login(world.af_a)

    page = client.get(reverse("triage:inbox")).content.decode()

    assert ticked[0].text[:40] in page and "Geheime tekst" not in page
    assert "Arbeidsuitbuiting" in page or "arbeid" in page.lower()
    assert "labour" not in page.split('data-testid="summary"', 1)[1][:200]
