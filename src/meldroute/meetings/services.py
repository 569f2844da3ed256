"""Planning meetings, compiling their agendas, recording decisions (which move the signal on its route), closing.

Each state change takes the actor, runs in one transaction and writes its audit event inside it.
"""

import calendar
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.audit.services import record_event
from meldroute.core.exceptions import DomainError
from meldroute.organisations.models import Organisation
from meldroute.partners.constants import PartnerType
from meldroute.routing.constants import Decision
from meldroute.routing.services import record_route_event

from .constants import DECISIONS_WITHOUT_ACTION, Cadence, MeetingStatus, Ordinal
from .models import AgendaItem, Meeting, MeetingSeries
from .selectors import is_chair, participants_of, waiting_steps_for

MEETING_TARGET = "meetings.meeting"
SIGNAL_TARGET = "intake.signal"


def _ensure_chair(actor, series: MeetingSeries) -> None:
    # actor None is the system (demo seed, background jobs); a person must chair the series.
    if actor is not None and not is_chair(actor, series):
        raise DomainError(_("Alleen de voorzitter van dit overleg kan dit doen."), code="forbidden")


def _ensure_planned(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.PLANNED:
        raise DomainError(_("Dit overleg is al afgesloten of vervallen."))


# --- Dates --------------------------------------------------------------------------------------

def _weekday_of_month(year: int, month: int, weekday: int, ordinal: int) -> date:
    if ordinal == Ordinal.LAST:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))


def next_date(series: MeetingSeries, on_or_after: date) -> date:
    """The first date on or after `on_or_after` that the series' cadence falls on."""
    if series.cadence == Cadence.MONTHLY:
        year, month = on_or_after.year, on_or_after.month
        while True:
            candidate = _weekday_of_month(year, month, series.weekday, series.ordinal)
            if candidate >= on_or_after:
                return candidate
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return on_or_after + timedelta(days=(series.weekday - on_or_after.weekday()) % 7)


# --- Meetings -----------------------------------------------------------------------------------

def next_meeting(series: MeetingSeries, *, actor, today: date | None = None) -> Meeting:
    """The series' planned meeting; when none is planned, the next one by its cadence is created."""
    _ensure_chair(actor, series)
    if not series.is_active:
        raise DomainError(_("Deze overlegreeks is niet meer actief."))
    today = today or timezone.localdate()
    with transaction.atomic():
        # Lock the series so two chairs opening the page at once do not plan two meetings.
        MeetingSeries.objects.select_for_update().filter(pk=series.pk).first()
        planned = series.meetings.filter(status=MeetingStatus.PLANNED).order_by("date").first()
        if planned is not None:
            return planned
        last = series.meetings.order_by("-date").values_list("date", flat=True).first()
        start = max(today, last + timedelta(days=1)) if last else today
        meeting = Meeting.objects.create(series=series, date=next_date(series, start))
        record_event(actor=actor, action="meeting.planned", target_type=MEETING_TARGET, target_uuid=meeting.uuid,
                     fields=["date", "status"], purpose="plannen overleg",
                     details={"series": str(series.uuid), "date": meeting.date.isoformat()})
    return meeting


def compile_agenda(meeting: Meeting, *, actor) -> list[AgendaItem]:
    """Put every signal waiting for this kind of meeting on the agenda, unless a planned meeting of the series
    already has it. Idempotent: returns the items it added (usually none on a second run)."""
    series = meeting.series
    _ensure_chair(actor, series)
    _ensure_planned(meeting)
    with transaction.atomic():
        MeetingSeries.objects.select_for_update().filter(pk=series.pk).first()
        on_agenda = set(AgendaItem.objects.filter(meeting__series=series, meeting__status=MeetingStatus.PLANNED)
                        .values_list("signal_id", flat=True))
        position = meeting.items.aggregate(last=Max("position"))["last"] or 0
        added = []
        for step in waiting_steps_for(series):
            signal_id = step.signal_route.signal_id
            if signal_id in on_agenda:
                continue
            on_agenda.add(signal_id)
            position += 1
            added.append(AgendaItem.objects.create(meeting=meeting, signal_id=signal_id, route_step=step,
                                                   position=position))
        if added:
            record_event(actor=actor, action="meeting.agenda_compiled", target_type=MEETING_TARGET,
                         target_uuid=meeting.uuid, fields=["items"], purpose="agenda overleg",
                         details={"added": len(added)})
    return added


