"""The AF's signal page."""

import pytest
from django.urls import reverse
from tests.factories import make_signal


@pytest.mark.django_db
def test_signal_page_shows_who_looked_at_it(client, world):
    signal = make_signal(world.melder_a)
    client.force_login(world.af_a2)
    client.get(reverse("triage:signal", args=[signal.uuid]))
    client.force_login(world.af_a)
    page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    log = page.split('data-testid="access-log"')[1].split("</ul>")[0]
    assert world.af_a2.username in log and world.af_a.username in log


@pytest.mark.django_db
def test_inbox_search_finds_by_code_and_address_within_the_own_municipality_only(client, world):
    from meldroute.audit.models import AccessLogEntry

    own = make_signal(world.melder_a, address="Kerkweg 12, Aadorp", business_name="Kwekerij De Kas")
    other = make_signal(world.melder_b, address="Kerkweg 14, Beekstad")
    client.force_login(world.af_a)
    by_street = client.get(reverse("triage:inbox"), {"zoek": "kerkweg"}).content.decode()
    assert own.reference in by_street and other.reference not in by_street
    by_code = client.get(reverse("triage:inbox"), {"zoek": own.reference[-4:]}).content.decode()
    assert own.reference in by_code
    searched_other = client.get(reverse("triage:inbox"), {"zoek": other.reference})
    assert searched_other.context["page"].paginator.count == 0
    assert str(other.uuid) not in searched_other.content.decode()  # the search words are echoed, no result row
    searches = AccessLogEntry.objects.filter(actor=world.af_a, purpose="zoeken in signalen")
    assert searches.count() == 3 and "kerkweg" not in str(list(searches.values()))


@pytest.mark.django_db
def test_inbox_tabs_show_their_counts(client, world):
    from meldroute.triage.services import assign_signal

    mine = make_signal(world.melder_a)
    assign_signal(mine, actor=world.af_a, assignee=world.af_a)
    make_signal(world.melder_a, is_acute=True)
    make_signal(world.melder_b)  # another municipality: never counted
    client.force_login(world.af_a)
    tabs = client.get(reverse("triage:inbox")).context["tabs"]
    counts = {key: count for key, _label, count in tabs}
    assert counts["attention"] == 2 and counts["mine"] == 1 and counts["unassigned"] == 1 and counts["acute"] == 1


@pytest.mark.django_db
def test_inbox_query_count_does_not_grow_with_the_number_of_signals(client, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.af_a)
    for _ in range(3):
        make_signal(world.melder_a)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("triage:inbox"))
    for _ in range(30):
        make_signal(world.melder_a, is_acute=True)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("triage:inbox"))
    assert len(many) == len(few)
    # +1: the pattern alert (triage.selectors.pattern_alerts_for); +1: the unread notifications beside the menu;
    # +1: the ticked signals that summarise the unclassified rows (triage.selectors.add_inbox_summaries)
    with django_assert_max_num_queries(12):  # no session write: renewed at most once a minute
        client.get(reverse("triage:inbox"))
