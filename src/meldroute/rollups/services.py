"""Keeping the daily rollups: recompute one municipality's day from its signals, or every day (rebuild).

A day is recomputed whole from the signals rather than adjusted by deltas: a change of any counted fact (receipt,
classification, outcome, feedback, deletion) then cannot leave the rollup off by one, whatever the order of events.
The row is locked first (created if missing), so two transactions changing signals of the same municipality and
day take turns, and the second recounts after the first committed (READ COMMITTED: each statement sees the
latest commits).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from meldroute.intake.models import Signal

from .models import SignalDay

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


def refresh_day(municipality_id: int, day: date) -> None:
    """Recount one municipality's day from its signals, in the caller's transaction (or one of its own)."""
    with transaction.atomic():
        SignalDay.objects.bulk_create([SignalDay(municipality_id=municipality_id, day=day)], ignore_conflicts=True)
        row = SignalDay.objects.select_for_update().get(municipality_id=municipality_id, day=day)
        start, end = day_bounds(day)
        signals = Signal.objects.filter(municipality_id=municipality_id, received_at__gte=start, received_at__lt=end)
        total, cells, durations = _summarise(signals.values_list(*_COLUMNS).order_by())
        if not total:
            row.delete()
            return
        row.total, row.cells, row.durations = total, cells, durations
        row.save(update_fields=["total", "cells", "durations"])


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


def rebuild(chunk: int = 2000) -> int:
    """Recompute every rollup from the signals (after a bulk load, a restore, or to check). Returns the rows made."""
    made = 0
    with transaction.atomic():
        SignalDay.objects.all().delete()
        rows = Signal.objects.order_by("municipality_id", "received_at").values_list(*_COLUMNS)
        pending: list[SignalDay] = []
        for municipality_id, day, batch in _days(rows.iterator(chunk_size=chunk)):
            total, cells, durations = _summarise(batch)
            pending.append(SignalDay(municipality_id=municipality_id, day=day, total=total, cells=cells,
                                     durations=durations))
            if len(pending) >= chunk:
                made += len(SignalDay.objects.bulk_create(pending))
                pending = []
        made += len(SignalDay.objects.bulk_create(pending))
    return made
