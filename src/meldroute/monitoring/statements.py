"""What a report may state as fact: sentences generated from the figures, never stock text (issue 14).

A report to the burgemeester used to say "de signalen zijn binnen de afgesproken termijnen beoordeeld" whatever the
inbox showed. Now each claim about the execution is counted: how many signals of the period were assessed
(classified) within the triage term, how many reporters got their feedback on time, and what is still open and
overdue today. A section for which nothing can be counted (policy, chain cooperation) carries the AF's own text, or is
marked as not yet reviewed (tables.Report.blocks; the templates show the marker).

Counts only: the signals of the user's own municipality (the dashboard's exact figures, SPEC G1).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meldroute.intake.services import triage_deadline
from meldroute.rollups.models import SignalMonth
from meldroute.rollups.services import micros, triage_terms

from .aggregates import CaseFigures, Period, signals_in, whole_months


@dataclass(frozen=True)
class Timeliness:
    """How the signals received in a period were handled, against their terms, as of `now`."""

    received: int = 0
    triaged_in_time: int = 0
    triaged_late: int = 0
    open_overdue: int = 0  # not yet assessed, term passed
    open_in_term: int = 0  # not yet assessed, term still running
    feedback_in_time: int = 0
    feedback_late: int = 0
    feedback_overdue: int = 0  # not sent, its date passed (the inbox shows these as overdue)
    feedback_pending: int = 0  # not sent, not yet due

    @property
    def feedback_total(self) -> int:
        return self.feedback_in_time + self.feedback_late + self.feedback_overdue + self.feedback_pending


def timeliness(municipality_ids: Iterable[int], period: Period, now: datetime) -> Timeliness:
    """Count the period's signals against their triage term (acute: hours, else working days) and feedback date:
    from the month rollups (rollups.SignalMonth.timeliness) when the period is whole months and they were computed
    under today's triage terms, else from the signals (raw_timeliness). Equal either way (rollups/tests)."""
    ids = list(municipality_ids)
    if whole_months(period):
        found = rolled_up_timeliness(ids, period, now)
        if found is not None:
            return found
    return raw_timeliness(ids, period, now)


def rolled_up_timeliness(municipality_ids: list[int], period: Period, now: datetime) -> Timeliness | None:
    """From the month rows: the settled counts summed, the open deadlines and due moments compared with `now`
    (bisect: they are kept sorted). None when a row was computed under other triage terms (or not at all)."""
    counts = dict.fromkeys(Timeliness.__dataclass_fields__, 0)
    terms, moment = triage_terms(), micros(now)
    rows = SignalMonth.objects.filter(municipality_id__in=municipality_ids, month__gte=period.start,
                                      month__lt=period.end).values_list("total", "timeliness").order_by()
    for total, summary in rows:
        if summary.get("terms") != terms:
            return None
        counts["received"] += total
        counts["triaged_in_time"] += summary["triaged_in_time"]
        counts["triaged_late"] += summary["triaged_late"]
        counts["feedback_in_time"] += summary["feedback_in_time"]
        counts["feedback_late"] += summary["feedback_late"]
        overdue = bisect_left(summary["open"], moment)  # deadline < now
        counts["open_overdue"] += overdue
        counts["open_in_term"] += len(summary["open"]) - overdue
        overdue = bisect_left(summary["due"], moment)  # due < now
        counts["feedback_overdue"] += overdue
        counts["feedback_pending"] += len(summary["due"]) - overdue
    return Timeliness(**counts)


def raw_timeliness(municipality_ids: Iterable[int], period: Period, now: datetime) -> Timeliness:
    """timeliness counted from every signal of the period (the rollups' reference)."""
    counts = dict.fromkeys(Timeliness.__dataclass_fields__, 0)
    rows = signals_in(municipality_ids, period).values_list(
        "received_at", "is_acute", "classified_at", "feedback_due_at", "feedback_sent_at")
    for received, is_acute, classified, due, sent in rows.iterator():
        counts["received"] += 1
        deadline = triage_deadline(received, bool(is_acute))
        if classified is not None:
            counts["triaged_in_time" if classified <= deadline else "triaged_late"] += 1
        else:
            counts["open_overdue" if deadline < now else "open_in_term"] += 1
        if sent is not None:
            counts["feedback_in_time" if due is None or sent <= due else "feedback_late"] += 1
        elif due is not None:
            counts["feedback_overdue" if due < now else "feedback_pending"] += 1
    return Timeliness(**counts)


def _signals(n: int) -> str:
    return ngettext("%(n)s signaal", "%(n)s signalen", n) % {"n": n}


def execution_statements(t: Timeliness) -> list[str]:
    if not t.received:
        return [_("In deze periode zijn geen signalen binnengekomen.")]
    config = settings.MELDROUTE
    out = [_("%(x)s van de %(y)s binnen de termijn beoordeeld (acuut binnen %(h)s uur, anders binnen %(d)s "
             "werkdagen).") % {"x": t.triaged_in_time, "y": _signals(t.received),
                               "h": config.get("TRIAGE_HOURS_ACUTE", 4), "d": config.get("TRIAGE_WORKING_DAYS", 5)}]
    if t.triaged_late:
        out.append(_("%(n)s na de termijn beoordeeld.") % {"n": _signals(t.triaged_late)})
    if t.open_overdue:
        out.append(_("%(n)s nog niet beoordeeld terwijl de termijn verstreken is.") % {"n": _signals(t.open_overdue)})
    if t.open_in_term:
        out.append(_("%(n)s nog niet beoordeeld; de termijn loopt nog.") % {"n": _signals(t.open_in_term)})
    if t.feedback_total:
        out.append(_("De melder kreeg bij %(x)s van de %(y)s op tijd een terugkoppeling.")
                   % {"x": t.feedback_in_time, "y": _signals(t.feedback_total)})
    if t.feedback_late:
        out.append(ngettext("%(n)s terugkoppeling is te laat verstuurd.", "%(n)s terugkoppelingen zijn te laat "
                            "verstuurd.", t.feedback_late) % {"n": t.feedback_late})
    if t.feedback_overdue:
        out.append(ngettext("%(n)s terugkoppeling is nog niet verstuurd terwijl de termijn verstreken is.",
                            "%(n)s terugkoppelingen zijn nog niet verstuurd terwijl de termijn verstreken is.",
                            t.feedback_overdue) % {"n": t.feedback_overdue})
    if t.feedback_pending:
        out.append(ngettext("%(n)s terugkoppeling staat nog open; de termijn loopt nog.",
                            "%(n)s terugkoppelingen staan nog open; de termijn loopt nog.",
                            t.feedback_pending) % {"n": t.feedback_pending})
    return out


def case_statements(cases: CaseFigures, today: date) -> list[str]:
    return [
        _("In deze periode zijn %(opened)s casussen geopend en %(closed)s afgesloten.")
        % {"opened": cases.opened, "closed": cases.closed},
        _("Op %(d)s lopen %(open)s casussen; %(overdue)s acties uit een plan van aanpak zijn over de termijn.")
        % {"d": date_format(today, "j F Y"), "open": cases.open_cases, "overdue": cases.overdue_actions},
    ]


def report_statements(t: Timeliness, cases: CaseFigures, today: date) -> dict[str, list[str]]:
    """Per report section, the sentences the figures support (sections without figures get none)."""
    return {"execution": execution_statements(t), "case_handling": case_statements(cases, today)}
