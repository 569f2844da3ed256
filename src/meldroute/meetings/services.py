"""Planning meetings, compiling their agendas, recording decisions (which move the signal on its route), closing;
bringing a case to a table, and deciding about it (which can add an action to the case's plan van aanpak).

Each state change takes the actor, runs in one transaction and writes its audit event inside it.
"""

import calendar
import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.accounts.models import User
from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.cases import services as case_services
from meldroute.cases.models import Case
from meldroute.cases.permissions import case_access
from meldroute.core.exceptions import DomainError
from meldroute.core.jobs import claim_send_audit
from meldroute.core.language import recorded
from meldroute.intake import events
from meldroute.intake.models import Signal
from meldroute.intake.services import config
from meldroute.organisations.models import Organisation
from meldroute.partners.constants import PartnerType
from meldroute.routing.constants import Decision

from . import events as meeting_events
from .constants import (
    CADENCE_MONTHS,
    CASE_DECISIONS,
    CASE_REASON_MAX_LENGTH,
    DECISIONS_WITHOUT_ACTION,
    MOVE_REASON_MAX_LENGTH,
    SHELTER_KINDS,
    WORKING_ROLES,
    Cadence,
    MeetingStatus,
    Ordinal,
)
from .models import AgendaItem, CaseAgendaRequest, ItemGuest, Meeting, MeetingSeries, MinutesCopy, SeriesGuest
from .notifying import notify_agenda
from .selectors import (
    case_on_planned_agenda,
    is_chair,
    participants_of,
    pending_case_requests_for,
    series_municipality_ids,
    series_visible_to,
    waiting_steps_for,
)


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


logger = logging.getLogger(__name__)


def next_date(series: MeetingSeries, on_or_after: date) -> date:
    """The first date on or after `on_or_after` that the series' cadence falls on."""
    if series.cadence != Cadence.WEEKLY:
        months = CADENCE_MONTHS.get(series.cadence, tuple(range(1, 13)))
        year, month = on_or_after.year, on_or_after.month
        while True:
            if month in months:
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
        record_event(actor=actor, action="meeting.planned", target_type=target_of(meeting), target_uuid=meeting.uuid,
                     fields=["date", "status"], purpose="plannen overleg",
                     details={"series": str(series.uuid), "date": meeting.date.isoformat()})
    return meeting


def compile_agenda(meeting: Meeting, *, actor) -> list[AgendaItem]:
    """Put every signal waiting for this kind of meeting, and every case brought to this series, on the agenda,
    unless a planned meeting of the series already has it. Idempotent: returns the items it added (usually none on
    a second run). A case already on a planned meeting keeps its request pending for the meeting after it."""
    series = meeting.series
    _ensure_chair(actor, series)
    _ensure_planned(meeting)
    with transaction.atomic():
        MeetingSeries.objects.select_for_update().filter(pk=series.pk).first()
        planned_items = AgendaItem.objects.filter(meeting__series=series, meeting__status=MeetingStatus.PLANNED)
        on_agenda = set(planned_items.filter(signal__isnull=False).values_list("signal_id", flat=True))
        cases_on_agenda = set(planned_items.filter(case__isnull=False).values_list("case_id", flat=True))
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
        cases_added = 0
        for request in pending_case_requests_for(series):
            if request.case_id in cases_on_agenda:
                continue
            cases_on_agenda.add(request.case_id)
            position += 1
            item = AgendaItem.objects.create(meeting=meeting, case_id=request.case_id, position=position)
            request.placed_on = item
            request.save(update_fields=["placed_on", "updated_at"])
            added.append(item)
            cases_added += 1
        invited = _invite_series_guests(meeting)
        if added or invited:
            record_event(actor=actor, action="meeting.agenda_compiled", target_type=target_of(meeting),
                         target_uuid=meeting.uuid, fields=["items"], purpose="agenda overleg",
                         details={"added": len(added), **({"cases": cases_added} if cases_added else {}),
                                  **({"guests_invited": invited} if invited else {})})
        if added:
            notify_agenda(meeting, actor=actor, items=len(added))
    return added


