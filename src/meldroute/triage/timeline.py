"""triage's entries on a signal's timeline (intake.timeline): assignments, lookups, enrichment, classification.

Assignments and classifications are read from the audit events their services write (the signal keeps only the
current assignee and classification); lookups and other enrichment from the notes. Three queries in all."""

from typing import Any

from django.utils.translation import gettext as _

from meldroute.accounts.models import User
from meldroute.audit.models import AuditEvent
from meldroute.intake.models import Signal
from meldroute.intake.timeline import TimelineEntry, user_label

from .constants import Assessment, ExploitationForm, NoteSource
from .selectors import notes_of

LOOKUP_SOURCES = {NoteSource.BRP, NoteSource.KVK}


def assignment_text(actor: User | None, assignee: User | None) -> str:
    """"<A> wees toe aan <B>", or "<A> pakte op" when A gave it to themselves; by the route when nobody clicked."""
    name = user_label(assignee) if assignee is not None else _("een aandachtsfunctionaris")
    if actor is None:
        return _("Volgens de meldroute toegewezen aan %(b)s") % {"b": name}
    if assignee is not None and actor.pk == assignee.pk:
        return _("%(a)s pakte op") % {"a": user_label(actor)}
    return _("%(a)s wees toe aan %(b)s") % {"a": user_label(actor), "b": name}


def entries(user: Any, signal: Signal) -> list[TimelineEntry]:
    events = list(AuditEvent.objects.filter(target_uuid=signal.uuid, action__in=["signal.assigned",
                                                                                 "signal.classified"])
                  .only("created_at", "actor_id", "action", "details").order_by("id"))
    wanted = {e.actor_id for e in events} | {e.details.get("to") for e in events if e.action == "signal.assigned"}
    people = {u.pk: u for u in User.objects.filter(pk__in=[pk for pk in wanted if isinstance(pk, int)])
              .only("pk", "username", "first_name", "last_name")}
    assessments, forms = dict(Assessment.choices), dict(ExploitationForm.choices)
    result = []
    for event in events:
        actor = people.get(event.actor_id) if event.actor_id else None
        if event.action == "signal.assigned":
            result.append(TimelineEntry(when=event.created_at, kind="assignment", actor=user_label(actor),
                                        text=assignment_text(actor, people.get(event.details.get("to")))))
        else:
            text = _("Beoordeeld: %(a)s") % {"a": assessments.get(event.details.get("assessment"), "")}
            labels = [str(forms.get(f, f)) for f in event.details.get("forms") or []]
            if labels:
                text += " — " + ", ".join(labels)
            result.append(TimelineEntry(when=event.created_at, kind="classification", actor=user_label(actor),
                                        text=text))
    sources = dict(NoteSource.choices)
    for note in notes_of(signal):  # the same rows as the page's panel
        if note.source in LOOKUP_SOURCES:
            text = _("%(register)s bevraagd, doel: %(purpose)s") % {"register": sources[note.source],
                                                                    "purpose": note.purpose}
            result.append(TimelineEntry(when=note.created_at, kind="lookup", actor=user_label(note.author),
                                        text=text))
        else:
            result.append(TimelineEntry(when=note.created_at, kind="enrichment", actor=user_label(note.author),
                                        text=_("Verrijking toegevoegd, bron: %(source)s")
                                        % {"source": sources.get(note.source, note.source)}))
    return result
