"""The retention plan: per rule, which records are due now, which are held, which go within the next 90 days — the
same function feeds the dry-run report (screen, CSV, `retention --dry-run`) and the real run, so they cannot differ.
Only ids, codes and dates: no content of the records is read."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from meldroute.care.models import CareTrajectory
from meldroute.cases.constants import CaseStatus
from meldroute.cases.models import Case, Intervention
from meldroute.intake.constants import SignalStatus
from meldroute.intake.models import Attachment, Signal, SignalStatusChange
from meldroute.referrals.constants import ReferralStatus
from meldroute.referrals.models import Referral

from .models import HoldTarget, RetentionHold, RetentionMark
from .rules import AUTOMATED, LOOKAHEAD, Rule, add_months

FINISHED = (SignalStatus.CLOSED, SignalStatus.CANCELLED)
REFERRAL_FINISHED = (ReferralStatus.DONE, ReferralStatus.REJECTED, ReferralStatus.REVOKED)
SLACK = timedelta(days=4)  # month arithmetic is not exactly reversible: the database filter is wide, Python decides


@dataclass(frozen=True)
class Item:
    rule: str
    target_uuid: UUID
    reference: str
    due_on: date


@dataclass
class RuleReport:
    rule: Rule
    due: list[Item] = field(default_factory=list)  # goes at the next run
    held: list[Item] = field(default_factory=list)  # due, but a hold keeps it
    upcoming: list[Item] = field(default_factory=list)  # goes within LOOKAHEAD


@dataclass(frozen=True)
class Holds:
    signal_ids: frozenset[int]
    case_ids: frozenset[int]


def active_holds(now: datetime) -> Holds:
    """The ids of held signals and cases; a held case also holds its signals. A case with a person whose processing
    is restricted (AVG art. 18, set by the FG: the data may only be kept) is held as long as the restriction lasts."""
    holds = RetentionHold.objects.active_on(timezone.localdate(now))
    case_uuids = holds.filter(target_type=HoldTarget.CASE).values("target_uuid")
    case_ids = frozenset(Case.objects.filter(Q(uuid__in=case_uuids) | Q(persons__restricted_at__isnull=False))
                         .values_list("id", flat=True))
    signal_ids = set(Signal.objects.filter(uuid__in=holds.filter(target_type=HoldTarget.SIGNAL)
                                           .values("target_uuid")).values_list("id", flat=True))
    signal_ids |= set(Case.signals.through.objects.filter(case_id__in=case_ids).values_list("signal_id", flat=True))
    return Holds(frozenset(signal_ids), case_ids)


def _day(moment: datetime | date) -> date:
    return timezone.localdate(moment) if isinstance(moment, datetime) else moment


def _finished_signals(region_id: int | None) -> "QuerySet[Any]":  # annotated with finished_at
    cancelled_at = (SignalStatusChange.objects.filter(signal=OuterRef("pk"), to_status=SignalStatus.CANCELLED)
                    .order_by("-created_at").values("created_at")[:1])
    signals = Signal.objects.filter(status__in=FINISHED).annotate(
        finished_at=Coalesce("closed_at", Subquery(cancelled_at)))
    return signals.filter(municipality__region_id=region_id) if region_id else signals


def _not_marked(rule: Rule) -> Q:
    return ~Q(uuid__in=RetentionMark.objects.filter(rule=rule.key).values("target_uuid"))


def _sort(report: RuleReport, rule: Rule, now: datetime, horizon: datetime, rows: Iterable[tuple[UUID, str,
          datetime | date | None, bool]]) -> RuleReport:
    today, last_day = timezone.localdate(now), timezone.localdate(horizon)
    for uuid, reference, start, held in rows:
        if start is None:  # excluded by the query; for the type checker
            continue
        due = rule.due_at(start)
        is_due, soon = (due <= now, due <= horizon) if isinstance(due, datetime) else (due <= today, due <= last_day)
        item = Item(rule.key, uuid, reference, _day(due))
        if is_due:
            (report.held if held else report.due).append(item)
        elif soon:
            report.upcoming.append(item)
    for items in (report.due, report.held, report.upcoming):
        items.sort(key=lambda i: (i.due_on, i.reference, str(i.target_uuid)))
    return report


def _rows(rule: Rule, horizon_start: datetime, region_id: int | None, holds: Holds
          ) -> list[tuple[UUID, str, datetime | date | None, bool]]:
    """(uuid, code, start of the term, held) of every record of this rule whose term ends before the horizon."""
    if rule.key == "attachments":
        signals = _finished_signals(region_id).filter(finished_at__lte=horizon_start)
        attachments = (Attachment.objects.filter(signal__in=signals.values("id"))
                       .annotate(finished_at=Subquery(signals.filter(id=OuterRef("signal_id")).values("finished_at")))
                       .values_list("uuid", "signal__reference", "finished_at", "signal_id"))
        return [(u, ref, start, sid in holds.signal_ids) for u, ref, start, sid in attachments]
    if rule.key in ("signal_no_follow_up", "signal_followed_up"):
        followed = Q(Exists(Referral.objects.filter(signal=OuterRef("pk")))) | Q(
            Exists(Case.signals.through.objects.filter(signal_id=OuterRef("pk"))))
        signals = _finished_signals(region_id).filter(_not_marked(rule), finished_at__lte=horizon_start)
        if rule.key == "signal_no_follow_up":
            signals = signals.exclude(followed)
        else:
            open_case = Case.objects.filter(signals=OuterRef("pk")).exclude(status=CaseStatus.CLOSED)
            signals = signals.filter(followed).exclude(Exists(open_case))
        return [(u, ref, start, pk in holds.signal_ids)
                for pk, u, ref, start in signals.values_list("id", "uuid", "reference", "finished_at")]
    if rule.key == "referral":
        referrals = Referral.objects.filter(_not_marked(rule), status__in=REFERRAL_FINISHED,
                                            closed_at__lte=horizon_start)
        if region_id:
            referrals = referrals.filter(signal__municipality__region_id=region_id)
        return [(u, ref, start, sid in holds.signal_ids)
                for u, ref, start, sid in referrals.values_list("uuid", "signal__reference", "closed_at", "signal_id")]
    if rule.key == "case_closed":
        cases = Case.objects.filter(_not_marked(rule), status=CaseStatus.CLOSED, closed_at__lte=horizon_start)
        if region_id:
            cases = cases.filter(municipality__region_id=region_id)
        return [(u, ref, start, pk in holds.case_ids)
                for pk, u, ref, start in cases.values_list("id", "uuid", "reference", "closed_at")]
    if rule.key == "intervention":
        interventions = Intervention.objects.filter(_not_marked(rule), case__isnull=True,
                                                    decided_on__lte=timezone.localdate(horizon_start))
        if region_id:
            interventions = interventions.filter(municipality__region_id=region_id)
        return [(u, f"{kind} {day.isoformat()}", day, False)
                for u, kind, day in interventions.values_list("uuid", "kind", "decided_on")]
    if rule.key == "care_trajectory":
        trajectories = CareTrajectory.objects.filter(_not_marked(rule), ended_on__isnull=False,
                                                     ended_on__lte=timezone.localdate(horizon_start),
                                                     person__case__status=CaseStatus.CLOSED)
        if region_id:
            trajectories = trajectories.filter(person__case__municipality__region_id=region_id)
        return [(u, ref, start, case_id in holds.case_ids) for u, ref, start, case_id in trajectories.values_list(
            "uuid", "person__case__reference", "ended_on", "person__case_id")]
    raise ValueError(f"no selection for retention rule {rule.key}")


def retention_plan(now: datetime, *, region_id: int | None = None, rules: Iterable[Rule] = AUTOMATED
                   ) -> list[RuleReport]:
    """What each rule removes at a run at `now` (due), keeps for a hold (held), and removes within 90 days
    (upcoming). `region_id`: only records of that region (the report of an FG or beheerder)."""
    horizon = now + LOOKAHEAD
    holds = active_holds(now)
    reports = []
    for rule in rules:
        horizon_start = add_months(horizon, -(rule.months or 0)) + SLACK
        reports.append(_sort(RuleReport(rule), rule, now, horizon, _rows(rule, horizon_start, region_id, holds)))
    return reports


def holds_for(region_id: int) -> QuerySet[RetentionHold]:
    return RetentionHold.objects.filter(region_id=region_id).select_related("placed_by", "lifted_by").order_by(
        "lifted_at", "until", "id")
