"""The AF's work on a signal: assignment, enrichment, classification, routing and closing."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "meldroute.triage"
    label = "triage"
    verbose_name = _("Triage")

    def ready(self):
        from meldroute.intake import events

        from . import linking

        events.signal_registered.connect(linking.on_signal_registered, dispatch_uid="triage.index_signal_links")
