"""Follow a signal's life (intake's domain events) along its route, inside the transaction that changed it."""

from meldroute.intake.constants import SignalStatus

from . import services


def on_registered(sender, *, instance, actor, **kwargs):
    services.start_route(instance, actor=actor)


def on_transitioned(sender, *, instance, actor, from_status, to_status, **kwargs):
    if from_status == SignalStatus.RECEIVED and to_status == SignalStatus.IN_TRIAGE:
        services.record_route_event(instance, event="picked_up", actor=actor)
    elif to_status in (SignalStatus.CLOSED, SignalStatus.CANCELLED):
        services.end_route(instance, actor=actor, reason=to_status)
    elif to_status == SignalStatus.REOPENED:
        services.resume_route(instance, actor=actor)


def on_feedback(sender, *, instance, actor, **kwargs):
    services.record_route_event(instance, event="feedback_given", actor=actor)
