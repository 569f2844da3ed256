"""The registry of start-page panels: each app tells the home (meldroute.homes) what a role's work is, without the
home importing it — and, because this registry lives at the bottom of the layers, any app may add a panel (the
basisniveau of `policy`, say) without importing the home.

A panel builder takes the signed-in user and today's date and returns a `Panel` (or None when it has nothing to say
to this user). It must read through its own app's scoped selectors, never an unscoped query, and must not grow its
query count with the number of rows (the home's tests assert that). Register it in the app's `AppConfig.ready()`:

    from meldroute.core.home_panels import Panel, Row, register
    register("ketenregisseur", "basisniveau", build_basisniveau_panel, order=20)

A second registration under the same role and key replaces the first (so an app can take over a placeholder).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Row:
    """One line of work: a text without personal data (a code, a pseudonym, an action's text on a case the user sees
    whole), its date, where the work is, and whether it is overdue (shown first and marked)."""

    text: str
    url: str = ""
    when: date | None = None
    when_label: str = ""  # "uiterlijk", "op", "sinds": what the date means
    overdue: bool = False
    urgent: bool = False  # first with the overdue rows and its badge marked, but not "over de termijn" (acute)
    badge: str = ""  # a short marker such as "Acuut"
    detail: str = ""  # a second, smaller line


@dataclass(frozen=True)
class Figure:
    """A count with its label, at the top of a panel ("3 te beantwoorden"); `alert` marks one that needs action."""

    value: int | str
    label: str
    alert: bool = False


@dataclass
class Panel:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    link_url: str = ""
    link_label: str = ""
    empty: str = ""  # said when there are no rows
    note: str = ""  # one sentence under the rows
    order: int = 100

    def sorted_rows(self) -> list[Row]:
        """Overdue and urgent first, then by date (undated last), stable otherwise."""
        return sorted(self.rows, key=lambda r: (not (r.overdue or r.urgent), r.when or date.max))


PanelBuilder = Callable[[Any, date], "Panel | None"]


@dataclass(frozen=True)
class Registration:
    role: str
    key: str
    build: PanelBuilder
    order: int


_REGISTRY: dict[tuple[str, str], Registration] = {}


def register(role: str, key: str, build: PanelBuilder, *, order: int = 100, placeholder: bool = False) -> None:
    """Add (or replace) the panel `key` on the home of `role`. A `placeholder` never replaces a panel already
    registered under its key, whichever app's `ready()` runs first."""
    if placeholder and (str(role), key) in _REGISTRY:
        return
    _REGISTRY[(str(role), key)] = Registration(str(role), key, build, order)


def unregister(role: str, key: str) -> None:
    _REGISTRY.pop((str(role), key), None)


def registrations_for(roles: frozenset[str] | set[str]) -> list[Registration]:
    """The panels of these roles, in their order; a panel key registered for two of the user's roles comes once."""
    seen: set[str] = set()
    found: list[Registration] = []
    for registration in sorted(_REGISTRY.values(), key=lambda r: (r.order, r.role, r.key)):
        if registration.role in roles and registration.key not in seen:
            seen.add(registration.key)
            found.append(registration)
    return found
