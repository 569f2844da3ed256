"""Overleggen pages: my tables, a meeting's agenda (decision forms for the chair), the minutes, and bringing a case
to a table. Thin: each POST is one service call; every read goes through the selectors."""

from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from meldroute.accounts.permissions import role_required
from meldroute.cases.models import Case
from meldroute.core.exceptions import DomainError
from meldroute.core.forms import add_domain_error
from meldroute.core.pdf import render_pdf

from . import services
from .constants import SHELTER_KINDS, WORKING_ROLES, MeetingStatus
from .forms import (
    AttendanceForm,
    CaseAgendaRequestForm,
    CaseDecisionForm,
    CloseMeetingForm,
    DecisionForm,
    InviteForm,
    MoveItemForm,
)
from .models import AgendaItem, Meeting
from .selectors import (
    agenda_for,
    attendance_organisations,
    get_meeting_for,
    guests_of,
    invitable_organisations,
    invited_meetings_for,
    is_chair,
    is_standing,
    minutes_copies_for,
    participants_of,
    series_for_case,
    series_visible_to,
    viewer_categories,
)


def _standing_meeting(request, meeting_uuid) -> Meeting:
    """The meeting for an action on it: 404 unless the user's organisation sits at the table (a guest of one item
    acts on nothing and learns of no other item)."""
    meeting = get_meeting_for(request.user, meeting_uuid)
    if not is_standing(request.user, meeting.series):
        raise Http404
    return meeting


@login_required
@role_required(*WORKING_ROLES, organisation=True)  # who may sit at a table at all (selectors.takes_part)
def meeting_list(request):
    """The user's tables with their next meeting; the chair's next meeting is planned on the way."""
    rows = []
    for series in series_visible_to(request.user).select_related("municipality", "chair_organisation"):
        chairing = is_chair(request.user, series)
        upcoming = None
        if chairing and series.is_active:
            upcoming = services.next_meeting(series, actor=request.user)
        else:
            upcoming = series.meetings.filter(status=MeetingStatus.PLANNED).order_by("date").first()
        earlier = series.meetings.exclude(status=MeetingStatus.PLANNED).order_by("-date")[:5]
        rows.append({"series": series, "chairing": chairing, "upcoming": upcoming, "earlier": list(earlier)})
    return render(request, "meetings/list.html", {
        "rows": rows, "invited": list(invited_meetings_for(request.user)[:20]),
        "minutes_copies": list(minutes_copies_for(request.user)[:20])})


@dataclass
class DecisionSlot:
    """An undecided item's decision form, built only when needed: posted (bound) or with another form of the item
    coming back with errors. Every other slot of the agenda is rendered from its variant's one rendering
    (`_ItemActions`), so an agenda of 70 items builds and renders a handful of forms, not 210 (issue 17)."""

    form_class: type[DecisionForm]
    prefix: str
    shelter: bool
    participants: Any
    options: list[Any]
    form: DecisionForm | None = None  # the bound form of a submitted decision

    def build(self, data: Any = None) -> DecisionForm:
        return self.form_class(data, prefix=self.prefix, participants=self.participants,
                               participant_options=self.options, shelter=self.shelter)


def _decision_forms(meeting: Meeting, data=None, which=None) -> dict[int, DecisionSlot]:
    """A decision slot per undecided item; the one for item `which` gets its form bound to the submitted data."""
    participants = participants_of(meeting.series)
    options = list(participants)  # one query for every item's form
    shelter_table = meeting.series.kind in SHELTER_KINDS
    # Each item's form has its own prefix, so field ids stay unique on the agenda page. The shelter box only where
    # the table decides on shelter, for an acute signal or a case (services._check_shelter).
    slots = {item.pk: DecisionSlot(
                form_class=CaseDecisionForm if item.case_id else DecisionForm, prefix=f"punt{item.position}",
                shelter=shelter_table and (item.case_id is not None or bool(item.signal and item.signal.is_acute)),
                participants=participants, options=options)
             for item in meeting.items.filter(decision="", moved_to__isnull=True).select_related("signal")
             .only("pk", "position", "meeting", "case", "signal__is_acute")}  # meeting: no query per item
    if which in slots:
        slots[which].form = slots[which].build(data)
    return slots


# Stand-ins for one item in the shared rendering of the chair's forms, replaced per item. The UUID is a valid one
# (the URL patterns ask for it) that no item has; the others cannot come out of the forms' escaping changed.
_POSITION = "8642097531"
_ITEM_UUID = "00000000-0000-4000-8000-000000000000"
_REFERENCE = "MR-STANDIN-REF"


