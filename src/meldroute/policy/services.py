"""Every write of policy follow-up: a named function that takes the actor, checks the scope, runs in a transaction
and writes its audit event in that same transaction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.core.dates import long_date
from meldroute.core.exceptions import DomainError
from meldroute.core.language import recorded
from meldroute.core.models import JobState
from meldroute.notifications.constants import Kind
from meldroute.notifications.services import notify
from meldroute.organisations.models import Organisation, Region

from . import selectors
from .constants import FRONT_LINE_TEAMS, ActionStatus, ActivityKind, Part, Provider
from .importer import ParsedRow
from .models import (
    ActionImport,
    ActionPoint,
    ActionUpdate,
    Activity,
    EvaluationCadence,
    LevelChange,
    PartRecording,
    RegionGoal,
    Training,
)

PURPOSE = "beleidsmonitoring"


def _forbidden() -> DomainError:
    return DomainError(_("U mag dit voor deze gemeente niet vastleggen."), code="forbidden")


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(_("Deze datum ligt in de toekomst."), field=field)


# --- basisniveau ---------------------------------------------------------------------------------------------------


def refresh_level(municipality: Organisation, today: date | None = None) -> LevelChange | None:
    """Append a LevelChange when the municipality's basisniveau level or what it misses changed; else nothing."""
    today = today or timezone.localdate()
    state = selectors.basisniveau_of(municipality, today)
    last = LevelChange.objects.filter(municipality=municipality).first()
    if last is not None and last.level == state.level and last.missing == state.missing:
        return None
    return LevelChange.objects.create(municipality=municipality, level=state.level, missing=state.missing,
                                      since=today)


LEVELS_JOB = "policy_basisniveau_levels"


def refresh_levels(now: datetime | None = None) -> int:
    """The worker's daily look: training coverage runs out with time, so a level may change without a write. Once a
    day: the worker runs every minute, and a level only moves by the date."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    last = JobState.objects.filter(name=LEVELS_JOB).values_list("last_success_at", flat=True).first()
    if last is not None and timezone.localdate(last) == today:
        return 0
    return sum(refresh_level(m, today) is not None for m in Organisation.objects.municipalities())


@transaction.atomic
def record_part(*, actor: User, municipality: Organisation, part: str, met: bool, evidence: str, evidence_on: date,
                document: str = "", goal: RegionGoal | None = None) -> PartRecording:
    """The AF (own municipality) or ketenregisseur (its region) records one part of the basisniveau, or one of the
    region's goals, with evidence and its date. The policy part needs its document when met."""
    if not selectors.may_record_for(actor, municipality):
        raise _forbidden()
    if part not in Part.values:
        raise DomainError(_("Kies een onderdeel."), field="part")
    if (part == Part.GOAL) != (goal is not None):
        raise DomainError(_("Kies een doelstelling van de regio."), field="goal")
    if goal is not None and goal.region_id != municipality.region_id:
        raise DomainError(_("Deze doelstelling hoort bij een andere regio."), field="goal")
    evidence = (evidence or "").strip()
    if not evidence:
        raise DomainError(_("Geef de onderbouwing: waaruit blijkt dit?"), field="evidence")
    if part == Part.POLICY_ADOPTED and met and not document.strip():
        raise DomainError(_("Noem het vastgestelde beleidsdocument."), field="document")
    _not_future(evidence_on, "evidence_on")
    recording = PartRecording.objects.create(municipality=municipality, part=part, goal=goal, met=met,
                                             evidence=evidence[:500], document=document.strip()[:300],
                                             evidence_on=evidence_on, recorded_by=actor)
    record_event(actor=actor, action="policy.part_recorded", target_type=target_of(municipality),
                 target_uuid=municipality.uuid, fields=["basisniveau"], purpose=PURPOSE,
                 details={"part": part, "met": met, "goal": str(goal.uuid) if goal else ""})
    refresh_level(municipality)
    return recording


