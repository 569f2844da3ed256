"""Triage follows the route: when a step for the AF OOV or the AF Zorg, Werk en Inkomen becomes active, the signal
goes to that AF (services.assign_by_route). Routing sits below triage and cannot call it; its step rows are saved in
the route's transaction, so this receiver writes the assignment and its audit event in that same transaction."""

from typing import Any

from meldroute.routing.models import SignalRouteStep

from . import services


def on_route_step_saved(sender: type[SignalRouteStep], instance: SignalRouteStep, created: bool = False,
                        raw: bool = False, update_fields: Any = None, **kwargs: Any) -> None:
    if raw or instance.actor not in services.DUTY_OF_ACTOR:
        return
    if update_fields is not None and "state" not in update_fields:
        return
    services.assign_by_route(instance)
