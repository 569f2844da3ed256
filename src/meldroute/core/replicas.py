"""Read replicas: the router that sends the figures pages' reads to `DATABASES["replica"]`, and keeps the rest home.

Only views wrapped in `reads_from_replica` (the dashboard, the regional view, the reports and the exports) read
from the replica, and there only the domain tables (REPLICA_APPS); sessions, users, roles and the audit trail are
always read from the primary, and every write goes to the primary. Without DATABASE_REPLICA_URL there is no
"replica" alias and everything goes to "default" (the router then answers None throughout).

Reading one's own writes: a request that changed domain data sets a short-lived cookie (ReplicaPinMiddleware), and
while it lives the same browser's replica pages read from the primary, so a page that just wrote never shows the
world before its write. Inside a replica page, the first write pins the rest of that request to the primary too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "meldroute_primary"
# The data the replica pages count; anything else (auth, sessions, audit, axes, OTP) stays on the primary.
REPLICA_APPS = frozenset({"intake", "rollups", "triage", "cases", "persons", "care", "organisations", "meetings",
                          "referrals", "routing", "partners", "monitoring", "policy", "risk"})


@dataclass
class _Request:
    replica: bool = False  # inside a view that may read from the replica
    wrote: bool = False  # this request changed domain data


_state: ContextVar[_Request | None] = ContextVar("meldroute_replica_state", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def pin_seconds() -> int:
    return int(getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 15))


@contextmanager
def use_replica(enabled: bool = True) -> Iterator[None]:
    """Let the reads of this block go to the replica (when one is configured)."""
    state = _state.get()
    if state is None:
        token = _state.set(_Request(replica=enabled))
        try:
            yield
        finally:
            _state.reset(token)
        return
    before = state.replica
    state.replica = enabled and not state.wrote
    try:
        yield
    finally:
        state.replica = before


def reads_from_replica(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A figures page: its domain reads go to the replica, unless this browser wrote a moment ago (the pin)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with use_replica(PIN_COOKIE not in request.COOKIES):
            return view(request, *args, **kwargs)

    return wrapper


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        state = _state.get()
        if (state is None or not state.replica or state.wrote or not replica_configured()
                or model._meta.app_label not in REPLICA_APPS):
            return None
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        state = _state.get()
        if state is not None and model._meta.app_label in REPLICA_APPS:
            state.wrote = True  # read your own writes: the rest of the request reads the primary
            state.replica = False
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        return True  # the replica is a copy of the primary: an object from either relates to any other

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return db != REPLICA  # a streaming replica is read-only: it follows the primary's migrations


class ReplicaPinMiddleware:
    """After a request that changed domain data, pin this browser to the primary for a few seconds."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _state.set(_Request())
        try:
            response = self.get_response(request)
            state = _state.get()
            if state is not None and state.wrote and replica_configured():
                response.set_cookie(PIN_COOKIE, "1", max_age=pin_seconds(), httponly=True, samesite="Lax",
                                    secure=request.is_secure())
            return response
        finally:
            _state.reset(token)
