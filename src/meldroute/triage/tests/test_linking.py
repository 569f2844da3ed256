"""Linking signals (SPEC B4): normalised keys, linked signals on the page within scope, and the pattern alert."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from tests.factories import make_signal

from meldroute.core.crypto import blind_index
from meldroute.intake.constants import Channel
from meldroute.triage import linking
from meldroute.triage.constants import LinkKind
from meldroute.triage.models import SignalLink
from meldroute.triage.selectors import links_for, months_before, pattern_alerts_for
from meldroute.triage.services import cancel_signal

pytestmark = pytest.mark.clock  # reads the clock: run again at awkward moments (scripts/test.sh)


def pattern_settings(settings, **changes):
    return override_settings(MELDROUTE={**settings.MELDROUTE, **changes})


def test_addresses_written_differently_get_the_same_key():
    key = linking.address_key(postcode="", address="Kerkweg 12, Aadorp", municipality_code="GM8901")
    again = linking.address_key(postcode="", address="  kerkweg   12", municipality_code="gm8901")
    assert key is not None and again is not None and key[0] == again[0] and key[1] == "Kerkweg 12"
    assert linking.address_key(postcode="", address="Kerkweg 12", municipality_code="GM8902") != key
    assert linking.address_key(postcode="", address="Kerkweg 120", municipality_code="GM8901") != key


def test_a_postcode_key_ignores_the_street_spelling_and_keeps_the_house_letter():
    one = linking.address_key(postcode="1234ab", address="Kerkweg 12a", municipality_code="GM8901")
    two = linking.address_key(postcode="1234 AB", address="Kerkwg 12 A, Aadorp", municipality_code="GM8902")
    assert one is not None and two is not None and one[0] == two[0] == "pc:1234AB:12A"
    assert linking.address_key(postcode="1234 AB", address="Kerkweg 12b", municipality_code="GM8901")[0] != one[0]


def test_an_address_without_a_house_number_links_nothing():
    assert linking.address_key(postcode="1234 AB", address="achter het station", municipality_code="GM8901") is None


def test_a_person_key_is_a_keyed_hash_never_the_bsn():
    key = linking.person_key("999990019")
    assert key == linking.person_key("999990019") != linking.person_key("999990020")
    assert "999990019" not in key and len(key) == 64
    # Under the blind-index key, which is stable: a new SECRET_KEY keeps the links, another index key does not.
    with override_settings(SECRET_KEY="een-ander-geheim-" * 4):
        assert linking.person_key("999990019") == key
    with override_settings(MELDROUTE={**settings.MELDROUTE, "BLIND_INDEX_KEY": "een-andere-sleutel-" * 3}):
        assert linking.person_key("999990019") != key


@pytest.mark.django_db
def test_registering_a_signal_stores_its_address_and_business_keys(world):
    signal = make_signal(world.melder_a, address="Kerkweg 12, Aadorp", postcode="1234 AB", kvk_number="99123456")
    keys = set(SignalLink.objects.filter(signal=signal).values_list("kind", "value", "municipality_id"))
    assert keys == {(LinkKind.ADDRESS, "pc:1234AB:12", world.a.pk), (LinkKind.BUSINESS, "99123456", world.a.pk)}
    # Stored as a blind index (signals meet on it) beside the encrypted value.
    assert set(SignalLink.objects.filter(signal=signal).values_list("key", flat=True)) == {
        blind_index("link", "pc:1234AB:12"), blind_index("link", "99123456")}
    assert not SignalLink.objects.filter(signal=make_signal(world.melder_a, address="ergens in het park")).exists()


@pytest.mark.django_db
def test_partner_signals_are_linked_too(world):
    mine = make_signal(world.melder_a, kvk_number="99123456")
    partners = make_signal(world.partner, municipality=world.a, channel=Channel.PARTNER, kvk_number="99123456")
    assert [item.signal for item in links_for(world.af_a, mine).same_municipality] == [partners]


@pytest.mark.django_db
def test_links_show_own_municipality_signals_and_only_count_the_rest_of_the_region(world):
    signal = make_signal(world.melder_a, address="Kerkweg 12", postcode="1234 AB", kvk_number="99123456")
    same_address = make_signal(world.melder_a2, address="Kerkweg 12, Aadorp", postcode="1234AB")
    same_business = make_signal(world.melder_a, kvk_number="99123456")
    both = make_signal(world.melder_a, address="Kerkweg 12", postcode="1234 AB", kvk_number="99123456")
    make_signal(world.melder_a, address="Kerkweg 14", postcode="1234 AB")  # a neighbour: not linked
    make_signal(world.melder_b, address="Kerkweg 12", postcode="1234 AB")  # other municipality, same region
    make_signal(world.melder_b, kvk_number="99123456")
    make_signal(world.melder_b, address="Kerkweg 12")  # street without postcode: only trusted within Beekstad
    make_signal(world.af_c, address="Kerkweg 12", postcode="1234 AB")  # another region: never consulted

    links = links_for(world.af_a, signal)
    linked = {item.signal.reference: item.kinds for item in links.same_municipality}
    assert set(linked) == {same_address.reference, same_business.reference, both.reference}
    assert linked[both.reference] == ["zelfde adres", "zelfde bedrijf (KvK)"]
    assert links.region_count == 2  # Beekstad's two; Cederveen (other region) is never consulted
    assert ("zelfde adres", "Kerkweg 12, 1234 AB") in links.keys


@pytest.mark.django_db
def test_the_signal_page_lists_linked_codes_and_the_region_count_but_no_other_municipalitys_signal(client, world):
    signal = make_signal(world.melder_a, address="Dorpsstraat 3", postcode="1234 AB")
    own = make_signal(world.melder_a, address="Dorpsstraat 3", postcode="1234 AB")
    theirs = make_signal(world.melder_b, address="Dorpsstraat 3", postcode="1234 AB",
                         description="Geheime inhoud van Beekstad")
    client.force_login(world.af_a)
    page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    panel = page.split('data-testid="links"')[1].split("</section>")[0]
    assert own.reference in panel and str(own.uuid) in panel
    assert "1 signaal in een andere gemeente van de regio" in panel
    assert theirs.reference not in page and str(theirs.uuid) not in page and "Geheime inhoud" not in page


@pytest.mark.django_db
def test_a_signal_without_links_says_so(client, world):
    signal = make_signal(world.melder_a, address="Polderweg 1")
    client.force_login(world.af_a)
    page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    assert "Geen andere signalen van uw gemeente" in page and 'data-testid="region-count"' not in page


@pytest.mark.django_db
def test_pattern_alert_appears_from_the_configured_number_of_signals(client, world, settings):
    for _ in range(2):
        make_signal(world.melder_a, business_name="Nagelstudio X", kvk_number="99111222")
    client.force_login(world.af_a)
    assert 'data-testid="pattern-alerts"' not in client.get(reverse("triage:inbox")).content.decode()
    make_signal(world.melder_a2, kvk_number="99111222")
    page = client.get(reverse("triage:inbox")).content.decode()
    panel = page.split('data-testid="pattern-alerts"')[1].split("</div>")[0]
    assert "KvK 99111222" in panel and "3 signalen" in panel and "?zoek=99111222" in panel
    with pattern_settings(settings, PATTERN_MIN_SIGNALS=4):
        assert 'data-testid="pattern-alerts"' not in client.get(reverse("triage:inbox")).content.decode()
    with pattern_settings(settings, PATTERN_MIN_SIGNALS=2):
        assert "2 of meer signalen" in client.get(reverse("triage:inbox")).content.decode()


@pytest.mark.django_db
def test_pattern_alert_counts_only_the_configured_months_and_not_cancelled_signals(world, settings):
    old = timezone.now() - timedelta(days=400)
    with mock.patch("django.utils.timezone.now", return_value=old):
        make_signal(world.melder_a, address="Havenkade 7")
    recent = [make_signal(world.melder_a, address="Havenkade 7, Aadorp") for _ in range(2)]
    assert pattern_alerts_for(world.af_a).alerts == []
    with pattern_settings(settings, PATTERN_MONTHS=14):
        [alert] = pattern_alerts_for(world.af_a).alerts
    assert (alert.label, alert.count, alert.search, alert.kind) == ("Havenkade 7", 3, "Havenkade 7", "address")
    cancel_signal(recent[0], actor=world.af_a, text="Dubbel")
    with pattern_settings(settings, PATTERN_MONTHS=14):
        assert pattern_alerts_for(world.af_a).alerts == []


@pytest.mark.django_db
def test_pattern_alert_is_per_municipality_and_for_afs_only(world):
    for melder in (world.melder_a, world.melder_a2, world.melder_b):
        make_signal(melder, postcode="1234 AB", address="Kerkweg 12")
    assert pattern_alerts_for(world.af_a).alerts == [] and pattern_alerts_for(world.af_b).alerts == []
    make_signal(world.melder_a, postcode="1234 AB", address="Kerkweg 12")
    [alert] = pattern_alerts_for(world.af_a).alerts
    assert alert.count == 3 and alert.search == "1234 AB"
    assert pattern_alerts_for(world.af_b).alerts == [] and pattern_alerts_for(world.af_c).alerts == []
    assert pattern_alerts_for(world.melder_a).alerts == [] and pattern_alerts_for(world.partner).alerts == []


@pytest.mark.django_db
def test_the_pattern_search_link_finds_the_signals_in_the_inbox(client, world):
    signals = [make_signal(world.melder_a, postcode="1234 AB", address="Kerkweg 12") for _ in range(3)]
    client.force_login(world.af_a)
    [alert] = client.get(reverse("triage:inbox")).context["patterns"].alerts
    found = client.get(reverse("triage:inbox"), {"zoek": alert.search}).content.decode()
    assert all(s.reference in found for s in signals)


def test_months_before_keeps_the_day_within_the_month():
    moment = timezone.datetime(2026, 3, 31, 12, tzinfo=timezone.get_current_timezone())
    assert months_before(moment, 1).date().isoformat() == "2026-02-28"
    assert months_before(moment, 12).date().isoformat() == "2025-03-31"