@transaction.atomic
def add_region_goal(*, actor: User, region: Region, title: str, source: str = "") -> RegionGoal:
    if not (selectors.is_ketenregisseur(actor) and actor.organisation is not None
            and actor.organisation.region_id == region.pk):
        raise DomainError(_("Alleen de ketenregisseur van de regio legt doelstellingen vast."), code="forbidden")
    title = title.strip()
    if not title:
        raise DomainError(_("Vul de doelstelling in."), field="title")
    if RegionGoal.objects.filter(region=region, title=title).exists():
        raise DomainError(_("Deze doelstelling bestaat al."), field="title")
    goal = RegionGoal.objects.create(region=region, title=title[:300], source=source.strip()[:300],
                                     position=RegionGoal.objects.filter(region=region).count())
    record_event(actor=actor, action="policy.goal_added", target_type=target_of(goal), target_uuid=goal.uuid,
                 fields=["title", "source"], purpose=PURPOSE)
    return goal


@transaction.atomic
def set_cadence(*, actor: User, region: Region, every_months: int, last_evaluated_on: date | None,
                source: str = "") -> EvaluationCadence:
    """The ketenregisseur sets how often its region evaluates (configuration: 24 months West-Friesland, 12
    Noord- en Midden-Limburg)."""
    if not (selectors.is_ketenregisseur(actor) and actor.organisation is not None
            and actor.organisation.region_id == region.pk):
        raise DomainError(_("Alleen de ketenregisseur van de regio stelt de evaluatiecyclus in."), code="forbidden")
    if not 1 <= every_months <= 60:
        raise DomainError(_("Kies tussen 1 en 60 maanden."), field="every_months")
    if last_evaluated_on is not None:
        _not_future(last_evaluated_on, "last_evaluated_on")
    cadence, _created = EvaluationCadence.objects.update_or_create(
        region=region, defaults={"every_months": every_months, "last_evaluated_on": last_evaluated_on,
                                 "source": source.strip()[:300]})
    record_event(actor=actor, action="policy.cadence_set", target_type=target_of(cadence), target_uuid=cadence.uuid,
                 fields=["every_months", "last_evaluated_on", "source"], purpose=PURPOSE,
                 details={"every_months": every_months})
    return cadence


# --- trainings and activities --------------------------------------------------------------------------------------


@transaction.atomic
def register_training(*, actor: User, municipality: Organisation, title: str, provider: str, held_on: date,
                      teams: list[str], participants: int, with_experts: bool = False) -> Training:
    if not selectors.may_record_for(actor, municipality):
        raise _forbidden()
    if provider not in Provider.values:
        raise DomainError(_("Kies een aanbieder."), field="provider")
    if not teams or any(team not in FRONT_LINE_TEAMS and not team for team in teams):
        raise DomainError(_("Kies ten minste één team."), field="teams")
    if participants < 1:
        raise DomainError(_("Het aantal deelnemers is ten minste 1."), field="participants")
    if not title.strip():
        raise DomainError(_("Vul de titel in."), field="title")
    _not_future(held_on, "held_on")
    training = Training.objects.create(municipality=municipality, title=title.strip()[:200], provider=provider,
                                       held_on=held_on, teams=sorted(set(teams)), participants=participants,
                                       with_experts=with_experts, recorded_by=actor)
    record_event(actor=actor, action="policy.training_registered", target_type=target_of(training),
                 target_uuid=training.uuid, fields=["title", "provider", "held_on", "teams", "participants"],
                 purpose=PURPOSE, details={"municipality": str(municipality.uuid), "participants": participants})
    refresh_level(municipality)
    return training


