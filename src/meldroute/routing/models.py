"""Route definitions per region (steps as data) and each signal's own copy of its route with the steps' state."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meldroute.core.models import BaseModel
from meldroute.intake.models import Signal, signal_scope
from meldroute.organisations.models import Organisation, Region

from .constants import DraftStatus, StepActor, StepState


class RouteDefinition(BaseModel):
    """A region's meldroute. Editing it bumps `version`; signals already on their way keep their own copy."""

    audit_target = "routing.routedefinition"  # stored in the audit and access logs: never rename (audit.targets)

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="routes", verbose_name=_("regio"))
    name = models.CharField(_("naam"), max_length=120)
    preset = models.SlugField(_("gemaakt van standaardroute"), max_length=64, blank=True)
    description = models.TextField(_("toelichting"), blank=True)
    source = models.CharField(_("bron (beleidsplan)"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)
    is_active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        verbose_name = _("meldroute")
        verbose_name_plural = _("meldroutes")
        ordering = ["region__name", "-is_active", "name"]
        constraints = [models.UniqueConstraint(fields=["region"], condition=Q(is_active=True),
                                               name="one_active_route_per_region")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class RouteDraft(BaseModel):
    """A change to a region's meldroute that is not yet in use: the route as data (the preset/YAML format), the
    version it was drafted from, who drafted it and who published or refused it. Publishing installs it as a new
    RouteDefinition version (routing.drafts.publish_draft); the draft row stays as the record of the decision."""

    audit_target = "routing.routedraft"  # stored in the audit log: never rename (audit.targets)

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="route_drafts", verbose_name=_("regio"))
    data = models.JSONField(_("meldroute (concept)"))
    base_version = models.PositiveIntegerField(_("gemaakt op versie"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=DraftStatus.choices, default=DraftStatus.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("laatst gewijzigd door"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("besloten door"))
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decision_reason = models.TextField(_("toelichting bij het besluit"), blank=True)
    published_as = models.ForeignKey(RouteDefinition, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("gepubliceerd als"))

    class Meta:
        verbose_name = _("concept-meldroute")
        verbose_name_plural = _("concept-meldroutes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["region"], condition=Q(status="draft"), name="one_open_route_draft"),
            # Four eyes: whoever last changed the draft never publishes it, whatever path wrote the row.
            models.CheckConstraint(condition=~Q(decided_by=models.F("drafted_by")),
                                   name="route_draft_decided_by_another"),
        ]

    def __str__(self) -> str:
        return f"{self.data.get('name', '')} ({self.get_status_display()})"


class StepFields(models.Model):
    """What a step is; shared by the definition and by the copy a signal carries."""

    key = models.SlugField(_("sleutel"), max_length=64)
    position = models.PositiveIntegerField(_("volgorde"), help_text=_("Stappen met dezelfde volgorde lopen tegelijk."))
    number = models.CharField(_("stapnummer in het beleidsplan"), max_length=16, blank=True)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("toelichting"), blank=True)
    actor = models.CharField(_("wie"), max_length=32, choices=StepActor.choices)
    action = models.CharField(_("wat"), max_length=16)
    # A PartnerType for inform/refer steps, a MeetingKind for meeting steps; empty otherwise.
    # Several partner types (comma-separated) when any of them will do: "police,veilig_thuis,labour_inspectorate".
    target = models.CharField(_("naar / in"), max_length=120, blank=True)
    conditions = models.JSONField(_("voorwaarden"), default=dict, blank=True)
    deadline_hours = models.PositiveIntegerField(_("termijn (uren)"), null=True, blank=True)
    deadline_working_days = models.PositiveIntegerField(_("termijn (werkdagen)"), null=True, blank=True)
    # Runs beside its group (seed 003 §4.2: "In de tussentijd kan ... worden verrijkt"): the next group does not
    # wait for it; it stays open until its own event.
    alongside = models.BooleanField(_("loopt ernaast"), default=False)
    # Where the step comes from: the plan, its paragraph and the sentence (shown in the route view).
    source = models.CharField(_("bron in het beleidsplan"), max_length=500, blank=True)

    class Meta:
        abstract = True

    COPIED_FIELDS = ("key", "position", "number", "title", "description", "actor", "action", "target", "conditions",
                     "deadline_hours", "deadline_working_days", "alongside", "source")


class RouteStep(StepFields):
    route = models.ForeignKey(RouteDefinition, on_delete=models.CASCADE, related_name="steps")

    class Meta:
        verbose_name = _("stap")
        verbose_name_plural = _("stappen")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["route", "key"], name="route_step_key_unique")]

    def __str__(self) -> str:
        return f"{self.number or self.position}. {self.title}"


