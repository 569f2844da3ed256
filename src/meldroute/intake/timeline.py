"""A signal's full timeline ("Verloop"): every app that records something about a signal adds its own entries.

intake is low in the layers, so it cannot read the apps built on signals; each of them registers a *source* here in
its AppConfig.ready (triage: assignments, lookups, enrichment, classification; routing: route steps completed;
referrals; meetings: decisions; cases: the case the signal went into). A source takes the viewer and the signal —
which the caller has already read through an access-checked selector — and returns that app's entries as far as
the viewer may see them (its scoping and sharing rules). Each source costs a fixed number of queries, whatever the
number of its entries, so the page stays within a constant number of queries.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import Signal


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    kind: str  # one of KINDS: the page shows its label and the viewer can filter on it
    text: str  # Dutch, for the viewer: never a code
    actor: str = ""  # who did it, as shown ("Melder", "Meldroute" for what the system did)
    link: str = ""  # a page with more, only when the viewer may open it


# The kinds of entry, in the order the page lists them for filtering.
KINDS: dict[str, Any] = {
    "received": _("Ontvangen"),
    "status": _("Status"),
    "assignment": _("Toewijzing"),
    "lookup": _("Bevraging"),
    "enrichment": _("Verrijking"),
    "classification": _("Classificatie"),
    "route": _("Meldroute"),
    "referral": _("Doorverwijzing"),
    "meeting": _("Overlegbesluit"),
    "case": _("Casus"),
    "question": _("Vraag en antwoord"),
    "feedback": _("Terugkoppeling"),
}

TimelineSource = Callable[[Any, Signal], Iterable[TimelineEntry]]
_SOURCES: dict[str, TimelineSource] = {}


def register(name: str, source: TimelineSource) -> None:
    """Add an app's source (idempotent per name, so a reloaded AppConfig does not list entries twice)."""
    _SOURCES[name] = source


def sources() -> dict[str, TimelineSource]:
    return dict(_SOURCES)


def timeline_for(user: Any, signal: Signal) -> list[TimelineEntry]:
    """All entries of all registered sources, oldest first (ties in registration order, then each source's own)."""
    entries: list[tuple[datetime, int, int, TimelineEntry]] = []
    for rank, source in enumerate(_SOURCES.values()):
        for index, entry in enumerate(source(user, signal)):
            entries.append((entry.when, rank, index, entry))
    entries.sort(key=lambda item: item[:3])
    return [entry for *_key, entry in entries]


def user_label(user: Any) -> str:
    if user is None:
        return str(_("Meldroute"))
    label: str = user.get_full_name() or user.username
    return label


def intake_entries(user: Any, signal: Signal) -> list[TimelineEntry]:
    """intake's own: the receipt, status changes, questions to the reporter with their answers, and feedback."""
    from .models import SignalStatusChange
    from .selectors import feedback_of, questions_of

    entries = [TimelineEntry(when=signal.received_at, kind="received", text=str(_("Signaal ontvangen")))]
    for change in SignalStatusChange.objects.filter(signal=signal).select_related("actor"):
        text = str(change.get_to_status_display())
        if change.text:
            text += f": {change.text}"
        entries.append(TimelineEntry(when=change.created_at, kind="status", text=text,
                                     actor=user_label(change.actor) if change.actor_id else str(_("Meldroute"))))
    reporter = str(_("Melder"))
    for request in questions_of(signal):  # the same rows as the page's panel
        entries.append(TimelineEntry(when=request.created_at, kind="question", actor=user_label(request.asked_by),
                                     text=str(_("Vraag aan de melder: %(q)s")) % {"q": request.question}))
        if request.answered_at:
            entries.append(TimelineEntry(when=request.answered_at, kind="question", actor=reporter,
                                         text=str(_("Antwoord van de melder: %(a)s")) % {"a": request.answer}))
        elif request.expired_at:
            entries.append(TimelineEntry(when=request.expired_at, kind="question",
                                         text=str(_("Vraag aan de melder verlopen zonder antwoord."))))
    for feedback in feedback_of(signal):
        entries.append(TimelineEntry(when=feedback.created_at, kind="feedback", actor=user_label(feedback.author),
                                     text=str(_("Terugkoppeling aan de melder: %(t)s")) % {"t": feedback.text}))
    return entries