def decide_item(item: AgendaItem, *, actor, decision: str, owner_organisation: Organisation | None = None,
                action: str = "", deadline: date | None = None, refer_to: str = "") -> AgendaItem:
    """The chair records what the meeting decided about one signal; the signal moves on along its route.

    "Monitoren" keeps the route step active, so the signal returns on the next meeting's agenda.
    """
    meeting = item.meeting
    series = meeting.series
    if actor is None or not is_chair(actor, series):
        raise DomainError(_("Alleen de voorzitter van dit overleg kan besluiten vastleggen."), code="forbidden")
    _ensure_planned(meeting)
    if item.is_decided:
        raise DomainError(_("Over dit agendapunt is al besloten."))
    action = (action or "").strip()
    refer_to = (refer_to or "").strip()
    if decision not in Decision.values:
        raise DomainError(_("Kies een besluit."), field="decision")
    if decision == Decision.REFER and refer_to not in PartnerType.values:
        raise DomainError(_("Kies naar welke ketenpartner het signaal wordt doorverwezen."), field="refer_to")
    if decision != Decision.REFER:
        refer_to = ""
    if decision not in DECISIONS_WITHOUT_ACTION:
        if owner_organisation is None:
            raise DomainError(_("Kies welke organisatie de actie uitvoert."), field="owner_organisation")
        if not action:
            raise DomainError(_("Beschrijf de afgesproken actie."), field="action")
    if owner_organisation is not None and not participants_of(series).filter(pk=owner_organisation.pk).exists():
        raise DomainError(_("Kies een organisatie die aan dit overleg deelneemt."), field="owner_organisation")
    if deadline is not None and deadline < timezone.localdate():
        raise DomainError(_("De uiterste datum ligt in het verleden."), field="deadline")
    with transaction.atomic():
        item.decision, item.owner_organisation, item.action = decision, owner_organisation, action
        item.deadline, item.refer_to = deadline, refer_to
        item.decided_by, item.decided_at = actor, timezone.now()
        item.save(update_fields=["decision", "owner_organisation", "action", "deadline", "refer_to", "decided_by",
                                 "decided_at", "updated_at"])
        note = _("Besluit %(meeting)s: %(decision)s") % {"meeting": str(meeting), "decision": Decision(decision).label}
        # The route completes the meeting step and activates what follows; "monitoren" leaves the step active.
        completed = record_route_event(item.signal, event="meeting_decided", target=series.kind, actor=actor,
                                       facts={"decision": decision, "refer_to": refer_to}, note=note)
        record_event(actor=actor, action="meeting.item_decided", target_type=SIGNAL_TARGET,
                     target_uuid=item.signal.uuid, fields=["decision", "owner_organisation", "action", "deadline",
                                                           "refer_to"],
                     purpose="besluit in overleg",
                     details={"meeting": str(meeting.uuid), "item": str(item.uuid), "decision": decision,
                              "refer_to": refer_to, "steps_completed": len(completed)})
    return item


def close_meeting(meeting: Meeting, *, actor, notes: str = "") -> Meeting:
    """Mark the meeting held once every item has a decision; the minutes then are final."""
    _ensure_chair(actor, meeting.series)
    _ensure_planned(meeting)
    if meeting.items.filter(decision="").exists():
        raise DomainError(_("Leg eerst bij elk agendapunt een besluit vast."))
    with transaction.atomic():
        meeting.status, meeting.held_at, meeting.closed_by = MeetingStatus.HELD, timezone.now(), actor
        meeting.notes = (notes or "").strip()
        meeting.save(update_fields=["status", "held_at", "closed_by", "notes", "updated_at"])
        record_event(actor=actor, action="meeting.held", target_type=MEETING_TARGET, target_uuid=meeting.uuid,
                     fields=["status", "notes"], purpose="afsluiten overleg",
                     details={"items": meeting.items.count()})
    return meeting


def cancel_meeting(meeting: Meeting, *, actor) -> Meeting:
    """Let a meeting lapse. Its undecided items leave the agenda, so the signals return on the next meeting."""
    _ensure_chair(actor, meeting.series)
    _ensure_planned(meeting)
    with transaction.atomic():
        removed, _details = meeting.items.filter(decision="").delete()
        meeting.status = MeetingStatus.CANCELLED
        meeting.closed_by = actor
        meeting.save(update_fields=["status", "closed_by", "updated_at"])
        record_event(actor=actor, action="meeting.cancelled", target_type=MEETING_TARGET, target_uuid=meeting.uuid,
                     fields=["status"], purpose="overleg laten vervallen", details={"items_removed": removed})
    return meeting
