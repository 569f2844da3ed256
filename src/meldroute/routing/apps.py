"""The regions' reporting routes (meldroutes) as data, and each signal's progress along its route."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "meldroute.routing"
    label = "routing"
    verbose_name = _("Meldroutes")

    def ready(self):
        from meldroute.core.jobs import register_job
        from meldroute.intake import events

        from . import receivers, services

        events.signal_registered.connect(receivers.on_registered, dispatch_uid="routing.registered")
        events.signal_transitioned.connect(receivers.on_transitioned, dispatch_uid="routing.transitioned")
        events.feedback_given.connect(receivers.on_feedback, dispatch_uid="routing.feedback")
        register_job("route_step_reminders", services.send_step_reminders)
