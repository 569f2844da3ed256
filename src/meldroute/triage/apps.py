"""The AF's work on a signal: assignment, enrichment, classification, routing and closing."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "meldroute.triage"
    label = "triage"
    verbose_name = _("Triage")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from meldroute.intake import events
        from meldroute.intake import timeline as signal_timeline
        from meldroute.routing.models import SignalRouteStep
        from meldroute.routing.services import register_fact_values

        from . import jobs, linking, receivers, timeline  # noqa: F401 — jobs registers triage's jobs with the worker
        from .constants import Assessment, ExploitationForm

        events.signal_registered.connect(linking.on_signal_registered, dispatch_uid="triage.index_signal_links")
        post_save.connect(receivers.on_route_step_saved, sender=SignalRouteStep,
                          dispatch_uid="triage.assign_by_route")
        # What a route condition may test the facts this app records against.
        register_fact_values("forms", ExploitationForm.values)
        register_fact_values("assessment", Assessment.values)
        signal_timeline.register("triage", timeline.entries)
