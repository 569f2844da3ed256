"""Issue 14, the AF's lookups: a typed company name is looked up even when the KvK number is prefilled."""

import pytest
from django.urls import reverse
from tests.factories import make_signal

from meldroute.triage.models import EnrichmentNote

pytestmark = pytest.mark.django_db
PURPOSE = "Nagaan wie de betrokkene is"


def post_kvk(client, signal, **data):
    url = reverse("triage:action", args=[signal.uuid, "lookup_kvk"])
    return client.post(url, {f"lookup_kvk-{k}": v for k, v in data.items()})


def test_a_typed_company_name_is_looked_up_although_the_number_is_prefilled(client, world, registers):
    signal = make_signal(world.melder_a, kvk_number="99123456", business_name="Kwekerij De Kas")
    client.force_login(world.af_a)
    # The form as the page prefills it, with another name typed over the signal's business name.
    response = post_kvk(client, signal, purpose=PURPOSE, kvk_number="99123456", name="Schoonmaakbedrijf Blinkend")
    assert response.status_code == 302
    note = EnrichmentNote.objects.get(signal=signal)
    assert "Schoonmaakbedrijf Blinkend" in note.text and "KvK 99123456" not in note.text


def test_the_prefilled_number_is_looked_up_when_the_name_is_left_as_it_was(client, world, registers):
    signal = make_signal(world.melder_a, kvk_number="99123456", business_name="Kwekerij De Kas")
    client.force_login(world.af_a)
    assert post_kvk(client, signal, purpose=PURPOSE, kvk_number="99123456",
                    name="Kwekerij De Kas").status_code == 302
    assert "KvK 99123456" in EnrichmentNote.objects.get(signal=signal).text


def test_a_number_typed_by_the_af_wins_over_a_name(client, world, registers):
    signal = make_signal(world.melder_a, business_name="Kwekerij De Kas")
    client.force_login(world.af_a)
    assert post_kvk(client, signal, purpose=PURPOSE, kvk_number="99123456",
                    name="Iets Anders").status_code == 302
    assert "KvK 99123456" in EnrichmentNote.objects.get(signal=signal).text


# --- the case-opening signal picker: the inbox's short safe summary beside each code ------------------------------

def test_the_case_opening_picker_shows_the_inbox_summary_of_each_signal(client, world):
    from meldroute.triage import services

    signal, other = make_signal(world.melder_a), make_signal(world.melder_a)
    for s in (signal, other):
        services.classify_signal(s, actor=world.af_a, assessment="suspected", forms=["labour"])
    client.force_login(world.af_a)
    response = client.get(reverse("cases:open", args=[signal.uuid]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{other.reference} (" in page and "Arbeidsuitbuiting" in page and "labour" not in page
