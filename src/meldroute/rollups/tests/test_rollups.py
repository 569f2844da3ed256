"""The daily rollups always agree with the signals: after any sequence of changes through the services, the rollup
rows equal a rebuild from scratch, and the dashboard's and regional view's figures read from them equal the same
figures counted over the raw signals."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.factories import make_signal

from meldroute.intake.models import Signal
from meldroute.monitoring import aggregates, statements
from meldroute.monitoring.aggregates import Period
from meldroute.retention.services import _anonymise_signal
from meldroute.rollups import services
from meldroute.rollups.models import SignalDay, SignalMonth
from meldroute.triage import services as triage

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

FORMS = ["sexual", "labour", "criminal", "organ_removal"]
SECTORS = ["", "hospitality", "agriculture", "sex_work", "unknown"]
OUTCOMES = ["no_trafficking", "trafficking_routed", "insufficient_information", "duplicate"]


def snapshot() -> dict:
    days = {(row.municipality_id, row.day): (row.total, row.cells, row.durations) for row in SignalDay.objects.all()}
    months = {(row.municipality_id, row.month, "month"): (row.total, row.cells, row.hist, row.durations)
              for row in SignalMonth.objects.all()}
    return {**days, **months}


def assert_rollups_agree(world) -> None:
    kept = snapshot()
    services.rebuild()
    assert snapshot() == kept
    ids = [world.a.pk, world.b.pk]
    today = date(2026, 6, 10)
    # Whole months (read from the month rows) and a period that is not (read from the day rows).
    periods = [Period(date(2026, 1, 1), date(2026, 7, 1)), Period(date(2025, 7, 1), date(2026, 8, 1)),
               Period(date(2026, 5, 20), date(2026, 6, 13))]
    for period in periods:
        for form in (None, "sexual", "labour"):
            got = aggregates.signal_figures_pair(ids, period, period.previous(), form)
            want = aggregates.raw_signal_figures_pair(ids, period, period.previous(), form)
            for mine, raw in zip(got, want, strict=True):
                assert (mine.total, mine.acute, mine.by, mine.feedback_count) == (
                    raw.total, raw.acute, raw.by, raw.feedback_count)
                assert {m: +c for m, c in mine.by_month_form.items()} == {
                    m: +c for m, c in raw.by_month_form.items()}
                assert mine.median_triage_hours == pytest.approx(raw.median_triage_hours)
                assert mine.median_feedback_hours == pytest.approx(raw.median_feedback_hours)
        if aggregates.whole_months(period):  # the report's timeliness, now and once terms have run out
            for now in (timezone.now(), timezone.now() + timedelta(days=9)):
                assert statements.rolled_up_timeliness(ids, period, now) == statements.raw_timeliness(
                    ids, period, now)
        for dimension in aggregates.SIGNAL_DIMENSIONS:
            assert aggregates.regional_signal_rows(ids, period, dimension) == aggregates.raw_regional_signal_rows(
                ids, period, dimension)
    assert today in {p.start + timedelta(days=k) for p in periods for k in range(400)}
    assert aggregates.whole_months(periods[0]) and not aggregates.whole_months(periods[2])


operation = st.one_of(
    st.tuples(st.just("create"), st.booleans(), st.booleans(), st.sampled_from(["balie", "kcc", "toezicht"])),
    st.tuples(st.just("classify"), st.integers(0, 4), st.sets(st.sampled_from(FORMS), min_size=1, max_size=2),
              st.sampled_from(SECTORS)),
    st.tuples(st.just("close"), st.integers(0, 4), st.sampled_from(OUTCOMES)),
    st.tuples(st.just("feedback"), st.integers(0, 4)),
    st.tuples(st.just("reopen"), st.integers(0, 4)),
    st.tuples(st.just("anonymise"), st.integers(0, 4)),
    st.tuples(st.just("delete"), st.integers(0, 4)),
    st.tuples(st.just("wait"), st.integers(1, 60)),  # hours: the days (and a month's end) go by
)


def apply(world, clock, op) -> None:
    signals = list(Signal.objects.order_by("id"))
    kind = op[0]
    if kind == "create":
        _kind, in_b, acute, team = op
        make_signal(world.melder_b if in_b else world.melder_a, is_acute=acute, reporter_team=team)
        return
    if kind == "wait":
        clock.shift(timedelta(hours=op[1]))
        return
    if not signals:
        return
    signal = signals[op[1] % len(signals)]
    af = world.af_a if signal.municipality_id == world.a.pk else world.af_b
    if not signal.description and kind != "delete":
        return  # anonymised: what is left of it is only counted (and may still be deleted)
    if kind == "classify":
        triage.classify_signal(signal, actor=af, assessment="suspected", forms=sorted(op[2]), sector=op[3])
    elif kind == "close" and signal.status not in ("closed", "cancelled"):
        triage.close_signal(signal, actor=af, outcome=op[2], text="Afgerond.")
    elif kind == "feedback":
        triage.give_feedback(signal, actor=af, text="Dank voor uw signaal.")
    elif kind == "reopen" and signal.status == "closed":
        triage.reopen_signal(signal, actor=af, text="Nieuwe informatie.")
    elif kind == "anonymise":
        with transaction.atomic():
            _anonymise_signal(signal)
    elif kind == "delete":
        with transaction.atomic():
            signal.delete()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, min_size=1, max_size=10))
def test_rollups_always_equal_the_raw_counts(world, clock, ops):
    start = clock.time_to_freeze if hasattr(clock, "time_to_freeze") else None
    with transaction.atomic():
        for op in ops:
            apply(world, clock, op)
        assert_rollups_agree(world)
        transaction.set_rollback(True)
    if start is not None:
        clock.move_to(start)


def test_a_signal_across_midnight_counts_on_its_local_day(world, clock):
    clock.move_to("2026-06-10T23:59:30+02:00")
    signal = make_signal(world.melder_a)
    assert SignalDay.objects.get(municipality=world.a).day == date(2026, 6, 10)  # 21:59 UTC: local day
    clock.shift(timedelta(minutes=1))
    make_signal(world.melder_a)
    assert sorted(SignalDay.objects.values_list("day", "total")) == [(date(2026, 6, 10), 1), (date(2026, 6, 11), 1)]
    signal.delete()
    assert list(SignalDay.objects.values_list("day", "total")) == [(date(2026, 6, 11), 1)]


def test_a_save_without_counted_fields_leaves_the_rollups_alone(world, django_assert_num_queries):
    signal = make_signal(world.melder_a)
    with django_assert_num_queries(1):
        signal.save(update_fields=["deadline_at"])


def test_rebuild_command_repairs_a_bulk_change(world):
    signal = make_signal(world.melder_a, is_acute=False)
    Signal.objects.filter(pk=signal.pk).update(is_acute=True)  # bulk: bypasses the rollups on purpose
    assert SignalDay.objects.get().cells[""]["acute"] == 0
    call_command("rebuild_rollups", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert SignalDay.objects.get().cells[""]["acute"] == 1



def test_timeliness_rolled_up_under_other_triage_terms_is_not_used(world, settings):
    signal = make_signal(world.melder_a, is_acute=False)
    triage.classify_signal(signal, actor=world.af_a, assessment="suspected", forms=["labour"])
    received = timezone.localdate(signal.received_at)  # the month of the signal, whatever the clock run's date
    start = received.replace(day=1)
    period = Period(start, (start + timedelta(days=32)).replace(day=1))
    got = statements.timeliness([world.a.pk], period, timezone.now())
    assert got == statements.raw_timeliness([world.a.pk], period, timezone.now())
    assert (got.received, got.triaged_in_time) == (1, 1)
    settings.MELDROUTE = {**settings.MELDROUTE, "TRIAGE_WORKING_DAYS": 9}
    assert statements.rolled_up_timeliness([world.a.pk], period, timezone.now()) is None
    assert statements.timeliness([world.a.pk], period, timezone.now()).received == 1  # from the signals
