"""The regions' reporting routes (meldroutes) as data, and each signal's progress along its route."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "meldroute.routing"
    label = "routing"
    verbose_name = _("Meldroutes")

    def ready(self) -> None:
        from meldroute.intake import timeline as signal_timeline

        from . import timeline

        signal_timeline.register("routing", timeline.entries)  # its entries on a signal's timeline
        from meldroute.intake import events

        from . import jobs, receivers  # noqa: F401 — jobs registers routing's background job with the worker

        events.signal_registered.connect(receivers.on_registered, dispatch_uid="routing.registered")
        events.signal_transitioned.connect(receivers.on_transitioned, dispatch_uid="routing.transitioned")
        events.feedback_given.connect(receivers.on_feedback, dispatch_uid="routing.feedback")
        events.signal_classified.connect(receivers.on_classified, dispatch_uid="routing.classified")
        events.signal_referred.connect(receivers.on_referred, dispatch_uid="routing.referred")
        events.referral_outcome.connect(receivers.on_outcome, dispatch_uid="routing.outcome")
        events.signal_in_case.connect(receivers.on_in_case, dispatch_uid="routing.in_case")
        events.signal_decided.connect(receivers.on_decided, dispatch_uid="routing.decided")
