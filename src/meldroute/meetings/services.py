"""Planning meetings, compiling their agendas, recording decisions (which move the signal on its route), closing;
bringing a case to a table, and deciding about it (which can add an action to the case's plan van aanpak).

Each state change takes the actor, runs in one transaction and writes its audit event inside it.
"""

import calendar
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.cases import services as case_services
from meldroute.cases.models import Case
from meldroute.cases.permissions import case_access
from meldroute.core.exceptions import DomainError
from meldroute.intake import events
from meldroute.intake.models import Signal
from meldroute.organisations.models import Organisation
from meldroute.partners.constants import PartnerType
from meldroute.routing.constants import Decision

from .constants import (
    CASE_DECISIONS,
    CASE_REASON_MAX_LENGTH,
    DECISIONS_WITHOUT_ACTION,
    Cadence,
    MeetingStatus,
    Ordinal,
)
from .models import AgendaItem, CaseAgendaRequest, Meeting, MeetingSeries
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
        if added:
            record_event(actor=actor, action="meeting.agenda_compiled", target_type=target_of(meeting),
                         target_uuid=meeting.uuid, fields=["items"], purpose="agenda overleg",
                         details={"added": len(added), **({"cases": cases_added} if cases_added else {})})
    return added


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
    if item.is_case:
        return _decide_case_item(item, actor=actor, decision=decision, owner_organisation=owner_organisation,
                                 action=action, deadline=deadline)
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
        item.deadline, item.refer_to = deadline, refer_to
        item.decided_by, item.decided_at = actor, timezone.now()
        item.save(update_fields=["decision", "owner_organisation", "action", "deadline", "refer_to", "decided_by",
                                 "decided_at", "updated_at"])
        note = _("Besluit %(meeting)s: %(decision)s") % {"meeting": str(meeting), "decision": Decision(decision).label}
        # The route completes the meeting step and activates what follows; "monitoren" leaves the step active.
        completed = [step for _receiver, steps in events.signal_decided.send(
            sender=Signal, instance=signal, actor=actor, meeting_kind=series.kind, decision=decision,
            refer_to=refer_to, note=note) for step in steps or ()]
        record_event(actor=actor, action="meeting.item_decided", target_type=target_of(signal), target_uuid=signal.uuid,
                     fields=["decision", "owner_organisation", "action", "deadline",
                                                           "refer_to"],
                     purpose="besluit in overleg",
                     details={"meeting": str(meeting.uuid), "item": str(item.uuid), "decision": decision,
                              "refer_to": refer_to, "steps_completed": len(completed)})
    return item


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
                      action: str, deadline: date | None) -> AgendaItem:
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
        # The plan van aanpak is the case regie's: a chair who does not run the case cannot write into it.
        if not case_access(actor, case).manages:
            raise DomainError(_("Een actie met uiterste datum komt in het plan van aanpak van de casus; dat kan "
                                "alleen de casusregie of de aandachtsfunctionaris van de gemeente. Laat de uiterste "
                                "datum leeg of laat de casusregie de actie toevoegen."), field="deadline")
    with transaction.atomic():
        plan_action = None
        if to_plan:
            # First, so that a refusal by the plan's own rules leaves the item untouched (also in memory).
            try:
                plan_action = case_services.add_action(case, actor=actor, description=action, deadline=deadline,
                                                       owner_organisation=owner_organisation)
            except DomainError as error:
                # The plan's fields have the agenda form's names here.
                field = {"description": "action", "owner_user": "owner_organisation"}.get(error.field or "",
                                                                                          error.field)
                raise DomainError(error.message, code=error.code, field=field) from error
        item.decision, item.owner_organisation, item.action = decision, owner_organisation, action
        item.deadline, item.refer_to = deadline, ""
        item.decided_by, item.decided_at = actor, timezone.now()
        item.save(update_fields=["decision", "owner_organisation", "action", "deadline", "refer_to", "decided_by",
                                 "decided_at", "updated_at"])
        requeued = False
        if (decision == Decision.MONITOR
                and not CaseAgendaRequest.objects.filter(series=series, case=case, placed_on__isnull=True).exists()):
            CaseAgendaRequest.objects.create(
                series=series, case=case, requested_by=actor,
                reason=_("Monitoren: besluit %(meeting)s") % {"meeting": str(meeting)})
            requeued = True
        record_event(actor=actor, action="meeting.item_decided", target_type=target_of(case), target_uuid=case.uuid,
                     fields=["decision", "owner_organisation", "action", "deadline"], purpose="besluit in overleg",
                     details={"meeting": str(meeting.uuid), "item": str(item.uuid), "decision": decision,
                              "plan_action": str(plan_action.uuid) if plan_action else None, "requeued": requeued})
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
        record_event(actor=actor, action="meeting.held", target_type=target_of(meeting), target_uuid=meeting.uuid,
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
        record_event(actor=actor, action="meeting.cancelled", target_type=target_of(meeting), target_uuid=meeting.uuid,
                     fields=["status"], purpose="overleg laten vervallen", details={"items_removed": removed})
    return meeting
