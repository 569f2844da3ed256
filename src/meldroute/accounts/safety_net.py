"""The audit safety net: a change of power made outside the services (Django admin, shell, a data migration)
still leaves an event in the audit chain. The services mark their own writes, which they audit themselves."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_audited_by_service: ContextVar[bool] = ContextVar("audited_by_service", default=False)


@contextmanager
def audited_by_service() -> Iterator[None]:
    """Writes inside this block are audited by the calling service (or are a test fixture's world being built)."""
    token = _audited_by_service.set(True)
    try:
        yield
    finally:
        _audited_by_service.reset(token)


def is_audited_by_service() -> bool:
    return _audited_by_service.get()


_current_actor: ContextVar[object | None] = ContextVar("current_actor", default=None)


@contextmanager
def acting_as(actor: object | None) -> Iterator[None]:
    """Name who is acting for the safety net's events (the Django admin's superuser); without it: "systeem"."""
    token = _current_actor.set(actor)
    try:
        yield
    finally:
        _current_actor.reset(token)


def current_actor() -> object | None:
    return _current_actor.get()