def _invite_series_guests(meeting: Meeting) -> int:
    """Invite each standing guest of the series (the OM for criminal exploitation) to the undecided signal items
    whose classification names one of its forms of exploitation. Idempotent; returns the invitations added."""
    guests = list(SeriesGuest.objects.filter(series=meeting.series).exclude(
        organisation__in=participants_of(meeting.series)))
    if not guests:
        return 0
    added = 0
    items = meeting.items.filter(decision="", moved_to__isnull=True, signal__isnull=False).select_related(
        "signal__classification")
    for item in items:
        classification = getattr(item.signal, "classification", None) if item.signal is not None else None
        forms = set(classification.forms) if classification is not None else set()
        for guest in guests:
            if forms & set(guest.forms):
                _guest, created = ItemGuest.objects.get_or_create(item=item, organisation_id=guest.organisation_id)
                added += int(created)
    return added


def invite_to_item(item: AgendaItem, *, actor: User | None, organisation: Organisation) -> ItemGuest:
    """The chair invites an organisation to one item (ODWH, HEIT "wanneer dit voor de casuïstiek nodig is", seed
    002 §5.2.1). It then sees that item only, by the sharing rule of its partner type, and gets its minutes."""
    meeting = item.meeting
    _ensure_chair(actor, meeting.series)
    _ensure_planned(meeting)
    if item.is_handled:
        raise DomainError(_("Dit agendapunt is al afgehandeld."), field="organisation")
    if participants_of(meeting.series).filter(pk=organisation.pk).exists():
        raise DomainError(_("Deze organisatie neemt al aan het hele overleg deel."), field="organisation")
    if item.guests.filter(organisation=organisation).exists():
        raise DomainError(_("Deze organisatie is al uitgenodigd voor dit agendapunt."), field="organisation")
    if organisation.region_id != meeting.series.region_id:
        raise DomainError(_("Kies een organisatie uit de regio van dit overleg."), field="organisation")
    with transaction.atomic():
        guest = ItemGuest.objects.create(item=item, organisation=organisation, invited_by=actor)
        record_event(actor=actor, action="meeting.guest_invited", target_type=target_of(meeting),
                     target_uuid=meeting.uuid, fields=["guests"], purpose="agenda overleg",
                     details={"item": str(item.uuid), "organisation": organisation.code})
    return guest


def _check_action(series: MeetingSeries, *, decision: str, owner_organisation: Organisation | None, action: str,
                  deadline: date | None) -> None:
    """What a decision with an action needs: an owner that takes part in the meeting, the action, no past deadline."""
    if decision not in DECISIONS_WITHOUT_ACTION:
        if owner_organisation is None:
            raise DomainError(_("Kies welke organisatie de actie uitvoert."), field="owner_organisation")
        if not action:
            raise DomainError(_("Beschrijf de afgesproken actie."), field="action")
    if owner_organisation is not None and not participants_of(series).filter(pk=owner_organisation.pk).exists():
        raise DomainError(_("Kies een organisatie die aan dit overleg deelneemt."), field="owner_organisation")
    if deadline is not None and deadline < timezone.localdate():
        raise DomainError(_("De uiterste datum ligt in het verleden."), field="deadline")


def decide_item(item: AgendaItem, *, actor, decision: str, owner_organisation: Organisation | None = None,
                action: str = "", deadline: date | None = None, refer_to: str = "",
                shelter: bool = False) -> AgendaItem:
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
    if item.is_moved:
        raise DomainError(_("Dit agendapunt is verplaatst naar het volgende overleg."))
    if shelter:
        _check_shelter(item, decision)
    if item.is_case:
        return _decide_case_item(item, actor=actor, decision=decision, owner_organisation=owner_organisation,
                                 action=action, deadline=deadline, shelter=shelter)
    signal = item.signal
    assert signal is not None  # an item is a signal or a case (agenda_item_is_signal_or_case)
    action = (action or "").strip()
    refer_to = (refer_to or "").strip()
    if decision not in Decision.values:
        raise DomainError(_("Kies een besluit."), field="decision")
    if decision == Decision.REFER and refer_to not in PartnerType.values:
        raise DomainError(_("Kies naar welke ketenpartner het signaal wordt doorverwezen."), field="refer_to")
    if decision != Decision.REFER:
        refer_to = ""
    _check_action(series, decision=decision, owner_organisation=owner_organisation, action=action, deadline=deadline)
    with transaction.atomic():
        item.decision, item.owner_organisation, item.action = decision, owner_organisation, action
        item.deadline, item.refer_to, item.shelter = deadline, refer_to, shelter
        item.decided_by, item.decided_at = actor, timezone.now()
        item.save(update_fields=["decision", "owner_organisation", "action", "deadline", "refer_to", "shelter",
                                 "decided_by", "decided_at", "updated_at"])
        note = recorded("Besluit %(meeting)s: %(decision)s",
                        {"meeting": str(meeting), "decision": Decision(decision).label})
        # The route completes the meeting step and activates what follows; "monitoren" leaves the step active.
        completed = [step for _receiver, steps in events.signal_decided.send(
            sender=Signal, instance=signal, actor=actor, meeting_kind=series.kind, decision=decision,
            refer_to=refer_to, note=note) for step in steps or ()]
        record_event(actor=actor, action="meeting.item_decided", target_type=target_of(signal), target_uuid=signal.uuid,
                     fields=["decision", "owner_organisation", "action", "deadline", "refer_to",
                             *(["shelter"] if shelter else [])],
                     purpose="besluit in overleg",
                     details={"meeting": str(meeting.uuid), "item": str(item.uuid), "decision": decision,
                              "refer_to": refer_to, "steps_completed": len(completed),
                              **({"shelter": True} if shelter else {})})
        if shelter:
            _start_shelter(item, actor)
    return item


