"""Access-checked reads of meetings and their agendas. What a participant sees of an item's signal is decided per
participant organisation (`AgendaSharing`): the categories the table shares, each passing the sharing rule for the
organisation's partner type on the table's legal ground (partners.check_share, as referrals do); the bringing
municipality's AF sees its own signal whole. Every read of personal data is access-logged with the fields shown. An
item's case is shown as its header only (reference, working title, status, complexity, counts of plan actions)."""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import in_role, is_af_of
from meldroute.audit.services import record_accesses
from meldroute.audit.targets import target_of
from meldroute.cases.constants import OPEN_STATUSES as CASE_OPEN_STATUSES
from meldroute.cases.constants import ActionStatus
from meldroute.cases.models import Case, CaseAction
from meldroute.core.exceptions import DomainError
from meldroute.intake.constants import ACTIVE_STATUSES
from meldroute.organisations.models import Organisation
from meldroute.partners.constants import PERSONAL_CATEGORIES, DataCategory
from meldroute.partners.selectors import partner_type_of
from meldroute.partners.services import check_share
from meldroute.routing.constants import Decision, StepAction
from meldroute.routing.models import SignalRouteStep
from meldroute.triage.constants import Assessment, ExploitationForm
from meldroute.triage.models import Classification

from .constants import (
    ACCESS_PURPOSE,
    CHAIR_ROLES,
    LEGAL_GROUND_OF_KIND,
    MINIMAL_CATEGORIES,
    WORKING_ROLES,
    MeetingStatus,
)
from .models import AgendaItem, CaseAgendaRequest, ItemGuest, Meeting, MeetingSeries, MinutesCopy

# The signal fields each personal category opens up; logged by name (never by value) on every read.
CATEGORY_FIELDS: dict[str, tuple[str, ...]] = {
    DataCategory.DESCRIPTION: ("description",),
    DataCategory.LOCATION: ("address", "postcode", "business_name", "kvk_number", "location_description"),
    DataCategory.PERSONS: ("persons_description",),
    DataCategory.ENRICHMENT: ("enrichment_notes",),
}


def takes_part(user) -> bool:
    """Whether the user's roles let them sit at a table for their organisation at all."""
    return user is not None and user.is_active and in_role(user, *WORKING_ROLES, organisation=True)


def series_visible_to(user):
    """Series the user's organisation takes part in (or chairs); nothing for other roles."""
    if not takes_part(user):
        return MeetingSeries.objects.none()
    return MeetingSeries.objects.with_participant(user.organisation_id)


def meetings_visible_to(user):
    """The one scoping rule for meetings: those of series the user's organisation takes part in (standing), and
    those where it is invited to an item (it then sees those items only: `_items`)."""
    if not takes_part(user):
        return Meeting.objects.none()
    invited = ItemGuest.objects.filter(organisation_id=user.organisation_id).values("item__meeting_id")
    return Meeting.objects.filter(Q(series__in=series_visible_to(user).values("pk")) | Q(pk__in=invited))


def is_standing(user, series: MeetingSeries) -> bool:
    """Whether the user's organisation sits at every item of the series' meetings (a participant or the chair), as
    against a guest invited to some items only."""
    return takes_part(user) and series_visible_to(user).filter(pk=series.pk).exists()


def invited_meetings_for(user):
    """Meetings of tables the user's organisation does not sit at, where it is invited to one or more items."""
    if not takes_part(user):
        return Meeting.objects.none()
    return (Meeting.objects.filter(items__guests__organisation_id=user.organisation_id)
            .exclude(series__in=series_visible_to(user).values("pk"))
            .select_related("series").distinct().order_by("-date"))


def guests_of(meeting: Meeting) -> dict[int, list[Organisation]]:
    """Per agenda item (pk), the organisations invited to it."""
    result: dict[int, list[Organisation]] = {}
    for guest in ItemGuest.objects.filter(item__meeting=meeting).select_related("organisation").order_by(
            "organisation__name"):
        result.setdefault(guest.item_id, []).append(guest.organisation)
    return result


def invitable_organisations(series: MeetingSeries):
    """Whom the chair may invite to an item: the region's organisations that do not sit at the table."""
    return (Organisation.objects.filter(region_id=series.region_id).exclude(pk__in=participants_of(series).values("pk"))
            .order_by("name"))


def attendance_organisations(meeting: Meeting):
    """Who can be present: the organisations at the table and the guests of its items."""
    guests = ItemGuest.objects.filter(item__meeting=meeting).values("organisation_id")
    return (Organisation.objects.filter(Q(pk__in=participants_of(meeting.series).values("pk")) | Q(pk__in=guests))
            .distinct().order_by("name"))


def minutes_copies_for(user):
    """The minutes the user's organisation received (held meetings it took part in or was invited to)."""
    if not takes_part(user):
        return MinutesCopy.objects.none()
    return (MinutesCopy.objects.filter(organisation_id=user.organisation_id,
                                       meeting__in=meetings_visible_to(user).values("pk"))
            .select_related("meeting__series").order_by("-meeting__date"))


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