class _ItemActions:
    """The chair's forms for an undecided item (decision, invite, move), rendered once per variant of the decision
    form and filled in per item: the forms differ only in their prefix, the item's URLs and its reference."""

    def __init__(self, request, meeting: Meeting, invitable, invitable_options: list[Any]):
        self.request, self.meeting = request, meeting
        self.invitable, self.invitable_options = invitable, invitable_options
        self._rendered: dict[tuple[type, bool], str] = {}

    def context(self, item: Any, form: DecisionForm, invite: InviteForm | None = None,
                move: MoveItemForm | None = None) -> dict[str, Any]:
        position = item.position
        return {"meeting": self.meeting, "item": item, "form": form,
                "invite": invite or InviteForm(prefix=f"uitnodigen{position}", organisations=self.invitable,
                                               organisation_options=self.invitable_options),
                "move": move or MoveItemForm(prefix=f"verplaatsen{position}")}

    def html(self, item: AgendaItem, slot: DecisionSlot) -> str:
        key = (slot.form_class, slot.shelter)
        if key not in self._rendered:
            stand_in = SimpleNamespace(position=_POSITION, uuid=_ITEM_UUID, subject_reference=_REFERENCE)
            form = replace(slot, prefix=f"punt{_POSITION}").build()
            # A plain Context: the page's context processors (menu, notification count) would only cost queries
            # here; the one thing the forms need of the request is its CSRF token.
            template = get_template("meetings/_item_actions.html").template  # type: ignore[attr-defined]
            self._rendered[key] = template.render(Context({**self.context(stand_in, form),
                                                           "csrf_token": get_token(self.request)}))
        return mark_safe(  # noqa: S308 — our own rendering; the reference is escaped here
            self._rendered[key].replace(_POSITION, str(item.position)).replace(_ITEM_UUID, str(item.uuid))
            .replace(_REFERENCE, escape(item.subject_reference)))


def _render_meeting(request, meeting: Meeting, *, forms=None, close_form=None, item_forms=None,
                    attendance_form=None, status=200):
    chair = is_chair(request.user, meeting.series) and meeting.is_planned
    entries = agenda_for(request.user, meeting)
    if chair and forms is None:
        forms = _decision_forms(meeting)
    item_forms = item_forms or {}
    invitable = invitable_organisations(meeting.series)
    actions: _ItemActions | None = None  # the invitable organisations are read once, for the chair's first open item
    guests = guests_of(meeting)
    rows: list[dict[str, Any]] = []
    for entry in entries:
        item = entry.item
        row: dict[str, Any] = {"entry": entry, "item": item, "guests": guests.get(item.pk, [])}
        slot = (forms or {}).get(item.pk) if chair else None
        if slot is not None:
            if actions is None:
                actions = _ItemActions(request, meeting, invitable, list(invitable))
            invite, move = item_forms.get(("invite", item.pk)), item_forms.get(("move", item.pk))
            if slot.form is None and invite is None and move is None:
                row["actions"] = actions.html(item, slot)
            else:  # a form of this item came back with errors: its forms are rendered as they are
                row.update(actions.context(item, slot.form or slot.build(), invite, move))
                row["open"] = True
        rows.append(row)
    # Details are folded; the chair's item at hand (the first without a decision) and an item whose form came back
    # with errors are open.
    at_hand = next((row for row in rows if chair and not row["item"].is_handled), None)
    if at_hand is not None:
        at_hand["open"] = True
    standing = is_standing(request.user, meeting.series)
    context = {
        "meeting": meeting, "series": meeting.series, "chair": chair, "standing": standing,
        "rows": rows,
        "participants": participants_of(meeting.series),
        "present": list(meeting.present_organisations.order_by("name")),
        "viewer_categories": viewer_categories(request.user, meeting.series),
        "undecided": sum(1 for e in entries if not e.item.is_handled),
        "close_form": close_form or CloseMeetingForm(),
        "attendance_form": (attendance_form or AttendanceForm(
            organisations=attendance_organisations(meeting),
            initial={"organisations": list(meeting.present_organisations.values_list("pk", flat=True))}))
        if is_chair(request.user, meeting.series) and meeting.status != MeetingStatus.CANCELLED else None,
        "not_yet": meeting.date > timezone.localdate(),
    }
    return render(request, "meetings/meeting.html", context, status=status)


@login_required
def meeting_detail(request, meeting_uuid):
    meeting = get_meeting_for(request.user, meeting_uuid)
    if is_chair(request.user, meeting.series) and meeting.is_planned:
        # The agenda compiles itself: whatever waits for this table since the last visit is added now.
        services.compile_agenda(meeting, actor=request.user)
    return _render_meeting(request, meeting)


