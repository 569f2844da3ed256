"""Reads of routes. A signal's route is read only after the signal itself passed the scoping rule."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import in_role
from meldroute.intake.models import Signal

from .constants import FACTS, Side, StepState
from .models import RouteDefinition, SignalRoute, SignalRouteStep
from .services import closes_with_signal


@dataclass
class RouteProgress:
    route: SignalRoute
    steps: list[SignalRouteStep]
    current: list[SignalRouteStep] = field(default_factory=list)

    @property
    def is_finished(self) -> bool:
        return self.route.finished_at is not None

    @property
    def next_pending(self) -> SignalRouteStep | None:
        """The next step that, as things stand now, will come after the current ones."""
        from .services import conditions_match

        return next((s for s in self.steps if s.state == StepState.PENDING
                     and conditions_match(s.conditions, self.route.facts)), None)


def _route_with_steps(signal: Signal) -> SignalRoute | None:
    """The signal's route and its steps, read once per signal object: the AF's page shows the route panel, the close
    form's open steps and the classification form's facts from the same two queries (Django's prefetch cache, which
    `refresh_from_db` empties). For reads only: the services read the route afresh before they change it."""
    prefetch_related_objects([signal], "route", Prefetch("route__steps",
                                                         queryset=SignalRouteStep.objects.select_related("completed_by")))
    route: SignalRoute | None = getattr(signal, "route", None)  # no route: Django raises an AttributeError subclass
    return route


def route_progress(signal: Signal) -> RouteProgress | None:
    """Where the signal stands on its route: every step with its state, and the ones waiting now.
    The caller has already read the signal through its scoped selector."""
    route = _route_with_steps(signal)
    if route is None:
        return None
    steps = list(route.steps.all())
    return RouteProgress(route=route, steps=steps, current=[s for s in steps if s.state == StepState.ACTIVE])


def active_step_of(signal: Signal, step_uuid: UUID | str) -> SignalRouteStep:
    step = (SignalRouteStep.objects.filter(signal_route__signal=signal, uuid=step_uuid)
            .select_related("signal_route__signal").first())
    if step is None:
        raise Http404
    return step


def open_step_choices(signal: Signal) -> list[tuple[str, str]]:
    """The route steps closing would end (key, "n. title"), for the AF to choose from on the close form."""
    route = _route_with_steps(signal)
    steps = [step for step in route.steps.all() if closes_with_signal(step)] if route else []
    return [(step.key, f"{step.number}. {step.title}" if step.number else step.title) for step in steps]


def fact_initial(signal: Signal) -> dict[str, Any]:
    """The route facts as the classification form's initial values."""
    route = _route_with_steps(signal)
    facts = route.facts if route else {}
    return {"side": facts.get("side") or Side.UNKNOWN, **{k: bool(facts.get(k)) for k, kind in FACTS.items()
                                                          if kind is bool and k != "acute"}}


def active_route(region_id: int) -> RouteDefinition | None:
    return RouteDefinition.objects.filter(region_id=region_id, is_active=True).prefetch_related("steps").first()


def with_current_step(signals: QuerySet[Signal]) -> QuerySet[Signal]:
    """Annotate a signal QuerySet with its earliest waiting route step (title, deadline): two subqueries, no N+1."""
    active = SignalRouteStep.objects.filter(signal_route__signal=OuterRef("pk"), state=StepState.ACTIVE)
    first = active.order_by("due_at", "position", "id")
    return signals.annotate(route_step_title=Subquery(first.values("title")[:1]),
                            route_step_due_at=Subquery(first.values("due_at")[:1]))


def overdue_step_count(user: Any, now: datetime | None = None) -> int:
    """How many of the AF's municipality's signals have a route step past its deadline (the inbox tab)."""
    if not in_role(user, Role.AF, organisation=True):
        return 0
    now = now or timezone.now()
    # The municipality's running routes (route_open_muni_idx) and their active steps (route_step_active_idx): the
    # open work of this municipality only, however long its history and however many municipalities share the
    # database. The scoping rule still applies on top.
    count: int = (SignalRouteStep.objects.visible_to(user)
                  .filter(signal_route__municipality_id=user.organisation_id, state=StepState.ACTIVE,
                          due_at__lt=now, signal_route__finished_at__isnull=True)
                  .aggregate(n=Count("signal_route__signal", distinct=True))["n"])
    return count


def signals_with_overdue_steps(qs: QuerySet[Signal], now: datetime | None = None) -> QuerySet[Signal]:
    now = now or timezone.now()
    return qs.filter(pk__in=SignalRouteStep.objects.filter(state=StepState.ACTIVE, due_at__lt=now,
                                                           signal_route__finished_at__isnull=True)
                     .values("signal_route__signal_id"))


def route_counts(definition_ids: Iterable[int]) -> dict[int, int]:
    """How many signals still follow each route version (a count, no personal data)."""
    rows = (SignalRoute.objects.filter(definition_id__in=list(definition_ids))
            .values("definition_id").annotate(n=Count("id"), open=Count("id", filter=Q(finished_at__isnull=True))))
    return {row["definition_id"]: row["n"] for row in rows}


__all__ = ["RouteProgress", "route_progress", "active_step_of", "fact_initial", "active_route", "with_current_step",
           "overdue_step_count", "signals_with_overdue_steps", "route_counts"]
