"""The AF's work on a signal: assignment, enrichment, classification, routing and closing."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "meldroute.triage"
    label = "triage"
    verbose_name = _("Triage")
