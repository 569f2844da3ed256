"""Who sees which policy follow-up (scoping only), and the basisniveau as Meldroute knows it.

The ketenregisseur sees every municipality of its region, the AF and the burgemeester their own; anyone else gets
404. Writes: the ketenregisseur for its region, the AF for its own municipality; the burgemeester reads.
Nothing here is personal data (municipalities, teams, counts, dates), so reads are not access-logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.accounts.permissions import in_role
from meldroute.organisations.models import Organisation, Region
from meldroute.routing.models import RouteDefinition

from .constants import (
    COVERAGE_MONTHS,
    DERIVED_PARTS,
    FRONT_LINE_TEAMS,
    PARTS_OF,
    TEAM_VISITS_PER_YEAR,
    ActivityKind,
    Level,
    Part,
    Requirement,
)
from .models import ActionPoint, Activity, EvaluationCadence, LevelChange, PartRecording, RegionGoal, Training

# --- scope ---------------------------------------------------------------------------------------------------------


def region_for(user: Any) -> Region:
    """The region whose policy follow-up the user sees: the ketenregisseur's region, or the region of the AF's or
    burgemeester's municipality. Anyone else: 404."""
    if in_role(user, Role.KETENREGISSEUR, organisation=True) or in_role(user, Role.AF, Role.BURGEMEESTER,
                                                                          municipality=True):
        region: Region = user.organisation.region
        return region
    raise Http404


def is_ketenregisseur(user: Any) -> bool:
    return in_role(user, Role.KETENREGISSEUR, organisation=True)


def municipalities_for(user: Any) -> QuerySet[Organisation]:
    if is_ketenregisseur(user):
        return Organisation.objects.municipalities().filter(region_id=user.organisation.region_id)
    if in_role(user, Role.AF, Role.BURGEMEESTER, municipality=True):
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def get_municipality_for(user: Any, municipality_uuid: UUID | str) -> Organisation:
    municipality = municipalities_for(user).filter(uuid=municipality_uuid).first()
    if municipality is None:
        raise Http404
    return municipality


def may_record_for(user: Any, municipality: Organisation) -> bool:
    """The ketenregisseur of the municipality's region or the municipality's own AF."""
    if is_ketenregisseur(user):
        return bool(user.organisation.region_id == municipality.region_id)
    return in_role(user, Role.AF, municipality=True) and user.organisation_id == municipality.pk


def actions_visible_to(user: Any) -> QuerySet[ActionPoint]:
    """The ketenregisseur: every action of its region; the AF and burgemeester: the region's plan and their own
    municipality's actions."""
    if is_ketenregisseur(user):
        return ActionPoint.objects.filter(region_id=user.organisation.region_id)
    if in_role(user, Role.AF, Role.BURGEMEESTER, municipality=True):
        return ActionPoint.objects.filter(Q(municipality__isnull=True) | Q(municipality_id=user.organisation_id),
                                          region_id=user.organisation.region_id)
    return ActionPoint.objects.none()


def get_action_for(user: Any, action_uuid: UUID | str) -> ActionPoint:
    action = actions_visible_to(user).filter(uuid=action_uuid).select_related("municipality", "owner").first()
    if action is None:
        raise Http404
    return action


def may_update_action(user: Any, action: ActionPoint) -> bool:
    """The ketenregisseur of the region; the AF for its municipality's actions and for the region's actions it owns."""
    if is_ketenregisseur(user):
        return bool(user.organisation.region_id == action.region_id)
    if not in_role(user, Role.AF, municipality=True) or user.organisation.region_id != action.region_id:
        return False
    if action.municipality_id is None:
        return bool(action.owner_id == user.pk)
    return bool(action.municipality_id == user.organisation_id)


def may_import_actions(user: Any) -> bool:
    return is_ketenregisseur(user) or in_role(user, Role.AF, municipality=True)


def cadence_for(region: Region) -> EvaluationCadence | None:
    return EvaluationCadence.objects.filter(region=region).first()


# --- trainings coverage --------------------------------------------------------------------------------------------


@dataclass
class TeamCoverage:
    team: str
    last_trained_on: date | None
    covered: bool
    visits: int  # team-meeting visits in the last 12 months

    @property
    def visits_short(self) -> bool:
        return self.visits < TEAM_VISITS_PER_YEAR


@dataclass
class Coverage:
    since: date
    teams: list[TeamCoverage]

    @property
    def overdue(self) -> list[TeamCoverage]:
        return [t for t in self.teams if not t.covered]

    @property
    def complete(self) -> bool:
        return not self.overdue


