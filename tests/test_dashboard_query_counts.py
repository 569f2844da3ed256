"""The figures pages cost a fixed number of queries, whatever the history (issue 17: the dashboard at 1 000 000
signals reads rollups, never the signals).

The municipal dashboard, the regional view (a signal and a victim dimension) and the report are requested, then
signals are added over more months — classified, closed and with feedback, so every median has values — together
with cases and victims, and the pages are requested again: the query count must be the same. Timings are measured
by benchmarks/dashboard.py, never judged in a test.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meldroute.monitoring.tests.test_views import make_victims
from meldroute.triage import services as triage
from tests.factories import make_signal
from tests.test_list_query_counts import query_count

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def history(world, clock, months: int, per_month: int) -> None:
    """Signals of `months` months back to now, each classified, closed and given feedback some hours later."""
    start = timezone.now()
    for back in range(months, -1, -1):
        clock.move_to(start - timedelta(days=30 * back))
        for k in range(per_month):
            signal = make_signal(world.melder_a, is_acute=k % 3 == 0)
            clock.shift(timedelta(hours=2 + k))
            triage.classify_signal(signal, actor=world.af_a, assessment="suspected",
                                   forms=[["sexual"], ["labour"], ["labour", "sexual"]][k % 3], sector="hospitality")
            triage.close_signal(signal, actor=world.af_a, outcome="no_trafficking", text="Afgerond.")
            clock.shift(timedelta(days=1))
            triage.give_feedback(signal, actor=world.af_a, text="Dank voor uw signaal.")
    clock.move_to(start)


def pages() -> list[tuple[str, str]]:
    # The report of the clock's own year: the history added before and after both fall in it, whatever the date.
    return [
        ("af_a", reverse("monitoring:dashboard")),
        ("af_a", reverse("monitoring:dashboard") + "?vorm=labour"),
        ("af_a", reverse("monitoring:report") + f"?kind=jaar&year={timezone.localdate().year}"),
        ("ketenregisseur", reverse("monitoring:regional") + "?onderwerp=form"),
        ("ketenregisseur", reverse("monitoring:regional") + "?onderwerp=sex"),
    ]


def test_the_figures_pages_cost_the_same_queries_with_more_history(client, world, clock):
    history(world, clock, months=2, per_month=3)
    make_victims(world, world.a, 2, gender="female")
    before = {url: query_count(client, getattr(world, user), url) for user, url in pages()}

    history(world, clock, months=13, per_month=2)  # more months, both periods, more values in every median
    make_victims(world, world.a, 6, gender="male", citizenship="RO")
    make_victims(world, world.b, 3, gender="female")
    after = {url: query_count(client, getattr(world, user), url) for user, url in pages()}
    assert after == before
    assert all(n > 0 for n in after.values())