def signal_municipality_ids(series: MeetingSeries) -> list[int]:
    """Whose waiting signals this series takes onto its agenda. A route step names a kind of meeting, not a table,
    so the most specific table brings the signal in: a municipality's own active table of that kind takes its
    signals, and a regional table of the same kind does not also get them (they would go to a second, wider table)."""
    ids = series_municipality_ids(series)
    if series.municipality_id is not None:
        return ids
    own = set(MeetingSeries.objects.filter(kind=series.kind, is_active=True, municipality_id__in=ids)
              .values_list("municipality_id", flat=True))
    return [pk for pk in ids if pk not in own]


def waiting_steps_for(series: MeetingSeries):
    """Active route steps that wait for this kind of meeting, of signals this series brings in (no personal data)."""
    return (SignalRouteStep.objects.active()
            .filter(action=StepAction.MEETING, target=series.kind,
                    signal_route__signal__municipality_id__in=signal_municipality_ids(series),
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
    """What one participant may see of one signal: the minimal set (reference, date, municipality, status, forms of
    exploitation, the question to the table), plus each category in `categories`. A category not given is None and
    never read from the signal."""

    reference: str
    municipality: str
    received_at: datetime
    status: str
    status_label: str
    is_acute: bool
    categories: frozenset[str]
    forms: list[str] = field(default_factory=list)
    question: str = ""
    is_whole: bool = False  # the viewer is an AF of the bringing municipality: the signal whole
    classification: dict | None = None
    description: str | None = None
    location: dict | None = None
    persons: str | None = None
    enrichment: list[dict] | None = None

    @property
    def is_minimal(self) -> bool:
        return self.categories <= MINIMAL_CATEGORIES


@dataclass
class AgendaEntry:
    """One agenda item as the user may see it: `signal` for a signal item, `case` for a case item."""

    item: AgendaItem
    signal: SharedSignal | None = None
    case: SharedCase | None = None
    fields_read: tuple[str, ...] = field(default=())


class AgendaSharing:
    """The one rule for what a participant's organisation sees of a signal on a table's agenda.

    - An AF of the signal's own municipality (who brought it) sees it whole.
    - Anyone else: the categories the table agreed to share (`MeetingSeries.categories`), each only if the sharing
      rule lets it go to the viewer's organisation's partner type on the table's legal ground (`check_share`, the
      same check referrals pass; regional rules override national ones). A signal its AF classified as "geen
      mensenhandel", or about which the table decided so, keeps the minimal set only (also in the minutes).
    - Everyone: the minimal set (MINIMAL_CATEGORIES plus forms of exploitation and the question to the table).

    Decided once per (viewer, region) and reused for every item of the agenda, so an agenda costs no query per item.
    """

    def __init__(self, user, series: MeetingSeries):
        self.user = user
        self.series = series
        self.partner_type = partner_type_of(getattr(user, "organisation", None))
        self.ground = LEGAL_GROUND_OF_KIND.get(series.kind, "")
        self._by_region: dict[int | None, frozenset[str]] = {}

    def allowed_for_region(self, region_id: int | None) -> frozenset[str]:
        """The table's categories the sharing rule lets go to the viewer's partner type (the minimal set at least)."""
        if region_id not in self._by_region:
            allowed: set[str] = set(MINIMAL_CATEGORIES)
            for category in sorted(self.series.categories - MINIMAL_CATEGORIES):
                try:
                    check_share(region=region_id, partner_type=self.partner_type, categories=[category],
                                ground=self.ground)
                except DomainError:
                    continue  # not allowed: simply absent
                allowed.add(category)
            self._by_region[region_id] = frozenset(allowed)
        return self._by_region[region_id]

    def categories_for(self, signal, item: AgendaItem | None = None) -> frozenset[str]:
        if is_af_of(self.user, signal.municipality_id):
            return frozenset(DataCategory.values)
        if _assessment(signal) == Assessment.NONE or (item is not None and item.decision == Decision.NO_TRAFFICKING):
            return MINIMAL_CATEGORIES
        return self.allowed_for_region(signal.municipality.region_id)

    @property
    def default_categories(self) -> frozenset[str]:
        """What the viewer's organisation gets of another municipality's signal at this table (the page says so)."""
        return self.allowed_for_region(self.series.region_id)


def _assessment(signal) -> str:
    try:
        return signal.classification.assessment
    except Classification.DoesNotExist:
        return ""


def _classification_of(signal) -> Classification | None:
    try:
        return signal.classification
    except Classification.DoesNotExist:
        return None


def _classification(signal) -> dict | None:
    classification = _classification_of(signal)
    if classification is None:
        return None
    return {
        "assessment": classification.assessment,
        "assessment_label": str(classification.get_assessment_display()),
        "forms": _forms(classification),
        "sector": str(classification.get_sector_display()) if classification.sector else "",
        "indicators": [i.text for i in classification.indicators.all()],
    }


def _forms(classification: Classification | None) -> list[str]:
    if classification is None:
        return []
    return [str(ExploitationForm(f).label) for f in classification.forms if f in ExploitationForm.values]


def fields_of(categories: frozenset[str]) -> tuple[str, ...]:
    """The signal fields the personal categories open up, by name, for the access log."""
    return tuple(name for c in sorted(categories) if c in PERSONAL_CATEGORIES for name in CATEGORY_FIELDS[c])


def _shared(item: AgendaItem, categories: frozenset[str], *, is_whole: bool = False) -> SharedSignal:
    signal = item.signal
    assert signal is not None
    shared = SharedSignal(
        reference=signal.reference, municipality=signal.municipality.name, received_at=signal.received_at,
        status=signal.status, status_label=str(signal.get_status_display()), is_acute=signal.is_acute,
        categories=categories, forms=_forms(_classification_of(signal)),
        question=item.route_step.title if item.route_step is not None else "", is_whole=is_whole)
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


def _brought_here(item: AgendaItem) -> bool:
    """A case is on a table's agenda only because it was brought to that table (a request of the series placed on
    this item); an item that came about otherwise shows nothing of the case."""
    try:
        request = item.request
    except CaseAgendaRequest.DoesNotExist:
        return False
    return request.series_id == item.meeting.series_id


def _entries(user, meeting: Meeting, items: list[AgendaItem], *, purpose: str) -> list[AgendaEntry]:
    sharing = AgendaSharing(user, meeting.series)
    shared_cases = _shared_cases(user, [item for item in items if item.case_id is not None and _brought_here(item)])
    entries = []
    reads: list[tuple[str, UUID, tuple[str, ...]]] = []
    for item in items:
        if item.case_id is not None:
            if item.case_id in shared_cases:
                entries.append(AgendaEntry(item=item, case=shared_cases[item.case_id]))
            continue
        signal = item.signal
        assert signal is not None  # an item is a signal or a case (agenda_item_is_signal_or_case)
        categories = sharing.categories_for(signal, item)
        fields_read = fields_of(categories)
        if fields_read:
            reads.append((target_of(signal), signal.uuid, fields_read))
        entries.append(AgendaEntry(item=item, fields_read=fields_read,
                                   signal=_shared(item, categories, is_whole=is_af_of(user, signal.municipality_id))))
    # Each signal's read is logged as its own entry, all in one append (no queries per item).
    record_accesses(actor=user, reads=reads, purpose=purpose)
    return entries


def _items(user, meeting: Meeting):
    items = meeting.items.all()
    if not is_standing(user, meeting.series):
        # A guest sees the items it is invited to, never another item of the meeting.
        items = items.filter(guests__organisation_id=user.organisation_id)
    items = (items.select_related("meeting", "signal", "signal__municipality", "signal__classification",
                                          "case", "request", "owner_organisation", "decided_by", "route_step",
                                  "moved_to__meeting", "request__requested_by__organisation")
             .prefetch_related("signal__classification__indicators"))
    if DataCategory.ENRICHMENT in meeting.series.categories or user.has_role(Role.AF):
        # Enrichment notes are loaded only when this viewer may be shown some (an AF sees their own signals whole).
        items = items.prefetch_related(Prefetch("signal__enrichment_notes"))
    return items


def agenda_for(user, meeting: Meeting, *, purpose: str = ACCESS_PURPOSE) -> list[AgendaEntry]:
    """The meeting's items as this participant may see them (`AgendaSharing`): the one source of the agenda page,
    the minutes, the print view and the API, so no template or serializer touches a signal itself. Call only with a
    meeting from `get_meeting_for`.

    Each signal item shown with personal data writes one access-log entry on the signal naming exactly the fields
    shown, so the AF's "who looked at this" shows every participant who read it at the table and what they read.
    Case items show no personal data (see SharedCase) and write none.
    """
    if not meetings_visible_to(user).filter(pk=meeting.pk).exists():
        raise Http404
    return _entries(user, meeting, list(_items(user, meeting)), purpose=purpose)


def agenda_item_view_for(user, item: AgendaItem, *, purpose: str = ACCESS_PURPOSE) -> AgendaEntry:
    """One agenda item as this participant may see it (404 unless their organisation sits at its table)."""
    meeting = item.meeting
    if not meetings_visible_to(user).filter(pk=meeting.pk).exists():
        raise Http404
    entries = _entries(user, meeting, list(_items(user, meeting).filter(pk=item.pk)), purpose=purpose)
    if not entries:
        raise Http404
    return entries[0]


def viewer_categories(user, series: MeetingSeries) -> list[str]:
    """The labels of what the user's organisation sees of another municipality's signal at this table."""
    allowed = AgendaSharing(user, series).default_categories
    return [str(label) for value, label in DataCategory.choices if value in allowed]


def case_on_planned_agenda(series: MeetingSeries, case: Case, *, undecided_only: bool = False) -> bool:
    """Whether a planned meeting of the series already has the case on its agenda."""
    items = AgendaItem.objects.filter(meeting__series=series, meeting__status=MeetingStatus.PLANNED, case=case)
    if undecided_only:
        items = items.filter(decision="")
    return items.exists()