def coverage_window_start(today: date) -> date:
    return today - timedelta(days=365 * COVERAGE_MONTHS // 12)


def training_coverage(municipality: Organisation, today: date | None = None) -> Coverage:
    """Per front-line team: the last training, covered when within the last 12 months (the day a year ago counts)."""
    today = today or timezone.localdate()
    since = coverage_window_start(today)
    last: dict[str, date] = {}
    for held_on, teams in Training.objects.filter(municipality=municipality, held_on__lte=today).values_list(
            "held_on", "teams"):
        for team in teams or ():
            if team not in last or held_on > last[team]:
                last[team] = held_on
    visits: dict[str, int] = {}
    for team, count in Activity.objects.filter(municipality=municipality, kind=ActivityKind.TEAM_VISIT,
                                               held_on__gte=since, held_on__lte=today).values_list("team", "count"):
        visits[team] = visits.get(team, 0) + count
    return Coverage(since, [TeamCoverage(team, last.get(team), last.get(team) is not None and last[team] >= since,
                                         visits.get(team, 0)) for team in FRONT_LINE_TEAMS])


def activity_counts(municipality: Organisation, start: date, end: date) -> list[tuple[str, int, int]]:
    """Per kind of activity between start and end (inclusive): (kind, number of dated activities, their count)."""
    rows = []
    activities = list(Activity.objects.filter(municipality=municipality, held_on__gte=start, held_on__lte=end)
                      .values_list("kind", "count"))
    for kind in ActivityKind.values:
        counts = [count for k, count in activities if k == kind]
        rows.append((kind, len(counts), sum(counts)))
    return rows


# --- the basisniveau -----------------------------------------------------------------------------------------------


@dataclass
class PartState:
    part: str
    met: bool
    derived: bool | None  # what Meldroute's data says (None: Meldroute does not know this part)
    recording: PartRecording | None
    detail: str = ""

    @property
    def label(self) -> str:
        return str(Part(self.part).label)


@dataclass
class RequirementState:
    requirement: str
    parts: list[PartState]

    @property
    def level(self) -> str:
        met = sum(p.met for p in self.parts)
        return Level.MET if met == len(self.parts) else Level.PARTLY if met else Level.NOT_MET

    @property
    def get_label(self) -> str:
        return str(Requirement(self.requirement).label)

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)


@dataclass
class GoalState:
    goal: RegionGoal
    recording: PartRecording | None

    @property
    def met(self) -> bool:
        return self.recording is not None and self.recording.met


@dataclass
class Basisniveau:
    municipality: Organisation
    requirements: list[RequirementState]
    goals: list[GoalState] = field(default_factory=list)
    coverage: Coverage | None = None
    since: date | None = None

    @property
    def level(self) -> str:
        levels = [r.level for r in self.requirements]
        if all(level == Level.MET for level in levels):
            return Level.MET
        return Level.PARTLY if any(level != Level.NOT_MET for level in levels) else Level.NOT_MET

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)

    @property
    def goals_met(self) -> int:
        return sum(goal.met for goal in self.goals)

    @property
    def missing(self) -> list[str]:
        return [r.requirement for r in self.requirements if r.level != Level.MET]

    def requirement(self, code: str) -> RequirementState:
        return next(r for r in self.requirements if r.requirement == code)


def _latest_recordings(municipality: Organisation) -> tuple[dict[str, PartRecording], dict[int, PartRecording]]:
    parts: dict[str, PartRecording] = {}
    goals: dict[int, PartRecording] = {}
    for recording in PartRecording.objects.filter(municipality=municipality).order_by("-recorded_at", "-id"):
        if recording.goal_id is not None:
            goals.setdefault(recording.goal_id, recording)
        else:
            parts.setdefault(recording.part, recording)
    return parts, goals


def basisniveau_of(municipality: Organisation, today: date | None = None) -> Basisniveau:
    """The three requirements of the basisniveau for one municipality: what Meldroute knows (an AF with the role, a
    second AF as achtervang, the region's meldroute in use, training coverage) combined with what was recorded."""
    today = today or timezone.localdate()
    afs = User.objects.with_role(Role.AF).filter(organisation=municipality).distinct().count()
    route = RouteDefinition.objects.filter(region_id=municipality.region_id, is_active=True).exists()
    coverage = training_coverage(municipality, today)
    derived: dict[str, tuple[bool, str]] = {
        Part.AF_APPOINTED: (afs >= 1, f"{afs}"),
        Part.ACHTERVANG: (afs >= 2, f"{afs}"),
        Part.ROUTE_KNOWN: (route, ""),
        Part.TRAINED: (coverage.complete, f"{len(coverage.teams) - len(coverage.overdue)}/{len(coverage.teams)}"),
    }
    recorded, goal_recordings = _latest_recordings(municipality)
    requirements = []
    for requirement in Requirement.values:
        states = []
        for part in PARTS_OF[requirement]:
            recording = recorded.get(part)
            from_data, detail = derived.get(part, (None, ""))
            met = bool(from_data) or (recording is not None and recording.met)
            states.append(PartState(part, met, from_data if part in DERIVED_PARTS else None, recording, detail))
        requirements.append(RequirementState(requirement, states))
    goals = [GoalState(goal, goal_recordings.get(goal.pk))
             for goal in RegionGoal.objects.filter(region_id=municipality.region_id)]
    state = Basisniveau(municipality, requirements, goals, coverage)
    last = LevelChange.objects.filter(municipality=municipality).first()
    state.since = last.since if last is not None and last.level == state.level else None
    return state


def regional_overview(user: Any, today: date | None = None) -> list[Basisniveau]:
    return [basisniveau_of(m, today) for m in municipalities_for(user).order_by("name", "id")]


def recording_history(municipality: Organisation) -> QuerySet[PartRecording]:
    return PartRecording.objects.filter(municipality=municipality).select_related("goal", "recorded_by")


def level_history(municipality: Organisation) -> QuerySet[LevelChange]:
    return LevelChange.objects.filter(municipality=municipality)
