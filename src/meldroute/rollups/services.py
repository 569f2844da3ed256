"""Keeping the daily and monthly rollups: recompute one municipality's day from its signals (and its month from its
days), or every day and month (rebuild).

A day is recomputed whole from the signals rather than adjusted by deltas: a change of any counted fact (receipt,
classification, outcome, feedback, deletion) then cannot leave the rollup off by one, whatever the order of events.
The month row is locked first, then the day row (each created if missing): always in that order, so two
transactions changing signals of the same municipality and month take turns without deadlocking, and the second
recounts after the first committed (READ COMMITTED: each statement sees the latest commits).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from meldroute.intake.models import Signal

from .models import SignalDay, SignalMonth

# The facts of a signal a rollup holds; a save that touches none of them leaves the rollups alone.
COUNTED_FIELDS = frozenset({"municipality", "received_at", "channel", "reporter_team", "is_acute", "outcome",
                            "classified_forms", "classified_sector", "classified_at", "feedback_sent_at"})
_COLUMNS = ("municipality_id", "received_at", "channel", "reporter_team", "is_acute", "outcome", "classified_forms",
            "classified_sector", "classified_at", "feedback_sent_at")


def day_of(moment: datetime) -> date:
    """The local (Europe/Amsterdam) day of a moment: the dashboard's periods and months are local too."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    return (timezone.make_aware(datetime.combine(day, time.min), tz),
            timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz))


def forms_key(forms: Iterable[str] | None) -> str:
    return ",".join(sorted(set(forms or ())))


def forms_of(key: str) -> list[str]:
    return key.split(",") if key else []


def _summarise(rows: Iterable[tuple[Any, ...]]) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """(total, cells, durations) of one day's signals, rows as in _COLUMNS."""
    total = 0
    cells: dict[str, dict[str, Any]] = {}
    durations: dict[str, dict[str, list[float]]] = {}
    for _m, received, channel, team, is_acute, outcome, forms, sector, classified, sent in rows:
        key = forms_key(forms)
        cell = cells.setdefault(key, {"n": 0, "acute": 0, "sector": {}, "team": {}, "outcome": {}})
        cell["n"] += 1
        cell["acute"] += bool(is_acute)
        for name, value in (("sector", sector or ""), ("team", f"{channel}:{team or ''}"), ("outcome", outcome or "")):
            cell[name][value] = cell[name].get(value, 0) + 1
        spans = durations.setdefault(key, {"triage": [], "feedback": []})
        if classified is not None:
            spans["triage"].append((classified - received).total_seconds())
        if sent is not None:
            spans["feedback"].append((sent - received).total_seconds())
        total += 1
    for spans in durations.values():  # sorted: a stable value whatever order the database returned the rows in
        spans["triage"].sort()
        spans["feedback"].sort()
    return total, cells, durations


# --------------------------------------------------------------------------- months

BUCKETS_PER_DOUBLING = 8
KINDS = ("triage", "feedback")


def bucket_of(seconds: float) -> int:
    """The histogram bucket of a duration: ⅛ of a doubling of (|seconds| + 1), signed; non-decreasing in `seconds`,
    so sorting by bucket and then by value within a bucket sorts the values."""
    index = math.floor(math.log2(abs(seconds) + 1) * BUCKETS_PER_DOUBLING)
    return index if seconds >= 0 else -index


def bucket_key(bucket: int) -> str:
    return f"b{bucket}"  # not a bare number: a JSON path would read that as an array index


def month_of(day: date) -> date:
    return day.replace(day=1)


def _add_counts(into: dict[str, Any], cells: Mapping[str, Any]) -> None:
    for key, cell in cells.items():
        mine = into.setdefault(key, {"n": 0, "acute": 0, "sector": {}, "team": {}, "outcome": {}})
        mine["n"] += cell["n"]
        mine["acute"] += cell["acute"]
        for name in ("sector", "team", "outcome"):
            counts = mine[name]
            for value, n in cell[name].items():
                counts[value] = counts.get(value, 0) + n


class _MonthBuilder:
    """Sums the day rows of one month into a SignalMonth's total, cells, hist and bucketed durations."""

    def __init__(self) -> None:
        self.total = 0
        self.cells: dict[str, Any] = {}
        self.hist: dict[str, dict[str, dict[str, int]]] = {}
        self.durations: dict[str, dict[str, dict[str, list[float]]]] = {kind: {} for kind in KINDS}

    def add(self, total: int, cells: Mapping[str, Any], durations: Mapping[str, Any]) -> None:
        self.total += total
        _add_counts(self.cells, cells)
        for key, spans in durations.items():
            hist = self.hist.setdefault(key, {kind: {} for kind in KINDS})
            for kind in KINDS:
                counts, buckets = hist[kind], self.durations[kind]
                for seconds in spans[kind]:
                    bucket = bucket_key(bucket_of(seconds))
                    counts[bucket] = counts.get(bucket, 0) + 1
                    buckets.setdefault(bucket, {}).setdefault(key, []).append(seconds)

    def result(self) -> tuple[int, dict[str, Any], dict[str, Any], dict[str, Any]]:
        for buckets in self.durations.values():
            for by_key in buckets.values():
                for values in by_key.values():
                    values.sort()
        return self.total, self.cells, self.hist, self.durations