class SignalRouteQuerySet(models.QuerySet["SignalRoute"]):
    def visible_to(self, user: Any) -> "SignalRouteQuerySet":
        """A signal's route is seen by whoever may see the signal: the one scoping rule, nothing looser."""
        return self.filter(signal__in=Signal.objects.filter(signal_scope(user)))


class SignalRoute(BaseModel):
    """The route a signal follows: a copy of the region's route as it was when the signal came in."""

    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="route")
    # A copy of the signal's municipality (which never changes once a signal is in), so the inbox's overdue-step
    # count reads only the municipality's running routes: its cost follows that open work, not the region's or the
    # country's. Set where the route starts (services.start_route).
    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", db_index=False)
    definition = models.ForeignKey(RouteDefinition, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="signal_routes")
    name = models.CharField(_("meldroute"), max_length=120)
    version = models.PositiveIntegerField(_("versie"))
    facts = models.JSONField(_("routekenmerken"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)

    objects = SignalRouteQuerySet.as_manager()

    class Meta:
        verbose_name = _("route van een signaal")
        verbose_name_plural = _("routes van signalen")
        indexes = [
            # The routes still running per municipality: the open work, however long the history (issue 17). The
            # overdue-step count joins its active steps through this small index instead of every route ever
            # started. A route only finishes once no step is active or pending (services), so an active step is
            # always on one of these.
            models.Index(fields=["municipality", "id"], include=["signal"],
                         condition=models.Q(finished_at__isnull=True), name="route_open_muni_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.signal} — {self.name}"


class SignalRouteStepQuerySet(models.QuerySet["SignalRouteStep"]):
    def active(self) -> "SignalRouteStepQuerySet":
        return self.filter(state=StepState.ACTIVE)

    def overdue(self, now: datetime | None = None) -> "SignalRouteStepQuerySet":
        return self.active().filter(due_at__lt=now or timezone.now())

    def visible_to(self, user: Any) -> "SignalRouteStepQuerySet":
        return self.filter(signal_route__signal__in=Signal.objects.filter(signal_scope(user)))


class SignalRouteStep(StepFields, BaseModel):
    signal_route = models.ForeignKey(SignalRoute, on_delete=models.CASCADE, related_name="steps")
    state = models.CharField(_("stand"), max_length=16, choices=StepState.choices, default=StepState.PENDING)
    activated_at = models.DateTimeField(_("aan de beurt sinds"), null=True, blank=True)
    due_at = models.DateTimeField(_("uiterlijk"), null=True, blank=True)
    completed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    note = models.TextField(_("toelichting bij afronden"), blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # Skipped because the signal was closed or cancelled (not because its condition failed): reopening revives it.
    ended_with_signal = models.BooleanField(default=False)

    objects = SignalRouteStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("stap van een signaal")
        verbose_name_plural = _("stappen van signalen")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["state", "due_at"], name="route_step_due_idx",
                                condition=Q(state="active")),
                   # The active step of each running route, with its deadline: the overdue-step count reads it
                   # index-only from the municipality's running routes (route_open_muni_idx).
                   models.Index(fields=["signal_route"], include=["due_at"], name="route_step_active_idx",
                                condition=Q(state="active"))]

    def __str__(self) -> str:
        return f"{self.number or self.position}. {self.title}"

    @property
    def is_overdue(self) -> bool:
        return self.state == StepState.ACTIVE and self.due_at is not None and self.due_at < timezone.now()
