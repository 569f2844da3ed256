"""Access-checked reads of meetings and their agendas. An item's signal is shown only through the table's sharing
rule (the series' shared categories), and every read of its personal data is access-logged. An item's case is shown
as its header only (reference, working title, status, complexity, counts of plan actions): no personal data."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from meldroute.accounts.constants import Role
from meldroute.audit.services import record_access
from meldroute.cases.constants import OPEN_STATUSES as CASE_OPEN_STATUSES
from meldroute.cases.constants import ActionStatus
from meldroute.cases.models import Case, CaseAction
from meldroute.intake.constants import ACTIVE_STATUSES
from meldroute.organisations.models import Organisation
from meldroute.partners.constants import PERSONAL_CATEGORIES, DataCategory
from meldroute.routing.constants import StepAction
from meldroute.routing.models import SignalRouteStep
from meldroute.triage.constants import ExploitationForm
from meldroute.triage.models import Classification

from .constants import ACCESS_PURPOSE, CHAIR_ROLES, WORKING_ROLES, MeetingStatus
from .models import AgendaItem, CaseAgendaRequest, Meeting, MeetingSeries

SIGNAL_TARGET = "intake.signal"
# The signal fields each personal category opens up; logged by name (never by value) on every read.
CATEGORY_FIELDS: dict[str, tuple[str, ...]] = {
    DataCategory.DESCRIPTION: ("description",),
    DataCategory.LOCATION: ("address", "postcode", "business_name", "kvk_number", "location_description"),
    DataCategory.PERSONS: ("persons_description",),
    DataCategory.ENRICHMENT: ("enrichment_notes",),
}


def takes_part(user) -> bool:
    """Whether the user's roles let them sit at a table for their organisation at all."""
    return (user is not None and user.is_authenticated and user.is_active and user.organisation_id is not None
            and bool(user.roles & WORKING_ROLES))


def series_visible_to(user):
    """Series the user's organisation takes part in (or chairs); nothing for other roles."""
    if not takes_part(user):
        return MeetingSeries.objects.none()
    return MeetingSeries.objects.with_participant(user.organisation_id)


def meetings_visible_to(user):
    """The one scoping rule for meetings: those of series the user's organisation takes part in."""
    if not takes_part(user):
        return Meeting.objects.none()
    return Meeting.objects.filter(series__in=series_visible_to(user).values("pk"))


def get_meeting_for(user, meeting_uuid) -> Meeting:
    """One meeting, if the user's organisation takes part (else 404). A meeting itself holds no personal data."""
    meeting = (meetings_visible_to(user).select_related("series", "series__chair_organisation",
                                                        "series__municipality", "series__region")
               .filter(uuid=meeting_uuid).first())
    if meeting is None:
        raise Http404
    return meeting


def is_chair(user, series: MeetingSeries) -> bool:
    """The chair: a user of the chairing organisation with a chairing role, or an AF of the series' municipality."""
    if not takes_part(user):
        return False
    if user.organisation_id == series.chair_organisation_id and user.roles & CHAIR_ROLES:
        return True
    return (series.municipality_id is not None and user.organisation_id == series.municipality_id
            and user.has_role(Role.AF))


def participants_of(series: MeetingSeries):
    """The organisations at the table: the participants and the chair."""
    return (Organisation.objects.filter(pk__in=series.participants.values("pk"))
            | Organisation.objects.filter(pk=series.chair_organisation_id)).distinct().order_by("name")


def series_municipality_ids(series: MeetingSeries) -> list[int]:
    """Whose signals a series discusses: its own municipality, or the participating municipalities of its region."""
    if series.municipality_id is not None:
        return [series.municipality_id]
    return list(series.participants.municipalities().filter(region_id=series.region_id).values_list("pk", flat=True))


