"""A victim's care trajectory: shelter placements, bedenktijd with its reminders, permit steps, and the
municipality responsible for the care."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meldroute.core.models import BaseModel
from meldroute.organisations.models import Organisation
from meldroute.persons.models import Person

from .constants import PermitEventKind, PlacementKind, ReflectionKind, ResidenceStatus


class CareTrajectory(BaseModel):
    audit_target = "care.trajectory"  # stored in the audit and access logs: never rename (audit.targets)

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="care")
    zorgcoordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="care_trajectories", verbose_name=_("zorgcoördinator"))
    started_on = models.DateField(_("gestart op"))
    ended_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    residence_status = models.CharField(_("verblijfsstatus"), max_length=16, choices=ResidenceStatus.choices,
                                        default=ResidenceStatus.UNKNOWN)
    aangifte_made = models.BooleanField(_("aangifte gedaan"), default=False)
    aangifte_on = models.DateField(_("aangifte gedaan op"), null=True, blank=True)
    # Responsible municipality (seed 000 bijlage 2): where registered in the BRP; if not registered, where found.
    registered_municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                                related_name="+", verbose_name=_("ingeschreven in (BRP)"),
                                                limit_choices_to={"kind": "municipality"})
    found_municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name=_("aangetroffen in"),
                                           limit_choices_to={"kind": "municipality"})
    responsible_municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                                 related_name="care_trajectories",
                                                 verbose_name=_("verantwoordelijke gemeente"),
                                                 limit_choices_to={"kind": "municipality"})
    responsible_override_reason = models.TextField(_("reden afwijkende gemeente"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    PERSONAL_FIELDS = ("residence_status", "aangifte_made", "aangifte_on", "registered_municipality",
                       "found_municipality", "placements", "reflection_period", "permit_events")

    class Meta:
        verbose_name = _("zorgtraject")
        verbose_name_plural = _("zorgtrajecten")
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                                   name="trajectory_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.person}"

    @property
    def is_overridden(self) -> bool:
        return bool(self.responsible_override_reason)


class PlacementQuerySet(models.QuerySet["Placement"]):
    def current(self, today: date) -> "PlacementQuerySet":
        return self.filter(started_on__lte=today).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))


class Placement(BaseModel):
    trajectory = models.ForeignKey(CareTrajectory, on_delete=models.CASCADE, related_name="placements")
    kind = models.CharField(_("soort opvang"), max_length=24, choices=PlacementKind.choices)
    provider = models.CharField(_("aanbieder"), max_length=150)
    started_on = models.DateField(_("begin"))
    ended_on = models.DateField(_("einde"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("opvangplaatsing")
        verbose_name_plural = _("opvangplaatsingen")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                                   name="placement_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}"


class ReflectionPeriod(BaseModel):
    """Bedenktijd (Vw 2000 art. 8 onder k; Vc B8/3). The deadline is computed once from MELDROUTE["BEDENKTIJD"] and
    kept with the rule's source, so a later change of configuration doesn't move a granted period."""

    trajectory = models.OneToOneField(CareTrajectory, on_delete=models.CASCADE, related_name="reflection_period")
    kind = models.CharField(_("soort"), max_length=16, choices=ReflectionKind.choices)
    granted_on = models.DateField(_("verleend op"))
    starts_on = models.DateField(_("ingangsdatum"))
    deadline = models.DateField(_("loopt af op"))
    rule = models.CharField(_("regel"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("bedenktijd")
        verbose_name_plural = _("bedenktijden")
        constraints = [models.CheckConstraint(condition=Q(deadline__gte=F("starts_on")),
                                              name="reflection_deadline_after_start")]


class ReflectionReminder(models.Model):
    """One reminder sent: the unique row is the claim, so a reminder goes out once whatever the worker does."""

    period = models.ForeignKey(ReflectionPeriod, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "days_before"], name="one_reminder_per_threshold")]


class PermitEvent(BaseModel):
    trajectory = models.ForeignKey(CareTrajectory, on_delete=models.CASCADE, related_name="permit_events")
    kind = models.CharField(_("stap"), max_length=16, choices=PermitEventKind.choices)
    occurred_on = models.DateField(_("datum"))
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("stap verblijfsvergunning")
        verbose_name_plural = _("stappen verblijfsvergunning")
        ordering = ["occurred_on", "id"]


class PlacementRequest(BaseModel):
    """A shelter request the screeningsoverleg started for the zorgcoördinator (seed 003 §6, footnote 12): who needs
    shelter is the item's signal or case; the request names them by reference only. Open until a zorgcoördinator of
    the region takes it up (then a trajectory and its placement follow on the case's victim)."""

    audit_target = "care.placementrequest"  # stored in the audit and access logs: never rename (audit.targets)

    region = models.ForeignKey("organisations.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("regio"))
    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("gemeente"))
    reference = models.CharField(_("kenmerk signaal of casus"), max_length=32)
    signal = models.ForeignKey("intake.Signal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    agenda_item = models.OneToOneField("meetings.AgendaItem", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="placement_request", verbose_name=_("agendapunt"))
    meeting_label = models.CharField(_("overleg"), max_length=200)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("opgepakt door"))
    taken_at = models.DateTimeField(_("opgepakt op"), null=True, blank=True)
    notified_at = models.DateTimeField(_("gemeld op"), null=True, blank=True)

    class Meta:
        verbose_name = _("aanvraag opvang")
        verbose_name_plural = _("aanvragen opvang")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.taken_at is None
