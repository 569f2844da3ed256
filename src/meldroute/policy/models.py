"""What policy follow-up remembers: basisniveau recordings and status history, the region's goals and evaluation
cadence, the plan's actions with their dated status updates, trainings and awareness activities.

No personal data: municipalities, teams, counts and dates. Who recorded something is a user reference, as in every
other app's history.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meldroute.core.models import AppendOnlyModel, BaseModel
from meldroute.organisations.models import Organisation, Region

from .constants import (
    DEFAULT_EVALUATION_MONTHS,
    FINISHED_STATUSES,
    ActionStatus,
    ActivityKind,
    Level,
    Part,
    Provider,
)


class EvaluationCadence(BaseModel):
    """How often a region evaluates its approach (configuration per region: West-Friesland after two years, seed 000
    §5.2; Noord- en Midden-Limburg every year, seed 003 §7.2)."""

    audit_target = "policy.evaluation_cadence"  # stored in the audit log: never rename

    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="evaluation_cadence")
    every_months = models.PositiveSmallIntegerField(_("evaluatie elke (maanden)"), default=DEFAULT_EVALUATION_MONTHS)
    last_evaluated_on = models.DateField(_("laatste evaluatie"), null=True, blank=True)
    source = models.CharField(_("bron"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("evaluatiecyclus")
        constraints = [models.CheckConstraint(condition=Q(every_months__gte=1, every_months__lte=60),
                                              name="policy_cadence_months_in_range")]

    def __str__(self) -> str:
        return f"{self.region_id}: {self.every_months}"

    def next_evaluation_on(self) -> date | None:
        if self.last_evaluated_on is None:
            return None
        start = self.last_evaluated_on
        month = start.month - 1 + self.every_months
        year, month = start.year + month // 12, month % 12 + 1
        return date(year, month, min(start.day, 28))


class RegionGoal(BaseModel):
    """One of the region's own goals beyond the basisniveau (seed 000 §2.2)."""

    audit_target = "policy.region_goal"  # never rename

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="policy_goals")
    title = models.CharField(_("doelstelling"), max_length=300)
    source = models.CharField(_("bron"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["region_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "title"], name="policy_goal_unique_title")]

    def __str__(self) -> str:
        return self.title


class PartRecording(AppendOnlyModel):
    """What the AF or ketenregisseur recorded about one part of the basisniveau (or one regional goal) for a
    municipality, with evidence and its date. Append-only: the newest row per part counts, the rest is history."""

    audit_target = "policy.part_recording"  # never rename

    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="policy_recordings")
    part = models.CharField(_("onderdeel"), max_length=32, choices=Part.choices)
    goal = models.ForeignKey(RegionGoal, on_delete=models.PROTECT, null=True, blank=True, related_name="recordings")
    met = models.BooleanField(_("voldaan"))
    evidence = models.CharField(_("onderbouwing"), max_length=500)
    document = models.CharField(_("document"), max_length=300, blank=True)
    evidence_on = models.DateField(_("datum"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(part=Part.GOAL, goal__isnull=False)
                                              | (~Q(part=Part.GOAL) & Q(goal__isnull=True)),
                                              name="policy_recording_goal_iff_goal_part")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.part} {self.met}"


class LevelChange(AppendOnlyModel):
    """The municipality's basisniveau level from `since`: a row only when the level changes, so the overview can say
    "since when" and the history is kept."""

    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="policy_levels")
    level = models.CharField(max_length=16, choices=Level.choices)
    missing = models.JSONField(default=list)  # the requirement codes not (fully) met at that moment
    since = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-since", "-id"]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.level} {self.since}"


class ActionPointQuerySet(models.QuerySet["ActionPoint"]):
    def unfinished(self) -> ActionPointQuerySet:
        return self.exclude(status__in=FINISHED_STATUSES)


class ActionPoint(BaseModel):
    """One action of a plan (seed 003's Actiepunten tables): number, theme, action, who, when, means, status, notes.
    Regional when `municipality` is empty (the region's plan), else one municipality's own."""

    audit_target = "policy.action_point"  # never rename

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="policy_actions")
    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="policy_actions")
    plan = models.CharField(_("plan"), max_length=200)
    theme = models.CharField(_("thema"), max_length=200)
    number = models.CharField(_("nummer"), max_length=16)
    action = models.TextField(_("actie"), max_length=2_000)
    who = models.CharField(_("wie"), max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="policy_actions", verbose_name=_("eigenaar in Meldroute"))
    when_text = models.CharField(_("wanneer"), max_length=200)
    deadline = models.DateField(_("uiterlijk"), null=True, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    per_year = models.PositiveSmallIntegerField(_("minimaal per jaar"), null=True, blank=True)
    continuous = models.BooleanField(_("doorlopend"), default=False)
    means = models.CharField(_("middelen"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    notes = models.TextField(_("opmerkingen"), blank=True, max_length=2_000)
    last_update_on = models.DateField(null=True, blank=True)
    reminded_due = models.DateField(null=True, blank=True)  # the due date the owner was last reminded of

    objects = ActionPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("actiepunt")
        verbose_name_plural = _("actiepunten")
        ordering = ["plan", "theme", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "municipality", "plan", "theme", "number"],
                                    name="policy_action_unique_number", nulls_distinct=False),
            models.CheckConstraint(condition=Q(per_year__isnull=True) | Q(per_year__gte=1, per_year__lte=52),
                                   name="policy_action_per_year_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.theme} {self.number}"

    def next_due(self) -> date | None:
        """The date by which something must happen next: the deadline; for a recurrence, one interval after the last
        dated update (or after the action was created)."""
        if self.status in FINISHED_STATUSES:
            return None
        if self.per_year:
            start = self.last_update_on or self.created_at.date()
            return start + timedelta(days=365 // self.per_year)
        return self.deadline

    def is_overdue(self, today: date) -> bool:
        due = self.next_due()
        return due is not None and due < today


class ActionUpdate(AppendOnlyModel):
    """A dated status update of an action: together they are its history."""

    action_point = models.ForeignKey(ActionPoint, on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices)
    happened_on = models.DateField(_("datum"))
    note = models.TextField(_("toelichting"), max_length=2_000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.action_point_id} {self.status} {self.happened_on}"


class ActionImport(AppendOnlyModel):
    """One import of actions: who, which file, how many rows, why (the audit event says the same)."""

    audit_target = "policy.action_import"  # never rename

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    file_name = models.CharField(max_length=200)
    reason = models.CharField(max_length=300)
    created = models.PositiveIntegerField()
    changed = models.PositiveIntegerField()
    unchanged = models.PositiveIntegerField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.file_name


class Training(BaseModel):
    """A training given to a municipality's teams (seed 002 §5.2.2): provider, date, teams, number of people."""

    audit_target = "policy.training"  # never rename

    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="policy_trainings")
    title = models.CharField(_("titel"), max_length=200)
    provider = models.CharField(_("aanbieder"), max_length=32, choices=Provider.choices)
    held_on = models.DateField(_("datum"))
    teams = models.JSONField(_("teams"), default=list)
    participants = models.PositiveIntegerField(_("aantal deelnemers"))
    with_experts = models.BooleanField(_("met ervaringsdeskundigen"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} {self.held_on}"


class Activity(BaseModel):
    """Awareness beyond trainings (seed 002 §5.2.2–5.3): intranet posts, team-meeting visits, flyers (with their
    languages), ondernemersbijeenkomsten, school lessons, campaigns — dated and counted."""

    audit_target = "policy.activity"  # never rename

    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="policy_activities")
    kind = models.CharField(_("soort"), max_length=32, choices=ActivityKind.choices)
    held_on = models.DateField(_("datum"))
    count = models.PositiveIntegerField(_("aantal"), default=1)
    team = models.CharField(_("team"), max_length=32, blank=True)
    languages = models.CharField(_("talen"), max_length=200, blank=True)
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.held_on}"