def waiting_steps_for(series: MeetingSeries):
    """Active route steps that wait for this kind of meeting, of signals this series discusses (no personal data)."""
    return (SignalRouteStep.objects.active()
            .filter(action=StepAction.MEETING, target=series.kind,
                    signal_route__signal__municipality_id__in=series_municipality_ids(series),
                    signal_route__signal__status__in=sorted(ACTIVE_STATUSES))
            .select_related("signal_route")
            .order_by("signal_route__signal__is_acute", "activated_at", "id"))


def pending_case_requests_for(series: MeetingSeries):
    """Open cases waiting for this series' next meeting, of municipalities the series discusses, oldest first."""
    return (CaseAgendaRequest.objects.filter(series=series, placed_on__isnull=True,
                                             case__status__in=sorted(CASE_OPEN_STATUSES),
                                             case__municipality_id__in=series_municipality_ids(series))
            .order_by("created_at", "id"))


def series_for_case(user, case: Case):
    """The active series the user may bring this case to: their organisation sits at the table and the table
    discusses the case's municipality. Nothing for a user who does not see the case whole."""
    if not Case.objects.seen_whole_by(user).filter(pk=case.pk).exists():
        return MeetingSeries.objects.none()
    candidates = series_visible_to(user).filter(is_active=True, region_id=case.municipality.region_id)
    allowed = [series.pk for series in candidates if case.municipality_id in series_municipality_ids(series)]
    return MeetingSeries.objects.filter(pk__in=allowed).order_by("name")


def case_agenda_for(user, case: Case) -> dict:
    """The case page's "Overleggen" panel: where the case is or was on an agenda and what waits. For users who see
    the case whole only (it names decisions and actions of the plan); the meeting links only where they take part."""
    if not Case.objects.seen_whole_by(user).filter(pk=case.pk).exists():
        return {"items": [], "pending": []}
    visible = set(meetings_visible_to(user).filter(items__case=case).values_list("pk", flat=True))
    items = (AgendaItem.objects.filter(case=case).select_related("meeting__series", "owner_organisation", "case")
             .order_by("-meeting__date", "-id"))
    pending = (CaseAgendaRequest.objects.filter(case=case, placed_on__isnull=True)
               .select_related("series", "requested_by").order_by("created_at", "id"))
    return {"items": [(item, item.meeting_id in visible) for item in items], "pending": list(pending)}


@dataclass
class SharedCase:
    """What a meeting's participants see of a case: its header and the state of its plan van aanpak, nothing more.

    The working title is written without names (Case.title's rule), and neither the case's signals, its persons nor
    the text of its actions are shown, so reading a case item is not a read of personal data: no access-log entry.
    """

    uuid: str
    reference: str
    title: str
    status: str
    status_label: str
    is_complex: bool
    open_actions: int
    overdue_actions: int
    can_open: bool  # the user may see the case itself (case_scope): the agenda links to the case page


@dataclass
class SharedSignal:
    """What a meeting's participants may see of one signal: the summary, plus each category the table shares."""

    reference: str
    municipality: str
    received_at: datetime
    status: str
    status_label: str
    is_acute: bool
    categories: frozenset[str]
    classification: dict | None = None
    description: str | None = None
    location: dict | None = None
    persons: str | None = None
    enrichment: list[dict] | None = None


@dataclass
class AgendaEntry:
    """One agenda item as the user may see it: `signal` for a signal item, `case` for a case item."""

    item: AgendaItem
    signal: SharedSignal | None = None
    case: SharedCase | None = None
    fields_read: tuple[str, ...] = field(default=())


def _classification(signal) -> dict | None:
    try:
        classification: Classification = signal.classification
    except Classification.DoesNotExist:
        return None
    return {
        "assessment": classification.assessment,
        "assessment_label": str(classification.get_assessment_display()),
        "forms": [str(ExploitationForm(f).label) for f in classification.forms if f in ExploitationForm.values],
        "sector": str(classification.get_sector_display()) if classification.sector else "",
        "indicators": [i.text for i in classification.indicators.all()],
    }


