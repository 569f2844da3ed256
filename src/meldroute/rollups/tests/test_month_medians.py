"""The month rows' medians are exact: found through the buckets of `hist` and the values of only the middle
buckets, they equal the median of every value (as the day rows and the raw signals give it), whatever the values —
negative, zero, equal, on a bucket's edge — and for every form filter."""

import statistics
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meldroute.monitoring import aggregates
from meldroute.monitoring.aggregates import Period
from meldroute.rollups import services
from meldroute.rollups.models import SignalDay, SignalMonth

pytestmark = [pytest.mark.django_db]

KEYS = ["", "sexual", "labour", "labour,sexual"]
seconds = st.one_of(st.integers(-7200, 50 * 86400).map(float), st.floats(-10.0, 10.0),
                    st.sampled_from([0.0, 1.0, 2 ** 0.125 - 1, 3600.0, 86400.0]))
day_cells = st.dictionaries(st.sampled_from(KEYS), st.tuples(st.lists(seconds, max_size=12),
                                                             st.lists(seconds, max_size=12)), min_size=1)
DAYS = [date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 15), date(2026, 2, 28), date(2026, 3, 1)]


def store(world, days: dict) -> None:
    for day, cells in days.items():
        cell_rows, durations = {}, {}
        for key, (triage, feedback) in cells.items():
            n = max(len(triage), len(feedback), 1)
            cell_rows[key] = {"n": n, "acute": 0, "sector": {"": n}, "team": {"internal:": n}, "outcome": {"": n}}
            durations[key] = {"triage": sorted(triage), "feedback": sorted(feedback)}
        SignalDay.objects.create(municipality=world.a, day=day, total=sum(c["n"] for c in cell_rows.values()),
                                 cells=cell_rows, durations=durations)
    for month in {services.month_of(day) for day in days}:
        SignalMonth.objects.create(municipality=world.a, month=month)
        services.refresh_month(world.a.pk, month)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(days=st.dictionaries(st.sampled_from(DAYS), day_cells, min_size=1))
def test_the_month_medians_equal_the_median_of_every_value(world, days):
    SignalMonth.objects.all().delete()
    SignalDay.objects.all().delete()
    store(world, days)
    period, previous = Period(date(2026, 1, 1), date(2026, 4, 1)), Period(date(2025, 10, 1), date(2026, 1, 1))
    for form in (None, "sexual", "labour"):
        got = aggregates._month_figures_pair([world.a.pk], period, previous, form)
        for p, figures in zip((period, previous), got, strict=True):
            for kind, median in (("triage", figures.median_triage_hours),
                                 ("feedback", figures.median_feedback_hours)):
                values = [v for day, cells in days.items() if p.start <= day < p.end
                          for key, spans in cells.items() if form is None or form in key.split(",")
                          for v in spans[0 if kind == "triage" else 1]]
                if not values:
                    assert median is None
                else:
                    assert median == pytest.approx(statistics.median(values) / 3600, rel=1e-12, abs=1e-12), (
                        kind, form, p)
            feedback = [v for day, cells in days.items() if p.start <= day < p.end
                        for key, spans in cells.items() if form is None or form in key.split(",") for v in spans[1]]
            assert figures.feedback_count == len(feedback)


def test_buckets_order_the_values():
    values = sorted({-86400.0, -1.5, -0.1, 0.0, 0.05, 0.09, 1.0, 59.9, 3600.0, 3600.5, 86400.0, 5e6})
    buckets = [services.bucket_of(v) for v in values]
    assert buckets == sorted(buckets)
    assert services.bucket_of(0.0) == 0 and services.bucket_of(3600.0) > services.bucket_of(59.9)
