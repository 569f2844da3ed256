"""The acute receipt gives the reporter the next action (issue 14): who was alerted, the number to call, and 112."""

import pytest
from django.urls import reverse
from tests.factories import make_signal

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def receipt(client, user, signal):
    client.force_login(user)
    return client.get(reverse("intake:receipt", args=[signal.uuid])).content.decode()


def test_an_acute_receipt_names_the_alerted_af_the_number_to_call_and_112(client, world):
    world.a.acute_phone = "0123-456789"
    world.a.save()
    signal = make_signal(world.melder_a, is_acute=True)

    page = receipt(client, world.melder_a, signal)

    assert "Bij direct gevaar: bel 112." in page
    assert "0123-456789" in page
    assert (world.af_a.get_full_name() or world.af_a.username) in page


def test_an_absent_af_is_named_with_the_achtervang(client, world):
    from datetime import timedelta

    from django.utils import timezone

    world.af_a.absent_until = timezone.localdate() + timedelta(days=3)
    world.af_a.save()
    signal = make_signal(world.melder_a, is_acute=True)

    page = receipt(client, world.melder_a, signal)
    present = [u for u in (world.af_a, world.af_a2) if not u.is_absent()] if hasattr(world, "af_a2") else []
    for af in present:
        assert (af.get_full_name() or af.username) in page
    assert "Bel nu de aandachtsfunctionaris" in page  # no number configured: still a next action


def test_a_soft_signals_receipt_has_no_acute_instructions(client, world):
    signal = make_signal(world.melder_a)
    page = receipt(client, world.melder_a, signal)
    assert "Wat u nu doet" not in page and "bel 112" not in page