def _shared(signal, categories: frozenset[str]) -> SharedSignal:
    shared = SharedSignal(
        reference=signal.reference, municipality=signal.municipality.name, received_at=signal.received_at,
        status=signal.status, status_label=str(signal.get_status_display()), is_acute=signal.is_acute,
        categories=categories)
    if DataCategory.CLASSIFICATION in categories:
        shared.classification = _classification(signal)
    if DataCategory.DESCRIPTION in categories:
        shared.description = signal.description
    if DataCategory.LOCATION in categories:
        shared.location = {name: getattr(signal, name) for name in CATEGORY_FIELDS[DataCategory.LOCATION]}
    if DataCategory.PERSONS in categories:
        shared.persons = signal.persons_description
    if DataCategory.ENRICHMENT in categories:
        shared.enrichment = [{"source": str(n.get_source_display()), "text": n.text, "created_at": n.created_at}
                             for n in signal.enrichment_notes.all()]
    return shared


def _shared_cases(user, items: list[AgendaItem]) -> dict[int, SharedCase]:
    cases = {item.case.pk: item.case for item in items if item.case is not None}
    if not cases:
        return {}
    today = timezone.localdate()
    counts = {row["case_id"]: row for row in (
        CaseAction.objects.filter(case_id__in=cases, status=ActionStatus.OPEN).values("case_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(deadline__lt=today))))}
    visible = set(Case.objects.visible_to(user).filter(pk__in=cases).values_list("pk", flat=True))
    return {pk: SharedCase(uuid=str(case.uuid), reference=case.reference, title=case.title, status=case.status,
                           status_label=str(case.get_status_display()), is_complex=case.is_complex,
                           open_actions=counts.get(pk, {}).get("open", 0),
                           overdue_actions=counts.get(pk, {}).get("overdue", 0), can_open=pk in visible)
            for pk, case in cases.items()}


def agenda_for(user, meeting: Meeting, *, purpose: str = ACCESS_PURPOSE) -> list[AgendaEntry]:
    """The meeting's items as this participant may see them. Call only with a meeting from `get_meeting_for`.

    Each signal item whose shown categories hold personal data writes one access-log entry on the signal, so the
    AF's "who looked at this" shows every participant who read it at the table. Case items show no personal data
    (see SharedCase) and write none.
    """
    if not meetings_visible_to(user).filter(pk=meeting.pk).exists():
        raise Http404
    categories = meeting.series.categories
    queryset = (meeting.items.select_related("signal", "signal__municipality", "signal__classification", "case",
                                             "owner_organisation", "decided_by", "route_step")
                .prefetch_related("signal__classification__indicators"))
    if DataCategory.ENRICHMENT in categories:
        queryset = queryset.prefetch_related(Prefetch("signal__enrichment_notes"))
    items = list(queryset)
    personal = [c for c in sorted(categories) if c in PERSONAL_CATEGORIES]
    fields_read = tuple(name for c in personal for name in CATEGORY_FIELDS[c])
    shared_cases = _shared_cases(user, items)
    entries = []
    for item in items:
        if item.case_id is not None:
            entries.append(AgendaEntry(item=item, case=shared_cases[item.case_id]))
            continue
        signal = item.signal
        assert signal is not None  # an item is a signal or a case (agenda_item_is_signal_or_case)
        if fields_read:
            record_access(actor=user, target_type=SIGNAL_TARGET, target_uuid=signal.uuid, fields=fields_read,
                          purpose=purpose)
        entries.append(AgendaEntry(item=item, signal=_shared(signal, categories), fields_read=fields_read))
    return entries


def case_on_planned_agenda(series: MeetingSeries, case: Case, *, undecided_only: bool = False) -> bool:
    """Whether a planned meeting of the series already has the case on its agenda."""
    items = AgendaItem.objects.filter(meeting__series=series, meeting__status=MeetingStatus.PLANNED, case=case)
    if undecided_only:
        items = items.filter(decision="")
    return items.exists()
