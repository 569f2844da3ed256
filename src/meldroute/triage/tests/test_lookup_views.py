"""Lookups in the BRP and KvK from the signal page and the API (SPEC B2): purpose, logs, errors, scoping, links."""

import json

import pytest
from django.urls import reverse
from tests.factories import make_api_token, make_signal

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.core.crypto import blind_index
from meldroute.core.exceptions import DomainError
from meldroute.intake.constants import SignalStatus
from meldroute.triage import fake_services, linking, services
from meldroute.triage.constants import LinkKind
from meldroute.triage.models import EnrichmentNote, SignalLink
from meldroute.triage.selectors import links_for

pytestmark = pytest.mark.django_db
BSN = fake_services.fake_bsn(7)
PURPOSE = "Nagaan wie de betrokkene is"


def lookup_url(signal, source):
    return reverse("triage:action", args=[signal.uuid, f"lookup_{source}"])


def post_brp(client, signal, **data):
    return client.post(lookup_url(signal, "brp"), {f"lookup_brp-{k}": v for k, v in data.items()})


def post_kvk(client, signal, **data):
    return client.post(lookup_url(signal, "kvk"), {f"lookup_kvk-{k}": v for k, v in data.items()})


def lookups_of(signal):
    return AuditEvent.objects.filter(action="signal.looked_up", target_uuid=signal.uuid)


# --- the signal page -------------------------------------------------------------------------------------------------

def test_brp_lookup_by_bsn_becomes_a_note_with_purpose_and_time_and_is_logged(client, world, registers):
    signal = make_signal(world.melder_a)
    client.force_login(world.af_a)
    response = post_brp(client, signal, purpose=PURPOSE, bsn=BSN)
    assert response.status_code == 302
    note = EnrichmentNote.objects.get(signal=signal)
    expected = fake_services.person_by_bsn(BSN)["naam"]["volledigeNaam"]
    assert note.source == "brp" and note.purpose == PURPOSE and note.retrieved_at is not None
    assert expected in note.text and BSN[-4:] in note.text and BSN not in note.text
    [event] = lookups_of(signal)
    assert event.actor == world.af_a and PURPOSE in event.purpose and event.details["source"] == "brp"
    access = AccessLogEntry.objects.get(target_type="brp.bevraging", target_uuid=signal.uuid)
    assert access.actor == world.af_a and PURPOSE in access.purpose and "brp.naam" in access.fields
    assert BSN not in json.dumps([event.details, event.fields, access.fields, event.purpose, access.purpose])
    signal.refresh_from_db()
    assert signal.status == SignalStatus.IN_TRIAGE  # a lookup is work on the signal: it is picked up
    page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    assert expected in page and f"doel: {PURPOSE}" in page and "BRP-bevraging" in page  # note and access log


def test_brp_lookup_by_address_lists_who_is_registered_there(client, world, registers):
    signal = make_signal(world.melder_a, address="Kerkweg 12, Aadorp", postcode="1234 AB")
    client.force_login(world.af_a)
    assert post_brp(client, signal, purpose=PURPOSE, postcode="1234 AB", house_number="12").status_code == 302
    residents = fake_services.residents("", 12, "1234 AB", "")
    text = EnrichmentNote.objects.get(signal=signal).text
    if residents:
        assert f"staan {len(residents)} personen ingeschreven" in text
        assert all(p["naam"]["volledigeNaam"] in text for p in residents)
    else:
        assert "staat niemand ingeschreven" in text
    assert not SignalLink.objects.filter(signal=signal, kind=LinkKind.PERSON).exists()


def test_brp_lookup_by_street_uses_the_municipality_of_the_signal(world, registers):
    signal = make_signal(world.melder_a, address="Havenkade 3")
    services.lookup_brp(signal, actor=world.af_a, purpose=PURPOSE, street="Havenkade", house_number=3)
    expected = fake_services.residents("Havenkade", 3, "", "Aadorp")
    note = EnrichmentNote.objects.get(signal=signal)
    assert all(p["naam"]["volledigeNaam"] in note.text for p in expected)


