"""Follow a signal's life along its route: the domain events of intake/events.py, in the writing transaction."""

from meldroute.intake.constants import SignalStatus

from . import services


def on_registered(sender, *, instance, actor, **kwargs):
    services.start_route(instance, actor=actor)


def on_transitioned(sender, *, instance, actor, from_status, to_status, route_end=None, **kwargs):
    if from_status == SignalStatus.RECEIVED and to_status == SignalStatus.IN_TRIAGE:
        services.record_route_event(instance, event="picked_up", actor=actor)
    elif to_status in (SignalStatus.CLOSED, SignalStatus.CANCELLED):
        choice = route_end or {}
        services.end_route(instance, actor=actor, reason=to_status, steps=choice.get("steps"),
                           note=choice.get("note", ""))
    elif to_status == SignalStatus.REOPENED:
        services.resume_route(instance, actor=actor)


def on_feedback(sender, *, instance, actor, **kwargs):
    services.record_route_event(instance, event="feedback_given", actor=actor)


def on_classified(sender, *, instance, actor, facts, **kwargs):
    services.record_route_event(instance, event="classified", actor=actor, facts=facts)


def on_referred(sender, *, instance, actor, partner_type, note, **kwargs):
    services.record_route_event(instance, event="referral_sent", target=partner_type, actor=actor, note=note)


def on_outcome(sender, *, instance, actor, partner_type, note, **kwargs):
    services.record_route_event(instance, event="outcome_returned", target=partner_type, actor=actor, note=note)


def on_in_case(sender, *, instance, actor, note, **kwargs):
    services.record_route_event(instance, event="case_opened", actor=actor, note=note)


def on_decided(sender, *, instance, actor, meeting_kind, decision, refer_to, note, **kwargs):
    return services.record_route_event(instance, event="meeting_decided", target=meeting_kind, actor=actor,
                                       facts={"decision": decision, "refer_to": refer_to}, note=note)