@transaction.atomic
def register_activity(*, actor: User, municipality: Organisation, kind: str, held_on: date, count: int = 1,
                      team: str = "", languages: str = "", description: str = "") -> Activity:
    if not selectors.may_record_for(actor, municipality):
        raise _forbidden()
    if kind not in ActivityKind.values:
        raise DomainError(_("Kies de soort activiteit."), field="kind")
    if kind == ActivityKind.TEAM_VISIT and team not in FRONT_LINE_TEAMS:
        raise DomainError(_("Kies welk team is bezocht."), field="team")
    if count < 1:
        raise DomainError(_("Het aantal is ten minste 1."), field="count")
    _not_future(held_on, "held_on")
    activity = Activity.objects.create(municipality=municipality, kind=kind, held_on=held_on, count=count,
                                       team=team if kind == ActivityKind.TEAM_VISIT else "",
                                       languages=languages.strip()[:200], description=description.strip()[:300],
                                       recorded_by=actor)
    record_event(actor=actor, action="policy.activity_registered", target_type=target_of(activity),
                 target_uuid=activity.uuid, fields=["kind", "held_on", "count"], purpose=PURPOSE,
                 details={"municipality": str(municipality.uuid), "kind": kind, "count": count})
    return activity


# --- actiepunten ---------------------------------------------------------------------------------------------------


@transaction.atomic
def update_action(*, actor: User, action: ActionPoint, status: str, happened_on: date, note: str = "") -> ActionUpdate:
    """A dated status update: appended to the action's history; the action's status follows the newest date."""
    if not selectors.may_update_action(actor, action):
        raise DomainError(_("U mag de voortgang van dit actiepunt niet vastleggen."), code="forbidden")
    if status not in ActionStatus.values:
        raise DomainError(_("Kies een status."), field="status")
    _not_future(happened_on, "happened_on")
    update = ActionUpdate.objects.create(action_point=action, status=status, happened_on=happened_on,
                                         note=note.strip()[:2_000], by=actor)
    newest = action.updates.order_by("-happened_on", "-id").first()
    assert newest is not None
    ActionPoint.objects.filter(pk=action.pk).update(status=newest.status, last_update_on=newest.happened_on)
    action.refresh_from_db()
    record_event(actor=actor, action="policy.action_updated", target_type=target_of(action),
                 target_uuid=action.uuid, fields=["status", "notes"], purpose=PURPOSE,
                 details={"status": status, "on": happened_on.isoformat()})
    return update


@transaction.atomic
def set_action_owner(*, actor: User, action: ActionPoint, owner: User | None) -> ActionPoint:
    if not selectors.is_ketenregisseur(actor) or actor.organisation is None \
            or actor.organisation.region_id != action.region_id:
        raise DomainError(_("Alleen de ketenregisseur wijst een eigenaar aan."), code="forbidden")
    if owner is not None and (owner.organisation is None or owner.organisation.region_id != action.region_id):
        raise DomainError(_("Kies iemand uit deze regio."), field="owner")
    ActionPoint.objects.filter(pk=action.pk).update(owner=owner, reminded_due=None)
    action.refresh_from_db()
    record_event(actor=actor, action="policy.action_owner_set", target_type=target_of(action),
                 target_uuid=action.uuid, fields=["owner"], purpose=PURPOSE)
    return action


def _import_values(row: ParsedRow) -> dict[str, Any]:
    when = row.when
    values: dict[str, Any] = {"action": row.action, "who": row.who, "when_text": when.text[:200],
                              "deadline": when.deadline, "period_start": when.period_start,
                              "period_end": when.period_end, "per_year": when.per_year,
                              "continuous": when.continuous, "means": row.means}
    if row.notes:
        values["notes"] = row.notes
    return values