@login_required
@require_POST
def compile_agenda(request, meeting_uuid):
    meeting = _standing_meeting(request, meeting_uuid)
    try:
        added = services.compile_agenda(meeting, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De agenda is bijgewerkt: %(n)s nieuwe punten.") % {"n": len(added)})
    return redirect("meetings:meeting", meeting_uuid=meeting.uuid)


@login_required
@require_POST
def decide(request, meeting_uuid, item_uuid):
    meeting = _standing_meeting(request, meeting_uuid)
    item = meeting.items.select_related("signal", "case", "meeting__series").filter(uuid=item_uuid).first()
    if item is None:
        raise Http404
    if not is_chair(request.user, meeting.series):
        messages.error(request, _("Alleen de voorzitter van dit overleg kan besluiten vastleggen."))
        return redirect("meetings:meeting", meeting_uuid=meeting.uuid)
    forms = _decision_forms(meeting, data=request.POST, which=item.pk)
    form = forms[item.pk].form if item.pk in forms else None
    if form is None:
        messages.error(request, _("Over dit agendapunt is al besloten."))
        return redirect("meetings:meeting", meeting_uuid=meeting.uuid)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_item(item, actor=request.user, decision=data["decision"],
                                 owner_organisation=data["owner_organisation"], action=data["action"],
                                 deadline=data["deadline"], refer_to=data.get("refer_to", ""),
                                 shelter=bool(data.get("shelter")))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Het besluit over %(ref)s is vastgelegd.") % {"ref": item.subject_reference})
            return redirect(reverse("meetings:meeting", args=[meeting.uuid]) + f"#punt-{item.position}")
    # 200, not 400: the agenda with the field errors and the chair's input is what htmx must swap in.
    return _render_meeting(request, meeting, forms=forms)


@login_required
@require_POST
def close(request, meeting_uuid):
    meeting = _standing_meeting(request, meeting_uuid)
    if not is_chair(request.user, meeting.series):
        messages.error(request, _("Alleen de voorzitter van dit overleg kan het afsluiten."))
        return redirect("meetings:meeting", meeting_uuid=meeting.uuid)
    if not meeting.is_planned:
        # Held or cancelled meanwhile (a second click, another chair): the page has no closing form to show a
        # refusal in, so the message goes along with the redirect.
        messages.error(request, _("Dit overleg is al afgesloten of vervallen."))
        return redirect("meetings:meeting", meeting_uuid=meeting.uuid)
    form = CloseMeetingForm(request.POST)
    if form.is_valid():
        try:
            services.close_meeting(meeting, actor=request.user, notes=form.cleaned_data["notes"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Het overleg is afgesloten; de notulen zijn definitief."))
            return redirect("meetings:minutes", meeting_uuid=meeting.uuid)
    return _render_meeting(request, meeting, close_form=form)


@login_required
@require_POST
def cancel(request, meeting_uuid):
    meeting = _standing_meeting(request, meeting_uuid)
    try:
        services.cancel_meeting(meeting, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("meetings:meeting", meeting_uuid=meeting.uuid)
    messages.success(request, _("Het overleg is vervallen; openstaande punten komen op het volgende overleg."))
    return redirect("meetings:list")


@login_required
def minutes(request, meeting_uuid):
    """The minutes, from the decisions. ?print=1 gives a bare page to print or save as PDF (no JavaScript needed)."""
    meeting = get_meeting_for(request.user, meeting_uuid)
    context = {"meeting": meeting, "series": meeting.series, "entries": agenda_for(request.user, meeting),
               "participants": participants_of(meeting.series), "is_final": meeting.status == MeetingStatus.HELD,
               "present": list(meeting.present_organisations.order_by("name"))}
    template = "meetings/minutes_print.html" if request.GET.get("print") else "meetings/minutes.html"
    return render(request, template, context)


def _case_for_request(user, case_uuid) -> Case:
    # Only who sees the case whole may bring it to a table; everyone else gets 404 (never 403).
    case = Case.objects.seen_whole_by(user).select_related("municipality").filter(uuid=case_uuid).first()
    if case is None:
        raise Http404
    return case


@login_required
def request_case(request, case_uuid):
    """Bring a case to the next meeting of a table ("Agenderen voor overleg"). The form lives in the case page's
    panel; this page shows it again with its errors and the input kept. It shows only the case's reference and
    working title (no personal data), so it logs no read."""
    case = _case_for_request(request.user, case_uuid)
    choices = series_for_case(request.user, case)
    form = CaseAgendaRequestForm(request.POST or None, prefix="agenderen", series=choices)
    if request.method == "POST" and form.is_valid():
        try:
            agenda_request = services.bring_case_to_meeting(case, actor=request.user,
                                                            series=form.cleaned_data["series"],
                                                            reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Casus %(ref)s is aangemeld voor het volgende overleg: %(series)s.")
                             % {"ref": case.reference, "series": agenda_request.series.name})
            return redirect(reverse("cases:detail", args=[case.uuid]) + "#h-case-meetings")
    return render(request, "meetings/case_request.html", {"case": case, "form": form, "has_choices": choices.exists()})


def _chair_item(request, meeting_uuid, item_uuid) -> tuple[Meeting, AgendaItem | None]:
    """The meeting (404 unless the user's organisation sits at it) and the item, for a chair's action on one item;
    None when the user does not chair (the caller says so)."""
    meeting = _standing_meeting(request, meeting_uuid)
    item = meeting.items.select_related("signal", "case", "meeting__series").filter(uuid=item_uuid).first()
    if item is None:
        raise Http404
    if not is_chair(request.user, meeting.series):
        messages.error(request, _("Alleen de voorzitter van dit overleg kan dit doen."))
        return meeting, None
    return meeting, item


@login_required
@require_POST
def invite(request, meeting_uuid, item_uuid):
    """The chair invites an organisation to one item (it then sees that item only)."""
    meeting, item = _chair_item(request, meeting_uuid, item_uuid)
    if item is None:
        return redirect("meetings:meeting", meeting_uuid=meeting.uuid)
    form = InviteForm(request.POST, prefix=f"uitnodigen{item.position}",
                      organisations=invitable_organisations(meeting.series))
    if form.is_valid():
        try:
            services.invite_to_item(item, actor=request.user, organisation=form.cleaned_data["organisation"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(org)s is uitgenodigd voor %(ref)s en ziet alleen dit punt.")
                             % {"org": form.cleaned_data["organisation"].name, "ref": item.subject_reference})
            return redirect(reverse("meetings:meeting", args=[meeting.uuid]) + f"#punt-{item.position}")
    return _render_meeting(request, meeting, item_forms={("invite", item.pk): form})


@login_required
@require_POST
def move(request, meeting_uuid, item_uuid):
    """The chair moves an undecided item to the next meeting, with a reason."""
    meeting, item = _chair_item(request, meeting_uuid, item_uuid)
    if item is None:
        return redirect("meetings:meeting", meeting_uuid=meeting.uuid)
    form = MoveItemForm(request.POST, prefix=f"verplaatsen{item.position}")
    if form.is_valid():
        try:
            moved = services.move_item(item, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(ref)s staat nu op het overleg van %(date)s.")
                             % {"ref": item.subject_reference, "date": moved.meeting.date.strftime("%d-%m-%Y")})
            return redirect(reverse("meetings:meeting", args=[meeting.uuid]) + f"#punt-{item.position}")
    return _render_meeting(request, meeting, item_forms={("move", item.pk): form})


@login_required
@require_POST
def attendance(request, meeting_uuid):
    """The chair records which organisations were present."""
    meeting = _standing_meeting(request, meeting_uuid)
    if not is_chair(request.user, meeting.series):
        messages.error(request, _("Alleen de voorzitter van dit overleg kan de aanwezigheid vastleggen."))
        return redirect("meetings:meeting", meeting_uuid=meeting.uuid)
    form = AttendanceForm(request.POST, organisations=attendance_organisations(meeting))
    if form.is_valid():
        try:
            services.record_attendance(meeting, actor=request.user, organisations=form.cleaned_data["organisations"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("De aanwezigheid is vastgelegd."))
            return redirect(reverse("meetings:meeting", args=[meeting.uuid]) + "#h-attendance")
    return _render_meeting(request, meeting, attendance_form=form)


@login_required
def minutes_pdf(request, meeting_uuid):
    """The organisation's copy of the held meeting's minutes as a PDF (WeasyPrint): exactly what agenda_for gives
    this user, so each reading is access-logged as on the page. 404 before the meeting is held."""
    meeting = get_meeting_for(request.user, meeting_uuid)
    if meeting.status != MeetingStatus.HELD:
        raise Http404
    context = {"meeting": meeting, "series": meeting.series, "entries": agenda_for(request.user, meeting),
               "participants": participants_of(meeting.series), "is_final": True,
               "present": list(meeting.present_organisations.order_by("name"))}
    pdf = render_pdf(render_to_string("meetings/minutes_pdf.html", context, request=request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notulen-{meeting.date:%Y-%m-%d}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