def _check_shelter(item: AgendaItem, decision: str) -> None:
    """Shelter is decided by the screeningsoverleg in an acute situation (seed 003 §6, footnote 12): an acute
    signal, or a case brought to the table; never together with "geen mensenhandel"."""
    if item.meeting.series.kind not in SHELTER_KINDS:
        raise DomainError(_("Over opvang besluit het screeningsoverleg."), field="shelter")
    if item.signal is not None and not item.signal.is_acute:
        raise DomainError(_("Het overleg besluit over opvang in een acute situatie; dit signaal is niet acuut."),
                          field="shelter")
    if decision == Decision.NO_TRAFFICKING:
        raise DomainError(_("Opvang past niet bij het besluit 'geen mensenhandel'."), field="shelter")


def _start_shelter(item: AgendaItem, actor: User | None) -> None:
    """Tell care (which follows meetings' events) to start the placement request for the zorgcoördinator. Without
    a receiver nothing would happen, so that is refused: the decision is not recorded."""
    started = [request for _receiver, request in meeting_events.shelter_decided.send(
        sender=AgendaItem, item=item, actor=actor) if request is not None]
    if not started:
        raise DomainError(_("De opvang kon niet worden aangevraagd."), field="shelter")


# --- Cases on the agenda -----------------------------------------------------------------------------------------