@transaction.atomic
def import_actions(*, actor: User, rows: list[ParsedRow], plan: str, file_name: str, reason: str,
                   municipality: Organisation | None = None) -> ActionImport:
    """All rows or none. Idempotent: a row is found again by (region, municipality, plan, theme, number); an unchanged
    row changes nothing, a changed one is updated (its status only through a status in the file). The ketenregisseur
    imports the region's plan; an AF its own municipality's."""
    if not selectors.may_import_actions(actor) or actor.organisation is None:
        raise DomainError(_("U mag geen actiepunten importeren."), code="forbidden")
    region_id = actor.organisation.region_id
    if selectors.is_ketenregisseur(actor):
        if municipality is not None and municipality.region_id != region_id:
            raise DomainError(_("Deze gemeente hoort niet bij uw regio."), field="municipality")
    else:
        municipality = actor.organisation
    plan = plan.strip()[:200]
    reason = reason.strip()[:300]
    if not plan:
        raise DomainError(_("Geef de naam van het plan."), field="plan")
    if not reason:
        raise DomainError(_("Geef de reden van de import."), field="reason")
    if not rows:
        raise DomainError(_("Er is niets om te importeren."), field="text")
    created = changed = unchanged = 0
    for row in rows:
        values = _import_values(row)
        existing = ActionPoint.objects.filter(region_id=region_id, municipality=municipality, plan=plan,
                                              theme=row.theme, number=row.number).first()
        if existing is None:
            action = ActionPoint.objects.create(region_id=region_id, municipality=municipality, plan=plan,
                                                theme=row.theme, number=row.number,
                                                status=row.status or ActionStatus.OPEN, **values)
            created += 1
            if row.status and row.status != ActionStatus.OPEN:
                ActionUpdate.objects.create(action_point=action, status=row.status, happened_on=timezone.localdate(),
                                            note=recorded("Bij import"), by=actor)
            continue
        differs = {k: v for k, v in values.items() if getattr(existing, k) != v}
        new_status = row.status and row.status != existing.status
        if not differs and not new_status:
            unchanged += 1
            continue
        for key, value in differs.items():
            setattr(existing, key, value)
        existing.save()
        if new_status:
            ActionUpdate.objects.create(action_point=existing, status=row.status, happened_on=timezone.localdate(),
                                        note=recorded("Bij import"), by=actor)
            ActionPoint.objects.filter(pk=existing.pk).update(status=row.status,
                                                              last_update_on=timezone.localdate())
        changed += 1
    record = ActionImport.objects.create(region_id=region_id, municipality=municipality, file_name=file_name[:200],
                                         reason=reason, created=created, changed=changed, unchanged=unchanged,
                                         by=actor)
    record_event(actor=actor, action="policy.actions_imported", target_type=target_of(record),
                 target_uuid=record.uuid, fields=["actions"], purpose=PURPOSE,
                 details={"file": file_name[:200], "reason": reason, "rows": len(rows), "created": created,
                          "changed": changed, "unchanged": unchanged, "plan": plan})
    return record


# --- reminders -----------------------------------------------------------------------------------------------------


def _recipients(action: ActionPoint) -> list[User]:
    if action.owner is not None and action.owner.is_active:
        return [action.owner]
    if action.municipality_id is not None:
        return list(User.objects.with_role(Role.AF).filter(organisation_id=action.municipality_id).distinct())
    return list(User.objects.with_role(Role.KETENREGISSEUR).filter(organisation__region_id=action.region_id)
                .distinct())


def send_action_reminders(now: datetime | None = None) -> int:
    """Remind once per due date of an overdue action (a recurrence gets a new due date after each dated update): the
    owner, else the municipality's AFs, else the region's ketenregisseurs. The text is the theme and number only."""
    today = timezone.localdate(now or timezone.now())
    sent = 0
    for action in ActionPoint.objects.unfinished().select_related("owner"):
        due = action.next_due()
        if due is None or due >= today or action.reminded_due == due:
            continue
        with transaction.atomic():
            claimed = ActionPoint.objects.filter(pk=action.pk).exclude(reminded_due=due).update(reminded_due=due)
            if not claimed:
                continue
            people = _recipients(action)
            notify(users=people, kind=Kind.POLICY_ACTION_OVERDUE,
                   text=f"Actiepunt {action.number} ({action.theme[:60]}) is over de termijn ({long_date(due)})",
                   link=reverse("policy:action", args=[action.uuid]))
            record_event(actor=None, action="policy.action_reminder_sent", target_type=target_of(action),
                         target_uuid=action.uuid, fields=["reminded_due"], purpose="termijnbewaking",
                         details={"due": due.isoformat(), "recipients": len(people)})
            sent += 1
    return sent
