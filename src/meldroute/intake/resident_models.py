"""The public form for residents (issue 16): whether a municipality offers it, and the hashed, expiring counters that
rate-limit it. Neither holds personal data: a counter's key is a keyed hash of an address within one time window."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from meldroute.core.models import BaseModel
from meldroute.organisations.models import Organisation


class ResidentForm(BaseModel):
    """A municipality's choice to offer the public form. No row, or `is_enabled` off, means off (the default: many
    plans send residents to Meld Misdaad Anoniem or SHOP instead, seed 002 §5.2.4). Changed only through
    `intake.resident_services.set_resident_form`, which audits it."""

    audit_target = "intake.resident_form"  # stored in the audit log: never rename (audit.targets)

    municipality = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="resident_form",
                                        verbose_name=_("gemeente"), limit_choices_to={"kind": "municipality"})
    is_enabled = models.BooleanField(_("inwonerformulier aan"), default=False)
    # Where residents of this municipality can also go (e.g. the regional SHOP or zorgcoördinatie); shown on the page
    # next to Meld Misdaad Anoniem, whether the form is on or off.
    local_help_name = models.CharField(_("naam hulporganisatie in de regio"), max_length=120, blank=True)
    local_help_url = models.URLField(_("website hulporganisatie in de regio"), blank=True)

    class Meta:
        verbose_name = _("inwonerformulier")
        verbose_name_plural = _("inwonerformulieren")

    def __str__(self) -> str:
        return f"{self.municipality}: {'aan' if self.is_enabled else 'uit'}"


class ResidentFormCounter(models.Model):
    """How many submissions one key made within one window. `key` is an HMAC of the window and the address (or of the
    window and "overall"), so it cannot be turned back into an address nor linked across windows; rows of past windows
    are deleted by the worker (`intake.jobs`)."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="resident_counter_once")]
        indexes = [models.Index(fields=["window_start"], name="resident_counter_window_idx")]