def bring_case_to_meeting(case: Case, *, actor, series: MeetingSeries, reason: str) -> CaseAgendaRequest:
    """Ask for an open case to be discussed at the next meeting of a series (SPEC §2 D2). Allowed for whoever sees
    the case whole, when their organisation sits at the table and the table discusses the case's municipality;
    the next meeting's agenda then picks it up (`compile_agenda`)."""
    if actor is None or not Case.objects.seen_whole_by(actor).filter(pk=case.pk).exists():
        raise DomainError(_("Alleen wie de hele casus mag inzien, kan de casus agenderen."), code="forbidden")
    if not series_visible_to(actor).filter(pk=series.pk).exists():
        raise DomainError(_("Uw organisatie neemt niet deel aan dit overleg."), field="series", code="forbidden")
    if not series.is_active:
        raise DomainError(_("Deze overlegreeks is niet meer actief."), field="series")
    if case.municipality_id not in series_municipality_ids(series):
        raise DomainError(_("Dit overleg bespreekt geen casussen van %(municipality)s.")
                          % {"municipality": case.municipality.name}, field="series")
    if not case.is_open:
        raise DomainError(_("Deze casus is afgesloten; alleen een lopende casus kan op de agenda."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Geef aan waarom de casus besproken moet worden (zonder namen)."), field="reason")
    if len(reason) > CASE_REASON_MAX_LENGTH:
        raise DomainError(_("Gebruik hoogstens %(n)s tekens.") % {"n": CASE_REASON_MAX_LENGTH}, field="reason")
    with transaction.atomic():
        # Lock the series (as compile_agenda does) so a request and a compiling agenda never cross.
        MeetingSeries.objects.select_for_update().filter(pk=series.pk).first()
        if (CaseAgendaRequest.objects.filter(series=series, case=case, placed_on__isnull=True).exists()
                or case_on_planned_agenda(series, case, undecided_only=True)):
            raise DomainError(_("Deze casus staat al op de agenda van dit overleg."), field="series")
        request = CaseAgendaRequest.objects.create(series=series, case=case, requested_by=actor, reason=reason)
        record_event(actor=actor, action="meeting.case_requested", target_type=target_of(case), target_uuid=case.uuid,
                     fields=["series", "reason"], purpose="casus agenderen voor overleg",
                     details={"series": str(series.uuid), "request": str(request.uuid)})
    return request


def _decide_case_item(item: AgendaItem, *, actor, decision: str, owner_organisation: Organisation | None,
                      action: str, deadline: date | None, shelter: bool = False) -> AgendaItem:
    """The chair's decision about a case. With an action and a deadline, the action also goes into the case's plan
    van aanpak (owned by the owner organisation) through the cases app's own rules, in the same transaction.
    "Monitoren" asks for the case again, so it returns on the series' next meeting."""
    meeting, case = item.meeting, item.case
    series = meeting.series
    assert case is not None
    action = (action or "").strip()
    if decision not in CASE_DECISIONS:
        raise DomainError(_("Kies een besluit."), field="decision")
    _check_action(series, decision=decision, owner_organisation=owner_organisation, action=action, deadline=deadline)
    to_plan = bool(action) and deadline is not None
    if to_plan:
        if owner_organisation is None:
            raise DomainError(_("Kies welke organisatie de actie uitvoert."), field="owner_organisation")
    with transaction.atomic():
        plan_action = None
        if to_plan:
            # First, so that a refusal by the plan's own rules leaves the item untouched (also in memory). The case
            # was brought to this table (the item shows it), so the chair records the table's action in the plan
            # even without running the case: cases.add_action_from_meeting.
            try:
                if case_access(actor, case).manages:
                    plan_action = case_services.add_action(case, actor=actor, description=action,
                                                           deadline=deadline, owner_organisation=owner_organisation)
                else:
                    assert owner_organisation is not None  # checked above
                    plan_action = case_services.add_action_from_meeting(
                        case, actor=actor, description=action, deadline=deadline,
                        owner_organisation=owner_organisation, meeting_label=str(meeting))
            except DomainError as error:
                # The plan's fields have the agenda form's names here.
                field = {"description": "action", "owner_user": "owner_organisation"}.get(error.field or "",
                                                                                          error.field)
                raise DomainError(error.message, code=error.code, field=field) from error
        item.decision, item.owner_organisation, item.action = decision, owner_organisation, action
        item.deadline, item.refer_to, item.shelter = deadline, "", shelter
        item.decided_by, item.decided_at = actor, timezone.now()
        item.save(update_fields=["decision", "owner_organisation", "action", "deadline", "refer_to", "shelter",
                                 "decided_by", "decided_at", "updated_at"])
        requeued = False
        if (decision == Decision.MONITOR
                and not CaseAgendaRequest.objects.filter(series=series, case=case, placed_on__isnull=True).exists()):
            CaseAgendaRequest.objects.create(
                series=series, case=case, requested_by=actor,
                reason=recorded("Monitoren: besluit %(meeting)s", {"meeting": str(meeting)}))
            requeued = True
        record_event(actor=actor, action="meeting.item_decided", target_type=target_of(case), target_uuid=case.uuid,
                     fields=["decision", "owner_organisation", "action", "deadline"], purpose="besluit in overleg",
                     details={"meeting": str(meeting.uuid), "item": str(item.uuid), "decision": decision,
                              "plan_action": str(plan_action.uuid) if plan_action else None, "requeued": requeued,
                              **({"shelter": True} if shelter else {})})
        if shelter:
            _start_shelter(item, actor)
    return item


def close_meeting(meeting: Meeting, *, actor, notes: str = "") -> Meeting:
    """Mark the meeting held once every item has a decision; the minutes then are final."""
    _ensure_chair(actor, meeting.series)
    _ensure_planned(meeting)
    if meeting.date > timezone.localdate():
        raise DomainError(_("Dit overleg is op %(date)s; het kan pas op die dag worden afgesloten.")
                          % {"date": meeting.date.strftime("%d-%m-%Y")})
    if meeting.items.filter(decision="", moved_to__isnull=True).exists():
        raise DomainError(_("Leg eerst bij elk agendapunt een besluit vast."))
    with transaction.atomic():
        meeting.status, meeting.held_at, meeting.closed_by = MeetingStatus.HELD, timezone.now(), actor
        meeting.notes = (notes or "").strip()
        meeting.save(update_fields=["status", "held_at", "closed_by", "notes", "updated_at"])
        # Each organisation at the table, and each guest of an item, gets its own copy of the minutes (what it may
        # see: agenda_for); the outbox below announces it by mail, with a link only.
        organisations = set(participants_of(meeting.series).values_list("pk", flat=True))
        organisations |= set(ItemGuest.objects.filter(item__meeting=meeting).values_list("organisation_id",
                                                                                         flat=True))
        MinutesCopy.objects.bulk_create([MinutesCopy(meeting=meeting, organisation_id=pk)
                                         for pk in sorted(organisations)])
        record_event(actor=actor, action="meeting.held", target_type=target_of(meeting), target_uuid=meeting.uuid,
                     fields=["status", "notes"], purpose="afsluiten overleg",
                     details={"items": meeting.items.count(), "minutes_copies": len(organisations)})
        # robust: a mail server that is down must not undo the closing; the worker sends what is left.
        transaction.on_commit(lambda: send_minutes_notices(timezone.now(), meeting_id=meeting.pk), robust=True)
    return meeting


def cancel_meeting(meeting: Meeting, *, actor) -> Meeting:
    """Let a meeting lapse. Its undecided items leave the agenda, so the signals return on the next meeting."""
    _ensure_chair(actor, meeting.series)
    _ensure_planned(meeting)
    with transaction.atomic():
        # Moved items stay: they record where the item went.
        removed, _details = meeting.items.filter(decision="", moved_to__isnull=True).delete()
        meeting.status = MeetingStatus.CANCELLED
        meeting.closed_by = actor
        meeting.save(update_fields=["status", "closed_by", "updated_at"])
        record_event(actor=actor, action="meeting.cancelled", target_type=target_of(meeting), target_uuid=meeting.uuid,
                     fields=["status"], purpose="overleg laten vervallen", details={"items_removed": removed})
    return meeting


# --- Running the meeting: moving an item, attendance ------------------------------------------------------------

def _following_meeting(meeting: Meeting, actor: User | None) -> Meeting:
    """The series' next planned meeting after this one; planned by the cadence when there is none yet."""
    series = meeting.series
    following = (series.meetings.filter(status=MeetingStatus.PLANNED, date__gt=meeting.date).order_by("date")
                 .first())
    if following is not None:
        return following
    last = series.meetings.order_by("-date").values_list("date", flat=True).first() or meeting.date
    following = Meeting.objects.create(series=series, date=next_date(series, last + timedelta(days=1)))
    record_event(actor=actor, action="meeting.planned", target_type=target_of(following),
                 target_uuid=following.uuid, fields=["date", "status"], purpose="plannen overleg",
                 details={"series": str(series.uuid), "date": following.date.isoformat()})
    return following


def move_item(item: AgendaItem, *, actor: User | None, reason: str) -> AgendaItem:
    """Move an undecided item to the series' next meeting, with a reason (no names): it is handled here and returns
    there with its invitations; a case keeps its request. Returns the new item."""
    meeting = item.meeting
    _ensure_chair(actor, meeting.series)
    _ensure_planned(meeting)
    if item.is_handled:
        raise DomainError(_("Dit agendapunt is al afgehandeld."), field="reason")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Geef de reden van de verplaatsing op (zonder namen)."), field="reason")
    if len(reason) > MOVE_REASON_MAX_LENGTH:
        raise DomainError(_("Gebruik hoogstens %(n)s tekens.") % {"n": MOVE_REASON_MAX_LENGTH}, field="reason")
    with transaction.atomic():
        MeetingSeries.objects.select_for_update().filter(pk=meeting.series_id).first()
        following = _following_meeting(meeting, actor)
        existing = (following.items.filter(signal=item.signal) if item.signal_id is not None
                    else following.items.filter(case=item.case))
        moved = existing.first()
        if moved is None:
            position = (following.items.aggregate(last=Max("position"))["last"] or 0) + 1
            moved = AgendaItem.objects.create(meeting=following, signal_id=item.signal_id, case_id=item.case_id,
                                              route_step=item.route_step, position=position)
        for guest in item.guests.all():
            ItemGuest.objects.get_or_create(item=moved, organisation_id=guest.organisation_id,
                                            defaults={"invited_by": guest.invited_by})
        request = CaseAgendaRequest.objects.filter(placed_on=item).first()
        if request is not None:
            request.placed_on = moved
            request.save(update_fields=["placed_on", "updated_at"])
        item.moved_to, item.move_reason = moved, reason
        item.save(update_fields=["moved_to", "move_reason", "updated_at"])
        record_event(actor=actor, action="meeting.item_moved", target_type=target_of(meeting),
                     target_uuid=meeting.uuid, fields=["moved_to", "move_reason"], purpose="agenda overleg",
                     details={"item": str(item.uuid), "to_meeting": str(following.uuid),
                              "to_date": following.date.isoformat()})
    return moved


def record_attendance(meeting: Meeting, *, actor: User | None, organisations: Iterable[Organisation]) -> Meeting:
    """The chair records which organisations were present: those at the table and the guests of its items."""
    _ensure_chair(actor, meeting.series)
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("Dit overleg is vervallen."), field="organisations")
    chosen = list(organisations)
    allowed = set(participants_of(meeting.series).values_list("pk", flat=True)) | set(
        ItemGuest.objects.filter(item__meeting=meeting).values_list("organisation_id", flat=True))
    if any(o.pk not in allowed for o in chosen):
        raise DomainError(_("Kies organisaties die aan dit overleg deelnemen of voor een punt zijn uitgenodigd."),
                          field="organisations")
    with transaction.atomic():
        meeting.present_organisations.set(chosen)
        meeting.attendance_recorded_at = timezone.now()
        meeting.save(update_fields=["attendance_recorded_at", "updated_at"])
        record_event(actor=actor, action="meeting.attendance_recorded", target_type=target_of(meeting),
                     target_uuid=meeting.uuid, fields=["present_organisations"], purpose="aanwezigheid overleg",
                     details={"present": sorted(o.code for o in chosen)})
    return meeting


# --- The minutes to each participant (outbox) --------------------------------------------------------------------

def _minutes_recipients(copy: MinutesCopy) -> list[str]:
    """The organisation's people who sit at tables for it (working roles), else its general address."""
    users = User.objects.filter(organisation_id=copy.organisation_id, is_active=True).exclude(email="")
    addresses = sorted({u.email for u in users if u.roles & WORKING_ROLES})
    if not addresses and copy.organisation.email:
        addresses = [copy.organisation.email]
    return addresses


def send_minutes_notices(now: datetime | None = None, *, meeting_id: int | None = None) -> int:
    """The outbox of the minutes: for each copy not yet announced, claim it, mail the link (no personal data: the
    table's name, the date and a link to the PDF, which only a participant can open), and audit, in one
    transaction (core.jobs.claim_send_audit). A failed mail leaves it unclaimed for the worker's next round."""
    now = now or timezone.now()
    copies = MinutesCopy.objects.filter(notified_at__isnull=True).select_related("meeting__series", "organisation")
    if meeting_id is not None:
        copies = copies.filter(meeting_id=meeting_id)
    sent = 0
    for copy in copies:
        if _notify_minutes(copy, now):
            sent += 1
    return sent


def _notify_minutes(copy: MinutesCopy, now: datetime) -> bool:
    def claim() -> bool:
        return bool(MinutesCopy.objects.filter(pk=copy.pk, notified_at__isnull=True).update(notified_at=now))

    def context() -> dict[str, Any]:
        return {"series": copy.meeting.series.name, "date": copy.meeting.date.strftime("%d-%m-%Y"),
                "link": config("BASE_URL") + reverse("meetings:minutes_pdf", args=[copy.meeting.uuid])}

    def audit(addresses: Any) -> None:
        record_event(actor=None, action="meeting.minutes_sent", target_type=target_of(copy.meeting),
                     target_uuid=copy.meeting.uuid, fields=["minutes"], purpose="notulen aan deelnemers",
                     details={"organisation": copy.organisation.code, "recipients": len(addresses)})

    return claim_send_audit(claim=claim, recipients=lambda: _minutes_recipients(copy), mail="meetings/mail/minutes",
                            context=context, audit=audit)
