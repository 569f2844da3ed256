"""The AF's classification of a signal and the enrichment notes, each with its source."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meldroute.core.models import BaseModel
from meldroute.intake.models import Indicator, Signal

from .constants import Assessment, NoteSource, Sector


class Classification(BaseModel):
    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="classification")
    forms = models.JSONField(_("vormen van uitbuiting"), default=list, blank=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="+",
                                        verbose_name=_("aanwezige indicatoren"))
    means_of_control = models.JSONField(_("middelen van controle"), default=list, blank=True)
    assessment = models.CharField(_("beoordeling"), max_length=16, choices=Assessment.choices)
    classified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("classificatie")
        verbose_name_plural = _("classificaties")
        indexes = [models.Index(fields=["assessment"], name="classification_assessment_idx")]


class EnrichmentNote(BaseModel):
    """Internal note added while enriching a signal ("oppluste signaal"); never shown to the reporter."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="enrichment_notes")
    source = models.CharField(_("bron"), max_length=16, choices=NoteSource.choices)
    text = models.TextField(_("notitie"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("verrijking")
        verbose_name_plural = _("verrijkingen")
        ordering = ["created_at"]
