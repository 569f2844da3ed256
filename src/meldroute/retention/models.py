"""What retention remembers: holds placed by the FG or beheerder, which records a rule already anonymised (ids, never
content), and the day's run (so the worker runs it once a day)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meldroute.core.fields import EncryptedTextField
from meldroute.core.models import BaseModel
from meldroute.organisations.models import Region


class HoldTarget(models.TextChoices):
    SIGNAL = "intake.signal", _("Signaal")
    CASE = "cases.case", _("Casus")


class RetentionHoldQuerySet(models.QuerySet["RetentionHold"]):
    def active_on(self, day: object) -> "RetentionHoldQuerySet":
        return self.filter(lifted_at__isnull=True, until__gte=day)


class RetentionHold(BaseModel):
    """Retention passes this signal or case by (and, for a case, its signals, persons and care) until `until`."""

    audit_target = "retention.hold"  # stored in the audit log: never rename (audit.targets)

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    target_type = models.CharField(_("soort"), max_length=32, choices=HoldTarget.choices)
    target_uuid = models.UUIDField()
    reference = models.CharField(_("code"), max_length=32)  # the signal's or case's code, for the screen
    reason = EncryptedTextField(_("reden"))  # may name an investigation: encrypted at rest
    until = models.DateField(_("tot en met"))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")

    objects = RetentionHoldQuerySet.as_manager()

    class Meta:
        ordering = ["until", "id"]
        verbose_name = _("bewaarblokkade")


class RetentionMark(models.Model):
    """A record this rule already anonymised: never picked again. Type and id only, no content."""

    rule = models.CharField(max_length=32)
    target_type = models.CharField(max_length=32)
    target_uuid = models.UUIDField()
    applied_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "target_uuid"], name="retention_mark_once")]


class RetentionRun(models.Model):
    """One real run per day (the claim of the daily job); counts per rule, nothing else."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField()
    counts = models.JSONField(default=dict)
