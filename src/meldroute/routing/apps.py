"""The regions' reporting routes (meldroutes) as data, and each signal's progress along its route."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "meldroute.routing"
    label = "routing"
    verbose_name = _("Meldroutes")

    def ready(self):
        from meldroute.intake import events

        from . import jobs, receivers  # noqa: F401 — jobs registers routing's background job with the worker

        events.signal_registered.connect(receivers.on_registered, dispatch_uid="routing.registered")
        events.signal_transitioned.connect(receivers.on_transitioned, dispatch_uid="routing.transitioned")
        events.feedback_given.connect(receivers.on_feedback, dispatch_uid="routing.feedback")