def test_the_lookup_form_starts_from_the_signals_address(client, world):
    signal = make_signal(world.melder_a, address="Kerkweg 12a, Aadorp", kvk_number="99123456",
                         business_name="Kwekerij De Kas")
    client.force_login(world.af_a)
    forms = client.get(reverse("triage:signal", args=[signal.uuid])).context["forms"]
    assert forms["lookup_brp"].initial == {"postcode": "", "street": "Kerkweg", "house_number": "12"}
    assert forms["lookup_kvk"].initial == {"kvk_number": "99123456", "name": "Kwekerij De Kas"}


def test_a_lookup_without_purpose_is_refused_at_the_field_and_nothing_is_asked(client, world, registers):
    signal = make_signal(world.melder_a)
    client.force_login(world.af_a)
    response = post_brp(client, signal, purpose="", bsn=BSN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Geef aan waarvoor u dit opvraagt (doelbinding)." in page and f'value="{BSN}"' in page
    assert not EnrichmentNote.objects.exists() and not lookups_of(signal).exists()
    assert not AccessLogEntry.objects.filter(target_type="brp.bevraging").exists()
    with pytest.raises(DomainError) as refused:
        services.lookup_brp(signal, actor=world.af_a, purpose="  ", bsn=BSN)
    assert refused.value.field == "purpose"


def test_a_bsn_failing_the_elfproef_is_refused_at_the_field(client, world, registers):
    signal = make_signal(world.melder_a)
    client.force_login(world.af_a)
    page = post_brp(client, signal, purpose=PURPOSE, bsn="123456789").content.decode()
    assert "Dit is geen geldig burgerservicenummer (elfproef)." in page and not EnrichmentNote.objects.exists()
    with pytest.raises(DomainError) as refused:
        services.lookup_brp(signal, actor=world.af_a, purpose=PURPOSE, bsn="123456789")
    assert refused.value.field == "bsn"


def test_an_address_lookup_needs_a_house_number_and_a_postcode_or_street(client, world, registers):
    signal = make_signal(world.melder_a)
    client.force_login(world.af_a)
    page = post_brp(client, signal, purpose=PURPOSE).content.decode()
    assert "Vul een BSN in, of een huisnummer met postcode of straat." in page
    page = post_brp(client, signal, purpose=PURPOSE, house_number="12").content.decode()
    assert "Vul bij het huisnummer een postcode of een straat in." in page
    page = post_brp(client, signal, purpose=PURPOSE, house_number="twaalf").content.decode()
    assert "Vul een huisnummer in cijfers in." in page
    assert not EnrichmentNote.objects.exists()


def test_an_unknown_bsn_is_a_message_at_the_field(client, world, registers):
    signal = make_signal(world.melder_a)
    client.force_login(world.af_a)
    page = post_brp(client, signal, purpose=PURPOSE, bsn="111222333").content.decode()
    assert "De BRP kent geen persoon met dit burgerservicenummer." in page
    assert not EnrichmentNote.objects.exists() and not lookups_of(signal).exists()


def test_a_register_that_is_down_is_a_dutch_message_not_an_error_page(client, world, registers_down):
    signal = make_signal(world.melder_a, kvk_number="99123456")
    client.force_login(world.af_a)
    response = post_brp(client, signal, purpose=PURPOSE, bsn=BSN)
    assert response.status_code == 200 and "De BRP is nu niet bereikbaar" in response.content.decode()
    response = post_kvk(client, signal, purpose=PURPOSE, kvk_number="99123456")
    assert response.status_code == 200 and "De KvK is nu niet bereikbaar" in response.content.decode()
    assert not EnrichmentNote.objects.exists() and not lookups_of(signal).exists()


def test_a_register_that_is_not_configured_says_so(client, world, settings):
    settings.MELDROUTE = {**settings.MELDROUTE, "BRP_API_URL": ""}
    signal = make_signal(world.melder_a)
    client.force_login(world.af_a)
    page = post_brp(client, signal, purpose=PURPOSE, bsn=BSN).content.decode()
    assert "De koppeling met de BRP is niet ingesteld" in page


def test_kvk_lookup_by_number_becomes_a_note_and_is_logged(client, world, registers):
    signal = make_signal(world.melder_a, kvk_number="99123456")
    client.force_login(world.af_a)
    assert post_kvk(client, signal, purpose=PURPOSE, kvk_number="9912 3456").status_code == 302
    note = EnrichmentNote.objects.get(signal=signal)
    profile = fake_services.business("99123456")
    assert note.source == "kvk" and profile["naam"] in note.text and "KvK 99123456" in note.text
    assert note.purpose == PURPOSE and note.retrieved_at is not None
    assert lookups_of(signal).count() == 1
    assert AccessLogEntry.objects.filter(target_type="kvk.bevraging", target_uuid=signal.uuid,
                                         actor=world.af_a).count() == 1


def test_kvk_lookup_by_name_links_the_business_found(world, registers):
    signal = make_signal(world.melder_a, business_name="Massagesalon Lotusbloem")
    other = make_signal(world.melder_a)
    services.lookup_kvk(signal, actor=world.af_a, purpose=PURPOSE, name="Massagesalon Lotusbloem")
    note = EnrichmentNote.objects.get(signal=signal)
    [business] = SignalLink.objects.filter(signal=signal, kind=LinkKind.BUSINESS)
    assert business.origin == "kvk" and business.value in note.text and "Massagesalon Lotusbloem" in note.text
    services.lookup_kvk(other, actor=world.af_a, purpose=PURPOSE, kvk_number=business.value)
    assert [item.signal for item in links_for(world.af_a, signal).same_municipality] == [other]


def test_kvk_unknown_number_is_a_message_at_the_field(client, world, registers):
    signal = make_signal(world.melder_a)
    client.force_login(world.af_a)
    page = post_kvk(client, signal, purpose=PURPOSE, kvk_number="12345678").content.decode()
    assert "De KvK kent geen bedrijf met KvK-nummer 12345678." in page
    page = post_kvk(client, signal, purpose=PURPOSE, kvk_number="1234").content.decode()
    assert "Een KvK-nummer bestaat uit 8 cijfers." in page
    assert not EnrichmentNote.objects.exists()


def test_the_same_person_found_through_the_brp_links_signals_without_storing_the_bsn(world, registers):
    first, second = make_signal(world.melder_a), make_signal(world.melder_a2)
    for signal in (first, second):
        services.lookup_brp(signal, actor=world.af_a, purpose=PURPOSE, bsn=BSN)
    [item] = links_for(world.af_a, first).same_municipality
    assert item.signal == second and item.kinds == ["zelfde persoon (BRP)"]
    rows = list(SignalLink.objects.filter(kind=LinkKind.PERSON).values_list("key", "label"))
    assert rows == [(blind_index("link", linking.person_key(BSN)), "")] * 2 and BSN not in json.dumps(rows)


def test_a_finished_signal_is_not_looked_up_any_more(world, registers):
    signal = make_signal(world.melder_a)
    services.cancel_signal(signal, actor=world.af_a, text="Dubbel")
    with pytest.raises(DomainError, match="afgesloten signaal"):
        services.lookup_brp(signal, actor=world.af_a, purpose=PURPOSE, bsn=BSN)
    assert not lookups_of(signal).exists()


@pytest.mark.parametrize("who", ["af_b", "af_c", "melder_a", "partner", "zorgcoordinator", "burgemeester"])
def test_only_an_af_of_the_municipality_can_look_up(client, world, registers, who):
    signal = make_signal(world.melder_a)
    client.force_login(getattr(world, who))
    assert post_brp(client, signal, purpose=PURPOSE, bsn=BSN).status_code == 404
    assert post_kvk(client, signal, purpose=PURPOSE, kvk_number="99123456").status_code == 404
    assert not EnrichmentNote.objects.exists() and not lookups_of(signal).exists()
    assert not AccessLogEntry.objects.filter(target_type__in=["brp.bevraging", "kvk.bevraging"]).exists()
    with pytest.raises(DomainError):
        services.lookup_brp(signal, actor=getattr(world, who), purpose=PURPOSE, bsn=BSN)


# --- the API ---------------------------------------------------------------------------------------------------------

def api(client, method, url, user, payload=None):
    headers = {"HTTP_AUTHORIZATION": f"Token {make_api_token(user)}"}
    if method == "post":
        return client.post(url, data=json.dumps(payload or {}), content_type="application/json", **headers)
    return client.get(url, **headers)


def test_api_lookup_returns_the_note(client, world, registers):
    signal = make_signal(world.melder_a, kvk_number="99123456")
    url = f"/api/v1/signals/{signal.uuid}/lookups/"
    response = api(client, "post", url, world.af_a, {"source": "kvk", "purpose": PURPOSE, "kvk_number": "99123456"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"] == "kvk" and body["purpose"] == PURPOSE and "KvK 99123456" in body["text"]
    assert body["retrieved_at"] and lookups_of(signal).count() == 1
    response = api(client, "post", url, world.af_a, {"source": "brp", "purpose": PURPOSE, "bsn": BSN})
    assert response.status_code == 201 and response.json()["source"] == "brp"


def test_api_lookup_refusals_are_structured(client, world, registers):
    signal = make_signal(world.melder_a)
    url = f"/api/v1/signals/{signal.uuid}/lookups/"
    missing = api(client, "post", url, world.af_a, {"source": "brp", "bsn": BSN})
    assert missing.status_code == 400 and "purpose" in missing.json()["errors"]
    bad_bsn = api(client, "post", url, world.af_a, {"source": "brp", "purpose": PURPOSE, "bsn": "123456789"})
    assert bad_bsn.status_code == 400
    assert bad_bsn.json()["errors"] == {"bsn": ["Dit is geen geldig burgerservicenummer (elfproef)."]}
    unknown = api(client, "post", url, world.af_a, {"source": "ldap", "purpose": PURPOSE})
    assert unknown.status_code == 400 and "source" in unknown.json()["errors"]
    assert not EnrichmentNote.objects.exists()


def test_api_register_down_is_a_structured_400(client, world, registers_down):
    signal = make_signal(world.melder_a)
    response = api(client, "post", f"/api/v1/signals/{signal.uuid}/lookups/", world.af_a,
                   {"source": "brp", "purpose": PURPOSE, "bsn": BSN})
    assert response.status_code == 400 and "De BRP is nu niet bereikbaar" in response.json()["detail"]


def test_api_links_lists_own_municipality_and_counts_the_region(client, world):
    signal = make_signal(world.melder_a, kvk_number="99123456")
    own = make_signal(world.melder_a, kvk_number="99123456")
    theirs = make_signal(world.melder_b, kvk_number="99123456")
    response = api(client, "get", f"/api/v1/signals/{signal.uuid}/links/", world.af_a)
    assert response.status_code == 200
    body = response.json()
    assert [s["reference"] for s in body["same_municipality"]] == [own.reference]
    assert body["same_municipality"][0]["kinds"] == ["zelfde bedrijf (KvK)"]
    assert body["region_count"] == 1 and theirs.reference not in response.content.decode()


@pytest.mark.parametrize("who", ["af_b", "af_c", "melder_a", "partner"])
def test_api_lookups_and_links_are_404_for_everyone_else(client, world, registers, who):
    signal = make_signal(world.melder_a, kvk_number="99123456")
    user = getattr(world, who)
    lookup = api(client, "post", f"/api/v1/signals/{signal.uuid}/lookups/", user,
                 {"source": "kvk", "purpose": PURPOSE, "kvk_number": "99123456"})
    links = api(client, "get", f"/api/v1/signals/{signal.uuid}/links/", user)
    assert lookup.status_code == links.status_code == 404
    assert lookup.json()["code"] == "not_found" and signal.reference not in links.content.decode()
    assert not EnrichmentNote.objects.exists()
