"""Counting: grouped queries over signals (with their classification), cases and victims. Counts only, never
identities; victims are read through persons.aggregates (facts, no identity) and put into categories here.

Every function takes the municipalities to count over as ids: *who* may see which figures is decided in
selectors.py. Each breakdown is one GROUP BY query; signals are grouped together with their classification's list of
forms, so the form partition (one category per signal) and the form filter are applied to the grouped rows, the same
way on SQLite and PostgreSQL. The classification's facts are read from the signal's own copy of them
(Signal.classified_at, classified_forms, classified_sector, kept by triage.services.classify_signal): a join to
every classification of the municipality made the dashboard several times slower (benchmarks/dashboard.py).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Protocol

from django.db import connection, connections
from django.db.models import Aggregate, Count, F, FloatField, Q
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils import timezone

from meldroute.cases.constants import OPEN_STATUSES, ActionStatus
from meldroute.cases.models import Case, CaseAction
from meldroute.intake.constants import Channel, Outcome
from meldroute.intake.models import Signal
from meldroute.organisations.constants import Team
from meldroute.persons.aggregates import VictimFactGroup, VictimRecord, victim_fact_groups
from meldroute.persons.aggregates import victim_records as person_victim_records
from meldroute.rollups.models import SignalDay, SignalMonth
from meldroute.rollups.services import KINDS, bucket_key, forms_of
from meldroute.triage.constants import ExploitationForm, Sector

from .constants import MULTIPLE, OTHER, PARTNER_TEAM, UNCLASSIFIED, UNKNOWN, rare_categories

SIGNAL_DIMENSIONS = ("form", "sector", "team", "acute", "outcome", "quarter")
VICTIM_DIMENSIONS = ("sex", "age_band", "nationality", "comensha_sector")


@dataclass(frozen=True)
class Period:
    start: date  # inclusive
    end: date  # exclusive

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end, time.min))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year + 1, 1, 1))

    @classmethod
    def half_year(cls, year: int, half: int) -> Period:
        return cls(date(year, 1, 1), date(year, 7, 1)) if half == 1 else cls(date(year, 7, 1), date(year + 1, 1, 1))

    def previous(self) -> Period:
        """The period of the same length just before this one (a half-year before a half-year, a year before a year)."""
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        year, month = divmod(self.start.year * 12 + self.start.month - 1 - months, 12)
        return Period(date(year, month + 1, 1), self.start)


# --------------------------------------------------------------------------- categories


def form_category(forms) -> str:
    """One category per signal: its single form, "multiple", or "unclassified"; rare forms become "overig"."""
    forms = set(forms or ())
    if not forms:
        return UNCLASSIFIED
    if len(forms) > 1:
        return MULTIPLE
    (form,) = forms
    return OTHER if form in rare_categories("form") else form


def sector_category(sector: str | None) -> str:
    value = "" if sector is None or sector == "unknown" else sector
    return OTHER if value in rare_categories("sector") or value == "other" else value


def team_category(channel: str, team: str) -> str:
    return PARTNER_TEAM if channel == Channel.PARTNER else (team or "")


def _has_form(forms, form: str | None) -> bool:
    return form is None or form in (forms or ())


# --------------------------------------------------------------------------- signals


@dataclass
class SignalFigures:
    """The municipal dashboard's signal figures for one period (and optionally one form).

    The period before it, shown only for comparison, gets the compared figures alone: total, acute, the medians
    and the feedback count (its `by` holds only "acute"); see signal_figures_pair."""

    total: int = 0
    acute: int = 0
    months: list[date] = field(default_factory=list)
    by_month_form: dict[date, Counter] = field(default_factory=dict)
    by: dict[str, Counter] = field(default_factory=dict)  # dimension → category → count
    median_triage_hours: float | None = None
    median_feedback_hours: float | None = None
    feedback_count: int = 0

    @property
    def acute_share(self) -> float | None:
        return None if not self.total else self.acute / self.total


def signals_in(municipality_ids: Iterable[int], period: Period):
    return Signal.objects.filter(municipality_id__in=list(municipality_ids), received_at__gte=period.start_at,
                                 received_at__lt=period.end_at)


def month_starts(period: Period) -> list[date]:
    out, current = [], period.start.replace(day=1)
    while current < period.end:
        out.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return out


def _category_counts() -> dict[str, tuple[str, str, Q]]:
    """One filtered COUNT per category of the dimensions other than form: a pivot, so a single GROUP BY on
    (month, forms) yields every breakdown in one scan (names are SQL aliases: dimension__code)."""
    counts: dict[str, tuple[str, str, Q]] = {}
    unknown_sector = Q(classified_sector="") | Q(classified_sector="unknown")
    counts["sector__"] = ("sector", "", unknown_sector)
    for value, _label in Sector.choices:
        if value != "unknown":
            counts[f"sector__{value}"] = ("sector", value, Q(classified_sector=value))
    counts["team__partner"] = ("team", PARTNER_TEAM, Q(channel=Channel.PARTNER))
    internal = ~Q(channel=Channel.PARTNER)
    counts["team__"] = ("team", "", internal & Q(reporter_team=""))
    for value, _label in Team.choices:
        counts[f"team__{value}"] = ("team", value, internal & Q(reporter_team=value))
    counts["acute__acute"] = ("acute", "acute", Q(is_acute=True))
    counts["outcome__"] = ("outcome", "", Q(outcome=""))
    for value, _label in Outcome.choices:
        counts[f"outcome__{value}"] = ("outcome", value, Q(outcome=value))
    return counts


def whole_months(period: Period) -> bool:
    return period.start.day == 1 and period.end.day == 1


def signal_figures_pair(municipality_ids: Iterable[int], period: Period, previous: Period,
                        form: str | None = None) -> tuple[SignalFigures, SignalFigures]:
    """The figures of a period and the comparison figures of the one before it, from the rollups (meldroute.rollups,
    kept in the same transaction as every change of a signal): from the month rows when both periods are whole
    months (every period the pages offer), else from the day rows. Two queries over a few dozen rows (months) or a
    few hundred (days) per municipality, whatever the number of signals. Equal to raw_signal_figures_pair by
    construction, and tested to be (rollups/tests)."""
    ids = list(municipality_ids)
    if whole_months(period) and whole_months(previous):
        return _month_figures_pair(ids, period, previous, form)
    return _day_figures_pair(ids, period, previous, form)


def _empty_pair(period: Period, previous: Period) -> tuple[SignalFigures, SignalFigures]:
    figures, before = SignalFigures(months=month_starts(period)), SignalFigures(months=month_starts(previous))
    for result in (figures, before):
        result.by_month_form = {month: Counter() for month in result.months}
        result.by = {name: Counter() for name in ("form", "sector", "team", "acute", "outcome")}
    return figures, before


def _count_cell(figures: SignalFigures, month: date, forms: list[str], cell: dict[str, Any]) -> None:
    """Add one rollup cell (the signals of one forms key) to the period's breakdowns."""
    category = form_category(forms)
    figures.by_month_form.setdefault(month, Counter())[category] += cell["n"]
    figures.by["form"][category] += cell["n"]
    by = figures.by
    for sector, n in cell["sector"].items():
        by["sector"][sector_category(sector)] += n
    for channel_team, n in cell["team"].items():
        channel, _sep, team = channel_team.partition(":")
        by["team"][team_category(channel, team)] += n
    for outcome, n in cell["outcome"].items():
        by["outcome"][outcome] += n


