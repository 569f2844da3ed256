"""The FG's record of each data subject request handled: which kind, for which persons, why, by whom."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meldroute.core.fields import EncryptedTextField
from meldroute.core.models import BaseModel
from meldroute.organisations.models import Organisation
from meldroute.persons.models import Person

from .constants import RequestKind


class SubjectRequest(BaseModel):
    """One handled request of a data subject. The reason may name the person, so it is encrypted at rest; the
    persons are the records it covered (one data subject can be on several cases)."""

    audit_target = "privacy.subject_request"  # stored in the audit log: never rename (audit.targets)

    kind = models.CharField(_("soort verzoek"), max_length=24, choices=RequestKind.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("verwerkingsverantwoordelijke"))
    persons = models.ManyToManyField(Person, related_name="subject_requests", verbose_name=_("personen"))
    reason = EncryptedTextField(_("reden en kenmerk van het verzoek"))
    fields = models.JSONField(_("gewijzigde velden"), default=list, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("verzoek van een betrokkene")
        verbose_name_plural = _("verzoeken van betrokkenen")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d}"
