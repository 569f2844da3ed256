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
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from meldroute.intake.models import Signal
from meldroute.intake.services import triage_deadline

from .models import SignalDay, SignalMonth

# The facts of a signal a rollup holds; a save that touches none of them leaves the rollups alone.
COUNTED_FIELDS = frozenset({"municipality", "received_at", "channel", "reporter_team", "is_acute", "outcome",
                            "classified_forms", "classified_sector", "classified_at", "feedback_sent_at",
                            "feedback_due_at"})
# What the report's timeliness reads besides (timeliness_of); not part of _COLUMNS, which migration 0001 uses.
_TIMELINESS_COLUMNS = ("received_at", "is_acute", "classified_at", "feedback_due_at", "feedback_sent_at")
TIMELY_COUNTS = ("triaged_in_time", "triaged_late", "feedback_in_time", "feedback_late")
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
        self.timeliness: dict[str, Any] = {}

    def add(self, total: int, cells: Mapping[str, Any], durations: Mapping[str, Any],
            timeliness: Mapping[str, Any] | None = None) -> None:
        self.total += total
        self.timeliness = add_timeliness(self.timeliness, timeliness or {})
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
        if self.timeliness:
            self.timeliness["open"].sort()
            self.timeliness["due"].sort()
        return self.total, self.cells, self.hist, self.durations


def refresh_month(municipality_id: int, month: date) -> None:
    """Recompute one municipality's month from its day rows, in the caller's transaction (month row locked)."""
    start = month_of(month)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    builder = _MonthBuilder()
    days = SignalDay.objects.filter(municipality_id=municipality_id, day__gte=start, day__lt=end)
    for total, cells, durations, timeliness in days.values_list("total", "cells", "durations", "timeliness").order_by(
            "day"):
        builder.add(total, cells, durations, timeliness)
    total, cells, hist, durations = builder.result()
    if not total:
        SignalMonth.objects.filter(municipality_id=municipality_id, month=start).delete()
        return
    SignalMonth.objects.filter(municipality_id=municipality_id, month=start).update(
        total=total, cells=cells, hist=hist, durations=durations, timeliness=builder.timeliness)


def triage_terms() -> list[int]:
    """The terms the triage deadline is computed with (intake.services.triage_deadline): a rollup computed under
    other terms is not used (monitoring counts the raw signals instead) until `rebuild_rollups`."""
    terms: dict[str, Any] = settings.MELDROUTE
    return [int(terms["TRIAGE_HOURS_ACUTE"]), int(terms["TRIAGE_WORKING_DAYS"])]


def micros(moment: datetime) -> int:
    """A moment as whole microseconds since the epoch: exact, and compared like the moment itself."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def timeliness_of(rows: Iterable[tuple[Any, ...]]) -> dict[str, Any]:
    """The report's timeliness of some signals (rows as _TIMELINESS_COLUMNS), as monitoring.statements.timeliness
    counts it: triage in time or late and feedback in time or late are settled facts, counted; a signal not yet
    classified keeps its triage deadline and an unsent feedback its due moment, to be compared with "now"."""
    out: dict[str, Any] = {"terms": triage_terms(), **dict.fromkeys(TIMELY_COUNTS, 0), "open": [], "due": []}
    for received, is_acute, classified, due, sent in rows:
        deadline = triage_deadline(received, bool(is_acute))
        if classified is not None:
            out["triaged_in_time" if classified <= deadline else "triaged_late"] += 1
        else:
            out["open"].append(micros(deadline))
        if sent is not None:
            out["feedback_in_time" if due is None or sent <= due else "feedback_late"] += 1
        elif due is not None:
            out["due"].append(micros(due))
    out["open"].sort()
    out["due"].sort()
    return out


def add_timeliness(into: dict[str, Any], timeliness: Mapping[str, Any]) -> dict[str, Any]:
    """Sum two timeliness summaries (terms kept only while they agree; None when they do not)."""
    if not into:
        return {"terms": timeliness.get("terms"), **{k: timeliness.get(k, 0) for k in TIMELY_COUNTS},
                "open": list(timeliness.get("open", ())), "due": list(timeliness.get("due", ()))}
    if into["terms"] != timeliness.get("terms"):
        into["terms"] = None
    for key in TIMELY_COUNTS:
        into[key] += timeliness.get(key, 0)
    into["open"] += timeliness.get("open", ())
    into["due"] += timeliness.get("due", ())
    return into


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
        rows = list(signals.values_list(*_COLUMNS, *_TIMELINESS_COLUMNS).order_by())
        width = len(_COLUMNS)
        total, cells, durations = _summarise(values[:width] for values in rows)
        if not total:
            row.delete()
        else:
            row.total, row.cells, row.durations = total, cells, durations
            row.timeliness = timeliness_of(values[width:] for values in rows)
            row.save(update_fields=["total", "cells", "durations", "timeliness"])
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


def _month_builders(day_rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[int, date, _MonthBuilder]]:
    current: tuple[int, date] | None = None
    builder = _MonthBuilder()
    for municipality_id, day, total, cells, durations, *timeliness in day_rows:
        key = (municipality_id, month_of(day))
        if key != current:
            if current is not None:
                yield current[0], current[1], builder
            current, builder = key, _MonthBuilder()
        builder.add(total, cells, durations, timeliness[0] if timeliness else None)
    if current is not None:
        yield current[0], current[1], builder


def months_from_days(day_rows: Iterable[tuple[Any, ...]],
                     ) -> Iterator[tuple[int, date, tuple[int, dict[str, Any], dict[str, Any], dict[str, Any]]]]:
    """(municipality, month, (total, cells, hist, durations)) of day rows (municipality, day, total, cells,
    durations) ordered by municipality and day (migration 0002)."""
    for municipality_id, month, builder in _month_builders(day_rows):
        yield municipality_id, month, builder.result()


def rebuild(chunk: int = 2000) -> int:
    """Recompute every rollup from the signals (after a bulk load, a restore, or to check). Returns the day rows
    made (the month rows are made from them)."""
    made = 0
    with transaction.atomic():
        SignalMonth.objects.all().delete()
        SignalDay.objects.all().delete()
        columns = (*_COLUMNS, *_TIMELINESS_COLUMNS)
        rows = Signal.objects.order_by("municipality_id", "received_at").values_list(*columns)
        pending: list[SignalDay] = []
        width = len(_COLUMNS)

        def summaries() -> Iterator[tuple[Any, ...]]:
            nonlocal made, pending
            for municipality_id, day, batch in _days(rows.iterator(chunk_size=chunk)):
                total, cells, durations = _summarise(row[:width] for row in batch)
                timeliness = timeliness_of(row[width:] for row in batch)
                pending.append(SignalDay(municipality_id=municipality_id, day=day, total=total, cells=cells,
                                         durations=durations, timeliness=timeliness))
                if len(pending) >= chunk:
                    made += len(SignalDay.objects.bulk_create(pending))
                    pending = []
                yield municipality_id, day, total, cells, durations, timeliness

        months: list[SignalMonth] = []
        for m, month, builder in _month_builders(summaries()):
            total, cells, hist, durations = builder.result()
            months.append(SignalMonth(municipality_id=m, month=month, total=total, cells=cells, hist=hist,
                                      durations=durations, timeliness=builder.timeliness))
            if len(months) >= 50:
                SignalMonth.objects.bulk_create(months)
                months = []
        SignalMonth.objects.bulk_create(months)
        made += len(SignalDay.objects.bulk_create(pending))
    return made