def refresh_month(municipality_id: int, month: date) -> None:
    """Recompute one municipality's month from its day rows, in the caller's transaction (month row locked)."""
    start = month_of(month)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    builder = _MonthBuilder()
    days = SignalDay.objects.filter(municipality_id=municipality_id, day__gte=start, day__lt=end)
    for total, cells, durations in days.values_list("total", "cells", "durations").order_by("day"):
        builder.add(total, cells, durations)
    total, cells, hist, durations = builder.result()
    if not total:
        SignalMonth.objects.filter(municipality_id=municipality_id, month=start).delete()
        return
    SignalMonth.objects.filter(municipality_id=municipality_id, month=start).update(
        total=total, cells=cells, hist=hist, durations=durations)


def refresh_day(municipality_id: int, day: date) -> None:
    """Recount one municipality's day from its signals, and its month from its days, in the caller's transaction
    (or one of its own)."""
    with transaction.atomic():
        month = month_of(day)
        SignalMonth.objects.bulk_create([SignalMonth(municipality_id=municipality_id, month=month)],
                                        ignore_conflicts=True)
        list(SignalMonth.objects.select_for_update().filter(municipality_id=municipality_id, month=month)
             .values_list("pk", flat=True))  # the lock: see the module's docstring
        SignalDay.objects.bulk_create([SignalDay(municipality_id=municipality_id, day=day)], ignore_conflicts=True)
        row = SignalDay.objects.select_for_update().get(municipality_id=municipality_id, day=day)
        start, end = day_bounds(day)
        signals = Signal.objects.filter(municipality_id=municipality_id, received_at__gte=start, received_at__lt=end)
        total, cells, durations = _summarise(signals.values_list(*_COLUMNS).order_by())
        if not total:
            row.delete()
        else:
            row.total, row.cells, row.durations = total, cells, durations
            row.save(update_fields=["total", "cells", "durations"])
        refresh_month(municipality_id, month)


def _days(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[int, date, list[tuple[Any, ...]]]]:
    current: tuple[int, date] | None = None
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        key = (row[0], day_of(row[1]))
        if key != current:
            if current is not None:
                yield current[0], current[1], batch
            current, batch = key, []
        batch.append(row)
    if current is not None:
        yield current[0], current[1], batch


def months_from_days(day_rows: Iterable[tuple[int, date, int, dict[str, Any], dict[str, Any]]],
                     ) -> Iterator[tuple[int, date, tuple[int, dict[str, Any], dict[str, Any], dict[str, Any]]]]:
    """(municipality, month, (total, cells, hist, durations)) of day rows ordered by municipality and day."""
    current: tuple[int, date] | None = None
    builder = _MonthBuilder()
    for municipality_id, day, total, cells, durations in day_rows:
        key = (municipality_id, month_of(day))
        if key != current:
            if current is not None:
                yield current[0], current[1], builder.result()
            current, builder = key, _MonthBuilder()
        builder.add(total, cells, durations)
    if current is not None:
        yield current[0], current[1], builder.result()


def rebuild(chunk: int = 2000) -> int:
    """Recompute every rollup from the signals (after a bulk load, a restore, or to check). Returns the day rows
    made (the month rows are made from them)."""
    made = 0
    with transaction.atomic():
        SignalMonth.objects.all().delete()
        SignalDay.objects.all().delete()
        rows = Signal.objects.order_by("municipality_id", "received_at").values_list(*_COLUMNS)
        pending: list[SignalDay] = []

        def summaries() -> Iterator[tuple[int, date, int, dict[str, Any], dict[str, Any]]]:
            nonlocal made, pending
            for municipality_id, day, batch in _days(rows.iterator(chunk_size=chunk)):
                total, cells, durations = _summarise(batch)
                pending.append(SignalDay(municipality_id=municipality_id, day=day, total=total, cells=cells,
                                         durations=durations))
                if len(pending) >= chunk:
                    made += len(SignalDay.objects.bulk_create(pending))
                    pending = []
                yield municipality_id, day, total, cells, durations

        months: list[SignalMonth] = []
        for m, month, (total, cells, hist, durations) in months_from_days(summaries()):
            months.append(SignalMonth(municipality_id=m, month=month, total=total, cells=cells, hist=hist,
                                      durations=durations))
            if len(months) >= 50:
                SignalMonth.objects.bulk_create(months)
                months = []
        SignalMonth.objects.bulk_create(months)
        made += len(SignalDay.objects.bulk_create(pending))
    return made