def _counted_cells(when: date, cells: dict[str, Any], pairs: Iterable[tuple[Period, SignalFigures]],
                   form: str | None) -> Iterator[tuple[int, str, list[str], dict[str, Any]]]:
    """The cells of one rollup row (a day or a month) of the chosen form, per period the row lies in: each is added
    to that period's total and acute count, then given to the caller as (period index, key, forms, cell)."""
    for k, (p, result) in enumerate(pairs):
        if not p.start <= when < p.end:
            continue
        for key, cell in cells.items():
            forms = forms_of(key)
            if not _has_form(forms, form):
                continue
            result.total += cell["n"]
            result.acute += cell["acute"]
            yield k, key, forms, cell


def _month_figures_pair(ids: list[int], period: Period, previous: Period,
                        form: str | None) -> tuple[SignalFigures, SignalFigures]:
    """From rollups.SignalMonth: the counts from the months' cells; each median from the months' histograms (which
    bucket holds the middle value, and where in it) and then only that bucket's values — exact, as the median of
    every value, without reading them all (one query for the counts, one for the middle buckets)."""
    figures, before = _empty_pair(period, previous)
    results = (figures, before)
    periods = (period, previous)
    start, end = min(period.start, previous.start), max(period.end, previous.end)
    months = SignalMonth.objects.filter(municipality_id__in=ids, month__gte=start, month__lt=end)
    hists: list[dict[str, Counter[str]]] = [{kind: Counter() for kind in KINDS} for _ in periods]
    for month, cells, hist in months.values_list("month", "cells", "hist").order_by():
        for k, key, forms, cell in _counted_cells(month, cells, zip(periods, results, strict=True), form):
            for kind in KINDS:
                hists[k][kind].update(hist[key][kind])
            if not k:  # the period before: total, acute and the durations only
                _count_cell(figures, month, forms, cell)
    # Where each median lies: (period, kind) → [(bucket, offset within the bucket's sorted values)] for the one or
    # two middle ranks.
    wanted: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for k, result in enumerate(results):
        for kind in KINDS:
            counts = hists[k][kind]
            n = sum(counts.values())
            if kind == "feedback":
                result.feedback_count = n
            if n:
                wanted[(k, kind)] = [_locate(counts, rank) for rank in ((n - 1) // 2, n // 2)]
    medians = _middle_values(ids, periods, form, wanted) if wanted else {}
    for k, result in enumerate(results):
        result.median_triage_hours = _to_hours(medians.get((k, "triage")))
        result.median_feedback_hours = _to_hours(medians.get((k, "feedback")))
        result.by["acute"]["acute"] = result.acute
        result.by["acute"]["regular"] = result.total - result.acute
    return figures, before


def _locate(counts: Counter[str], rank: int) -> tuple[int, int]:
    """The bucket holding the value of this (0-based) rank in bucket order, and its offset within that bucket
    (`counts` keyed by rollups.services.bucket_key)."""
    seen = 0
    for bucket, n in sorted((int(key[1:]), n) for key, n in counts.items()):
        if rank < seen + n:
            return bucket, rank - seen
        seen += n
    raise ValueError(rank)


def _middle_values(ids: list[int], periods: tuple[Period, Period], form: str | None,
                   wanted: dict[tuple[int, str], list[tuple[int, int]]]) -> dict[tuple[int, str], float]:
    """(period, kind) → the median seconds: the values of only the buckets that hold the middle ranks (one query)."""
    paths = sorted({(kind, bucket) for (_k, kind), spots in wanted.items() for bucket, _offset in spots})
    aliases = {path: f"b{i}" for i, path in enumerate(paths)}
    start, end = min(p.start for p in periods), max(p.end for p in periods)
    rows = (SignalMonth.objects.filter(municipality_id__in=ids, month__gte=start, month__lt=end)
            .annotate(**{alias: KeyTransform(bucket_key(bucket), KeyTransform(kind, "durations"))
                         for (kind, bucket), alias in aliases.items()})
            .values_list("month", *aliases.values()).order_by())
    values: dict[tuple[int, str, int], list[float]] = {}
    for month, *found in rows:
        for (kind, bucket), by_key in zip(paths, found, strict=True):
            for k, p in enumerate(periods):
                if (k, kind) not in wanted or not p.start <= month < p.end:
                    continue
                bag = values.setdefault((k, kind, bucket), [])
                for key, spans in (by_key or {}).items():
                    if _has_form(forms_of(key), form):
                        bag += spans
    out = {}
    for (k, kind), spots in wanted.items():
        middle = []
        for bucket, offset in spots:
            bag = values.setdefault((k, kind, bucket), [])
            bag.sort()
            middle.append(bag[offset])
        out[(k, kind)] = (middle[0] + middle[1]) / 2
    return out


def _day_figures_pair(ids: list[int], period: Period, previous: Period,
                      form: str | None) -> tuple[SignalFigures, SignalFigures]:
    """From rollups.SignalDay, for periods that are not whole months."""
    figures, before = _empty_pair(period, previous)
    spans: list[tuple[list[float], list[float]]] = [([], []), ([], [])]
    start, end = min(period.start, previous.start), max(period.end, previous.end)
    days = SignalDay.objects.filter(municipality_id__in=ids, day__gte=start, day__lt=end)
    in_database = connections[days.db].vendor == "postgresql"
    rows: Iterator[tuple[date, Any, Any]]
    if in_database:  # the medians in PostgreSQL (_rollup_medians): only the small counts come to Python
        rows = ((day, cells, None) for day, cells in days.values_list("day", "cells").iterator(chunk_size=1000))
    else:
        rows = days.values_list("day", "cells", "durations").iterator(chunk_size=1000)
    for day, cells, durations in rows:
        for k, key, forms, cell in _counted_cells(day, cells, ((period, figures), (previous, before)), form):
            if durations is not None:
                triage, feedback = spans[k]
                triage += durations[key]["triage"]
                feedback += durations[key]["feedback"]
            if not k:  # the period before: total, acute and the durations only
                _count_cell(figures, day.replace(day=1), forms, cell)
    medians = _rollup_medians(days.db, ids, period, previous, form) if in_database else None
    for k, (result, (triage, feedback)) in enumerate(zip((figures, before), spans, strict=True)):
        if medians is not None:
            result.median_triage_hours = _to_hours(medians.get(("triage", k), (None, 0))[0])
            result.median_feedback_hours, result.feedback_count = medians.get(("feedback", k), (None, 0))
            result.median_feedback_hours = _to_hours(result.median_feedback_hours)
        else:
            result.median_triage_hours = _to_hours(statistics.median(triage) if triage else None)
            result.median_feedback_hours = _to_hours(statistics.median(feedback) if feedback else None)
            result.feedback_count = len(feedback)
        result.by["acute"]["acute"] = result.acute
        result.by["acute"]["regular"] = result.total - result.acute
    return figures, before


_ROLLUP_MEDIANS = """
    SELECT spans.kind, CASE WHEN d.day >= %(start)s AND d.day < %(end)s THEN 0 ELSE 1 END,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY spans.seconds), count(*)
    FROM rollups_signalday d
    CROSS JOIN LATERAL jsonb_each(d.durations) AS cell(forms, lists)
    CROSS JOIN LATERAL (
        SELECT 'triage' AS kind, v::float8 AS seconds FROM jsonb_array_elements_text(cell.lists -> 'triage') AS v
        UNION ALL
        SELECT 'feedback', v::float8 FROM jsonb_array_elements_text(cell.lists -> 'feedback') AS v) AS spans
    WHERE d.municipality_id = ANY(%(ids)s) AND d.day >= %(from)s AND d.day < %(until)s
      AND (%(form)s::text IS NULL OR %(form)s::text = ANY(string_to_array(cell.forms, ',')))
    GROUP BY 1, 2"""


def _rollup_medians(db: str, ids: list[int], period: Period, previous: Period,
                    form: str | None) -> dict[tuple[str, int], tuple[float | None, int]]:
    """(kind, 0 for the period / 1 for the one before) → (median seconds, count), over the rollups' durations in
    PostgreSQL: the same values Python would take the median of, without sending them over."""
    params: dict[str, Any] = {"ids": ids, "start": period.start, "end": period.end, "form": form,
              "from": min(period.start, previous.start), "until": max(period.end, previous.end)}
    with connections[db].cursor() as cursor:
        cursor.execute(_ROLLUP_MEDIANS, params)
        return {(kind, k): (median, n) for kind, k, median, n in cursor.fetchall()}


def raw_signal_figures_pair(municipality_ids: Iterable[int], period: Period, previous: Period,
                            form: str | None = None) -> tuple[SignalFigures, SignalFigures]:
    """signal_figures_pair counted from the signals themselves (the rollups' reference, and the benchmark's):
    in two queries whatever the number of signals: one pivoted GROUP BY (month, forms) over the period for every
    breakdown, and one aggregate over both periods for the medians, the feedback counts and the previous period's
    total and acute count. The previous period's breakdowns are not counted: nothing shows them, and they doubled
    the pivot's work (benchmarks/dashboard.py)."""
    ids = list(municipality_ids)
    periods = (period, previous)
    union = Period(min(p.start for p in periods), max(p.end for p in periods))
    figures, before = SignalFigures(months=month_starts(period)), SignalFigures(months=month_starts(previous))
    for result in (figures, before):
        result.by_month_form = {month: Counter() for month in result.months}
        result.by = {name: Counter() for name in ("form", "sector", "team", "acute", "outcome")}
    pivot = _category_counts()
    rows = (signals_in(ids, period).annotate(month=TruncMonth("received_at")).values("month", "classified_forms")
            .annotate(n=Count("id"), **{alias: Count("id", filter=q) for alias, (_d, _c, q) in pivot.items()})
            .order_by())
    for row in rows:
        forms = row["classified_forms"]
        if not _has_form(forms, form):
            continue
        month = row["month"]
        month = timezone.localtime(month).date() if isinstance(month, datetime) else month
        if not period.start <= month < period.end:
            continue
        n = row["n"]
        category = form_category(forms)
        figures.total += n
        figures.by_month_form.setdefault(month, Counter())[category] += n
        figures.by["form"][category] += n
        for alias, (dimension, code, _q) in pivot.items():
            if row[alias]:
                key = sector_category(code) if dimension == "sector" else code
                figures.by[dimension][key] += row[alias]
    figures.acute = figures.by["acute"]["acute"]
    _durations(signals_in(ids, union), periods, (figures, before), form)
    before.by["acute"]["acute"] = before.acute
    for result in (figures, before):
        result.by["acute"]["regular"] = result.total - result.acute
    return figures, before


def signal_figures(municipality_ids: Iterable[int], period: Period, form: str | None = None) -> SignalFigures:
    return signal_figures_pair(municipality_ids, period, period.previous(), form)[0]


class _MedianSeconds(Aggregate):
    """PostgreSQL: the median of an interval in seconds, computed in the database. date_part, not EXTRACT: since
    PostgreSQL 14 EXTRACT returns numeric, which made the two medians a third slower (benchmarks/dashboard.py)."""

    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', %(expressions)s))"
    output_field = FloatField()


def _durations(base, periods, results, form: str | None) -> None:
    """Median hours to triage (classification) and to feedback, and the feedback count, per period; and the total
    and acute count of every period after the first (whose own come from the pivot)."""
    if connection.vendor == "postgresql":
        qs = base.filter(classified_forms__contains=[form]) if form else base
        aggregates: dict[str, Aggregate] = {}
        for k, p in enumerate(periods):
            within = Q(received_at__gte=p.start_at, received_at__lt=p.end_at)
            aggregates[f"triage{k}"] = _MedianSeconds(F("classified_at") - F("received_at"), filter=within)
            aggregates[f"feedback{k}"] = _MedianSeconds(F("feedback_sent_at") - F("received_at"), filter=within)
            aggregates[f"sent{k}"] = Count("id", filter=within & Q(feedback_sent_at__isnull=False))
            if k:
                aggregates[f"total{k}"] = Count("id", filter=within)
                aggregates[f"acute{k}"] = Count("id", filter=within & Q(is_acute=True))
        values = qs.aggregate(**aggregates)
        for k, figures in enumerate(results):
            figures.median_triage_hours = _to_hours(values[f"triage{k}"])
            figures.median_feedback_hours = _to_hours(values[f"feedback{k}"])
            figures.feedback_count = values[f"sent{k}"]
            if k:
                figures.total, figures.acute = values[f"total{k}"], values[f"acute{k}"]
        return
    # SQLite has no percentile_cont: fetch the two moments of each signal and take the medians here.
    triage: list[list[float]] = [[] for _ in periods]
    feedback: list[list[float]] = [[] for _ in periods]
    counts: list[Counter] = [Counter() for _ in periods]
    rows = base.values_list("received_at", "classified_at", "feedback_sent_at", "classified_forms", "is_acute")
    for received, classified, sent, forms, is_acute in rows:
        if not _has_form(forms, form):
            continue
        for k, p in enumerate(periods):
            if p.start_at <= received < p.end_at:
                counts[k]["total"] += 1
                counts[k]["acute"] += bool(is_acute)
                if classified is not None:
                    triage[k].append((classified - received).total_seconds())
                if sent is not None:
                    feedback[k].append((sent - received).total_seconds())
    for k, figures in enumerate(results):
        figures.median_triage_hours = _to_hours(statistics.median(triage[k]) if triage[k] else None)
        figures.median_feedback_hours = _to_hours(statistics.median(feedback[k]) if feedback[k] else None)
        figures.feedback_count = len(feedback[k])
        if k:
            figures.total, figures.acute = counts[k]["total"], counts[k]["acute"]


def _to_hours(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 3600


def regional_signal_rows(municipality_ids: list[int], period: Period, dimension: str) -> dict[int, Counter]:
    """Municipality → category → count for one dimension, from the rollups (one query over the region's months,
    or days when the period is not whole months; the durations are not read). Equal to raw_regional_signal_rows
    (rollups/tests)."""
    if dimension not in SIGNAL_DIMENSIONS:
        raise ValueError(dimension)
    out: dict[int, Counter] = {pk: Counter() for pk in municipality_ids}
    rows: Any
    if whole_months(period):
        rows = SignalMonth.objects.filter(municipality_id__in=municipality_ids, month__gte=period.start,
                                          month__lt=period.end).values_list("municipality_id", "month", "cells")
    else:
        rows = SignalDay.objects.filter(municipality_id__in=municipality_ids, day__gte=period.start,
                                        day__lt=period.end).values_list("municipality_id", "day", "cells")
    for muni, day, cells in rows.order_by().iterator(chunk_size=1000):
        counts = out[muni]
        for key, cell in cells.items():
            if dimension == "form":
                counts[form_category(forms_of(key))] += cell["n"]
            elif dimension == "sector":
                for sector, n in cell["sector"].items():
                    counts[sector_category(sector)] += n
            elif dimension == "team":
                for channel_team, n in cell["team"].items():
                    channel, _sep, team = channel_team.partition(":")
                    counts[team_category(channel, team)] += n
            elif dimension == "acute":
                counts["acute"] += cell["acute"]
                counts["regular"] += cell["n"] - cell["acute"]
            elif dimension == "outcome":
                for outcome, n in cell["outcome"].items():
                    counts[outcome] += n
            else:  # quarter
                counts[f"q{(day.month - 1) // 3 + 1}"] += cell["n"]
    for counts in out.values():  # as the grouped queries: no category with nothing in it
        for category in [c for c, n in counts.items() if not n]:
            del counts[category]
    return out


def raw_regional_signal_rows(municipality_ids: list[int], period: Period, dimension: str) -> dict[int, Counter]:
    """regional_signal_rows counted from the signals themselves: one grouped query over the region."""
    base = signals_in(municipality_ids, period)
    out: dict[int, Counter] = {pk: Counter() for pk in municipality_ids}
    if dimension == "form":
        for muni, forms, n in base.values_list("municipality_id", "classified_forms").annotate(
                n=Count("id")).order_by():
            out[muni][form_category(forms)] += n
    elif dimension == "sector":
        for muni, sector, n in base.values_list("municipality_id", "classified_sector").annotate(
                n=Count("id")).order_by():
            out[muni][sector_category(sector)] += n
    elif dimension == "team":
        for muni, channel, team, n in base.values_list("municipality_id", "channel", "reporter_team").annotate(
                n=Count("id")).order_by():
            out[muni][team_category(channel, team)] += n
    elif dimension == "acute":
        for muni, is_acute, n in base.values_list("municipality_id", "is_acute").annotate(n=Count("id")).order_by():
            out[muni]["acute" if is_acute else "regular"] += n
    elif dimension == "outcome":
        for muni, outcome, n in base.values_list("municipality_id", "outcome").annotate(n=Count("id")).order_by():
            out[muni][outcome or ""] += n
    elif dimension == "quarter":
        rows = base.annotate(q=TruncQuarter("received_at")).values_list("municipality_id", "q").annotate(
            n=Count("id")).order_by()
        for muni, quarter, n in rows:
            month = timezone.localtime(quarter).month if isinstance(quarter, datetime) else quarter.month
            out[muni][f"q{(month - 1) // 3 + 1}"] += n
    else:
        raise ValueError(dimension)
    return out


# --------------------------------------------------------------------------- cases


@dataclass
class CaseFigures:
    open_cases: int = 0
    opened: int = 0
    closed: int = 0
    overdue_actions: int = 0
    results: Counter = field(default_factory=Counter)


def case_figures(municipality_ids: Iterable[int], period: Period, today: date | None = None) -> CaseFigures:
    ids = list(municipality_ids)
    today = today or timezone.localdate()
    cases = Case.objects.filter(municipality_id__in=ids)
    counts = cases.aggregate(
        open_cases=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        opened=Count("id", filter=Q(created_at__gte=period.start_at, created_at__lt=period.end_at)),
        closed=Count("id", filter=Q(closed_at__gte=period.start_at, closed_at__lt=period.end_at)))
    figures = CaseFigures(**counts)
    figures.overdue_actions = CaseAction.objects.filter(
        case__municipality_id__in=ids, case__status__in=OPEN_STATUSES, status=ActionStatus.OPEN,
        deadline__lt=today).count()
    closed = cases.filter(closed_at__gte=period.start_at, closed_at__lt=period.end_at).exclude(result="")
    figures.results = Counter(dict(closed.values_list("result").annotate(n=Count("id")).order_by()))
    return figures


# --------------------------------------------------------------------------- victims


def nationality_category(code: str | None) -> str:
    code = (code or "").upper()
    if code == "NL":
        return "nl"
    if code == "XX":
        return "stateless"
    if not code or code == "ZZ":
        return UNKNOWN
    return "non_nl"


def comensha_sector_category(forms: Iterable[str], labour_sector: str | None = "") -> str:
    """CoMensha's sector from the forms of exploitation (and begging as labour sector); rare ones → "overig"."""
    sectors = set()
    for form in forms or ():
        if form == ExploitationForm.SEXUAL:
            sectors.add("sexual_services")
        elif form == ExploitationForm.LABOUR:
            sectors.add("begging" if labour_sector == "begging" else "regulated_labour")
        elif form == ExploitationForm.CRIMINAL:
            sectors.add("forced_criminality")
        elif form == ExploitationForm.ORGAN_REMOVAL:
            sectors.add("organ_removal")
    if labour_sector == "begging":
        sectors.add("begging")
    if not sectors:
        return UNKNOWN
    if len(sectors) > 1:
        return MULTIPLE
    (sector,) = sectors
    return OTHER if sector in rare_categories("comensha_sector") else sector


def sex_category(gender: str | None) -> str:
    return gender if gender in ("female", "male") else OTHER


def age_category(band: str | None) -> str:
    return band if band in ("minor", "18-22", "23-29", "30+") else UNKNOWN


def victim_records(municipality_ids: Iterable[int], period: Period) -> list[VictimRecord]:
    """Victims registered in the period on cases of these municipalities (persons.aggregates: facts, no identity)."""
    return person_victim_records(municipality_ids, period.start_at, period.end_at)


def victim_groups(municipality_ids: Iterable[int], period: Period) -> list[VictimFactGroup]:
    """The same victims grouped by their facts in the database, each group with its count: what the figures need
    (one row per distinct combination of facts, not one per victim)."""
    return victim_fact_groups(municipality_ids, period.start_at, period.end_at)


class VictimFacts(Protocol):
    """What a victim is counted by: a VictimRecord (one victim) or a VictimFactGroup (several, `count`)."""

    @property
    def municipality_id(self) -> int: ...
    @property
    def gender(self) -> str: ...
    @property
    def age_band(self) -> str: ...
    @property
    def is_minor(self) -> bool: ...
    @property
    def citizenship(self) -> str: ...
    @property
    def forms(self) -> tuple[str, ...]: ...
    @property
    def labour_sector(self) -> str: ...


def _weight(record: VictimFacts) -> int:
    count: int = getattr(record, "count", 1)
    return count


def victim_total(records: Iterable[VictimFacts]) -> int:
    return sum(_weight(record) for record in records)


def victim_category(record: VictimFacts, dimension: str) -> str:
    """The category of one victim (or group of victims with the same facts) in one of VICTIM_DIMENSIONS."""
    if dimension == "sex":
        return sex_category(record.gender)
    if dimension == "age_band":
        return "minor" if record.is_minor else age_category(record.age_band)
    if dimension == "nationality":
        return nationality_category(record.citizenship)
    if dimension == "comensha_sector":
        return comensha_sector_category(record.forms, record.labour_sector)
    raise ValueError(dimension)


def victim_counts(records: Iterable[VictimFacts]) -> dict[str, Counter]:
    by: dict[str, Counter] = {name: Counter() for name in VICTIM_DIMENSIONS}
    for record in records:
        for name in VICTIM_DIMENSIONS:
            by[name][victim_category(record, name)] += _weight(record)
    return by


def regional_victim_rows(records: Iterable[VictimFacts], municipality_ids: list[int],
                         dimension: str) -> dict[int, Counter]:
    out: dict[int, Counter] = {pk: Counter() for pk in municipality_ids}
    for record in records:
        if record.municipality_id in out:
            out[record.municipality_id][victim_category(record, dimension)] += _weight(record)
    return out
