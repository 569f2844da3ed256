"""The cross-municipality link count is no membership oracle: only a signal's own identifiers, and access-logged.

The attack: an AF opens any signal of their own municipality, types a BSN (or KvK number, or a business name) into a
register lookup, and reads "1 signaal in een andere gemeente van de regio" — learning that a neighbour municipality
has a signal about that person or business, which they may not know.
"""

import pytest
from django.urls import reverse
from tests.factories import make_signal

from meldroute.audit.models import AccessLogEntry
from meldroute.triage import fake_services, services
from meldroute.triage.selectors import REGION_COUNT_PURPOSE, links_for

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

BSN = fake_services.fake_bsn(11)
PURPOSE = "Controle identiteit voor triage"


def region_count_logs(user, signal):
    return AccessLogEntry.objects.filter(actor=user, target_uuid=signal.uuid, purpose=REGION_COUNT_PURPOSE)


def test_a_typed_bsn_does_not_reveal_a_neighbours_signal_about_that_person(world, registers):
    theirs = make_signal(world.melder_b)
    services.lookup_brp(theirs, actor=world.af_b, purpose=PURPOSE, bsn=BSN)  # Beekstad's AF knows this person
    mine = make_signal(world.melder_a)
    # Aadorp's AF types the BSN they are curious about into a lookup on an unrelated signal of their own.
    services.lookup_brp(mine, actor=world.af_a, purpose=PURPOSE, bsn=BSN)
    assert links_for(world.af_a, mine).region_count == 0


def test_a_typed_kvk_number_does_not_reveal_a_neighbours_signal_about_that_business(world, registers):
    make_signal(world.melder_b, kvk_number="99123456")
    mine = make_signal(world.melder_a)
    services.lookup_kvk(mine, actor=world.af_a, purpose=PURPOSE, kvk_number="99123456")
    links = links_for(world.af_a, mine)
    assert links.region_count == 0


def test_a_signal_the_af_filed_themselves_gets_no_region_count(world):
    # Filing a signal with a guessed address is typing a value too.
    make_signal(world.melder_b, address="Kerkweg 12", postcode="1234 AB")
    typed = make_signal(world.af_a, address="Kerkweg 12", postcode="1234 AB")
    assert links_for(world.af_a, typed).region_count == 0
    assert not region_count_logs(world.af_a, typed).exists()


def test_the_signals_own_identifiers_are_still_counted_and_each_count_is_access_logged(client, world):
    make_signal(world.melder_b, address="Kerkweg 12", postcode="1234 AB")
    signal = make_signal(world.melder_a, address="Kerkweg 12", postcode="1234 AB")
    assert links_for(world.af_a, signal).region_count == 1
    assert region_count_logs(world.af_a, signal).count() == 1
    [entry] = region_count_logs(world.af_a, signal)
    assert entry.target_type == "triage.region_links" and entry.fields == ["region_count"]
    client.force_login(world.af_a)
    page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    assert "1 signaal in een andere gemeente van de regio" in page
    response = client.get(f"/api/v1/signals/{signal.uuid}/links/")
    assert response.status_code == 200 and response.json()["region_count"] == 1  # the API: the same selector
    assert region_count_logs(world.af_a, signal).count() == 3
