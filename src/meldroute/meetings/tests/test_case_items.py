"""Cases on meeting agendas (SPEC §2 D2): bringing a case to a table, the agenda picking it up once, what the table
sees of it (the header only), the chair's decision adding to the plan van aanpak, scoping, minutes and the API."""

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.cases import services as case_services
from meldroute.cases.constants import CaseResult, CaseRole, CaseStatus
from meldroute.cases.models import CaseAction
from meldroute.cases.tests.conftest import SECRET, concrete_signal
from meldroute.core.exceptions import DomainError
from meldroute.meetings import services
from meldroute.meetings.constants import Cadence, MeetingStatus, Weekday
from meldroute.meetings.models import AgendaItem, CaseAgendaRequest, MeetingSeries
from meldroute.meetings.tests.conftest import meeting_day
from meldroute.persons import services as person_services
from meldroute.routing.constants import Decision, MeetingKind

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

VICTIM_FIRST, VICTIM_LAST = "Zwaantje", "Verzinsel"  # fictional
REQUESTED = "meeting.case_requested"


@pytest.fixture
def series(world):
    """A's own signaling table (A chairs; police takes part), region 1's screening table (ZVH chairs; police and A
    take part, B does not), B's own table where A sits too, and region 2's table."""
    own = MeetingSeries.objects.create(region=world.region, municipality=world.a, kind=MeetingKind.SIGNALING,
                                       name="Signaleringsoverleg Aadorp", cadence=Cadence.MONTHLY,
                                       weekday=Weekday.THURSDAY, ordinal=1, chair_organisation=world.a)
    own.participants.set([world.a, world.police])
    regional = MeetingSeries.objects.create(region=world.region, kind=MeetingKind.SCREENING,
                                            name="Screeningsoverleg Regio Een", chair_organisation=world.zvh)
    regional.participants.set([world.zvh, world.police, world.a])
    of_b = MeetingSeries.objects.create(region=world.region, municipality=world.b, kind=MeetingKind.SIGNALING,
                                        name="Signaleringsoverleg Beekstad", chair_organisation=world.b)
    of_b.participants.set([world.b, world.a])
    other = MeetingSeries.objects.create(region=world.region2, kind=MeetingKind.SCREENING,
                                         name="Screeningsoverleg Regio Twee", chair_organisation=world.police2)
    other.participants.set([world.police2, world.c])
    return SimpleNamespace(own=own, regional=regional, of_b=of_b, other=other)


@pytest.fixture
def case(world):
    """A case of municipality A with a victim on it and one open action in its plan."""
    signal = concrete_signal(world)
    case = case_services.open_case(actor=world.af_a, signals=[signal], title="Nagelsalon Dorpsstraat")
    person_services.add_person(case, actor=world.af_a, data={"role": "victim", "first_name": VICTIM_FIRST,
                                                             "last_name": VICTIM_LAST, "citizenship": "RO"})
    case_services.add_action(case, actor=world.af_a, description="Bibob-toets aanvragen",
                             deadline=timezone.localdate() + timedelta(days=5), owner_organisation=world.a)
    return case


def placed(world, series, case, actor=None, chair=None):
    """Bring the case to the series and open its next meeting as the chair, which compiles the agenda."""
    services.bring_case_to_meeting(case, actor=actor or world.af_a, series=series, reason="Voortgang bespreken.")
    chair = chair or world.af_a
    meeting = services.next_meeting(series, actor=chair)
    services.compile_agenda(meeting, actor=chair)
    return meeting


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- Bringing a case --------------------------------------------------------------------------------------------

def test_the_af_brings_a_case_to_a_table_and_it_is_audited(world, series, case):
    request = services.bring_case_to_meeting(case, actor=world.af_a, series=series.own,
                                             reason="  Voortgang plan van aanpak.  ")
    assert request.is_pending and request.reason == "Voortgang plan van aanpak." and request.requested_by == world.af_a
    event = AuditEvent.objects.get(action=REQUESTED)
    assert event.target_uuid == case.uuid and event.target_type == "cases.case"
    assert event.details == {"series": str(series.own.uuid), "request": str(request.uuid)}
    assert "Voortgang" not in json.dumps(event.details)  # the reason is a field name in the audit, never a value


def test_a_partner_on_the_case_team_brings_it_to_a_table_their_organisation_sits_at(world, series, case):
    case_services.assign_member(case, actor=world.af_a, user=world.partner, role=CaseRole.MEMBER)
    services.bring_case_to_meeting(case, actor=world.partner, series=series.regional, reason="Opsporing afstemmen.")
    assert CaseAgendaRequest.objects.filter(series=series.regional, case=case, placed_on__isnull=True).exists()


def _close(world, case):
    CaseAction.objects.filter(case=case).update(status="cancelled")
    case_services.change_case_status(case, actor=world.af_a, to_status=CaseStatus.CLOSED,
                                     result=CaseResult.NO_TRAFFICKING)


@pytest.mark.parametrize(("who", "which", "reason", "prepare", "message", "field"), [
    ("af_b", "own", "x", None, "Alleen wie de hele casus mag inzien, kan de casus agenderen.", None),
    ("partner", "own", "x", None, "Alleen wie de hele casus mag inzien, kan de casus agenderen.", None),
    ("zorgcoordinator", "regional", "x", "care_member",
     "Alleen wie de hele casus mag inzien, kan de casus agenderen.", None),
    ("af_a", "other", "x", None, "Uw organisatie neemt niet deel aan dit overleg.", "series"),
    ("partner", "of_b", "x", "team_member", "Uw organisatie neemt niet deel aan dit overleg.", "series"),
    ("af_a", "of_b", "x", None, "Dit overleg bespreekt geen casussen van Gemeente Aadorp.", "series"),
    ("af_a", "own", "x", "inactive", "Deze overlegreeks is niet meer actief.", "series"),
    ("af_a", "own", "x", "closed", "Deze casus is afgesloten; alleen een lopende casus kan op de agenda.", None),
    ("af_a", "own", "   ", None, "Geef aan waarom de casus besproken moet worden (zonder namen).", "reason"),
    ("af_a", "own", "x" * 501, None, "Gebruik hoogstens 500 tekens.", "reason"),
])
def test_refusals_have_a_dutch_message_and_leave_no_trace(world, series, case, who, which, reason, prepare,
                                                          message, field):
    target = getattr(series, which)
    if prepare == "care_member":
        case_services.assign_member(case, actor=world.af_a, user=world.zorgcoordinator,
                                    role=CaseRole.ZORGCOORDINATOR)
    elif prepare == "team_member":
        case_services.assign_member(case, actor=world.af_a, user=world.partner, role=CaseRole.MEMBER)
    elif prepare == "inactive":
        MeetingSeries.objects.filter(pk=target.pk).update(is_active=False)
        target.refresh_from_db()
    elif prepare == "closed":
        _close(world, case)
    with pytest.raises(DomainError) as refused:
        services.bring_case_to_meeting(case, actor=getattr(world, who), series=target, reason=reason)
    assert refused.value.message == message and refused.value.field == field
    assert not CaseAgendaRequest.objects.exists()
    assert not AuditEvent.objects.filter(action=REQUESTED).exists()


def test_a_case_waiting_or_undecided_on_the_agenda_is_not_brought_twice(world, series, case):
    services.bring_case_to_meeting(case, actor=world.af_a, series=series.own, reason="Eerste keer.")
    with pytest.raises(DomainError, match="staat al op de agenda van dit overleg"):
        services.bring_case_to_meeting(case, actor=world.af_a2, series=series.own, reason="Nog eens.")
    meeting = services.next_meeting(series.own, actor=world.af_a)
    services.compile_agenda(meeting, actor=world.af_a)
    with pytest.raises(DomainError, match="staat al op de agenda van dit overleg"):
        services.bring_case_to_meeting(case, actor=world.af_a2, series=series.own, reason="Nog eens.")
    assert AuditEvent.objects.filter(action=REQUESTED).count() == 1
    # Another table may discuss it at the same time.
    services.bring_case_to_meeting(case, actor=world.af_a, series=series.regional, reason="Ook regionaal.")


# --- Compiling ---------------------------------------------------------------------------------------------------

def test_compiling_places_the_case_once_and_a_cancelled_meeting_hands_it_to_the_next(world, series, case):
    meeting = placed(world, series.own, case)
    item = meeting.items.get()
    assert item.case == case and item.signal is None and item.position == 1
    assert CaseAgendaRequest.objects.get().placed_on == item
    event = AuditEvent.objects.get(action="meeting.agenda_compiled", target_uuid=meeting.uuid)
    assert event.details == {"added": 1, "cases": 1}
    assert services.compile_agenda(meeting, actor=world.af_a) == []
    assert AgendaItem.objects.filter(case=case).count() == 1
    # A table that was not asked does not get the case.
    regional = services.next_meeting(series.regional, actor=world.procesregisseur)
    assert services.compile_agenda(regional, actor=world.procesregisseur) == []
    # The meeting lapses: the request is pending again and the next meeting picks the case up.
    services.cancel_meeting(meeting, actor=world.af_a)
    assert CaseAgendaRequest.objects.get().is_pending
    following = services.next_meeting(series.own, actor=world.af_a)
    assert following != meeting
    assert [i.case for i in services.compile_agenda(following, actor=world.af_a)] == [case]


def test_a_closed_case_stays_off_the_agenda(world, series, case):
    services.bring_case_to_meeting(case, actor=world.af_a, series=series.own, reason="Bespreken.")
    _close(world, case)
    meeting = services.next_meeting(series.own, actor=world.af_a)
    assert services.compile_agenda(meeting, actor=world.af_a) == []


# --- What the table sees ---------------------------------------------------------------------------------------

def test_participants_see_the_case_header_only_and_no_read_is_logged(client, world, series, case):
    meeting = placed(world, series.own, case)
    CaseAction.objects.filter(case=case).update(deadline=timezone.localdate() - timedelta(days=1))
    client.force_login(world.partner)
    response = client.get(reverse("meetings:meeting", args=[meeting.uuid]))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"casus {case.reference}" in page and "Nagelsalon Dorpsstraat" in page and "Geopend" in page
    assert "1 open actie" in page and "1 te laat" in page
    for secret in (VICTIM_FIRST, VICTIM_LAST, SECRET, "Bibob-toets aanvragen", "Voortgang bespreken."):
        assert secret not in page
    assert reverse("cases:detail", args=[case.uuid]) not in page  # the police is not in the case's scope
    assert not AccessLogEntry.objects.filter(actor=world.partner).exists()
    # The chair (A's AF) sees the case itself, so the agenda links to it.
    client.force_login(world.af_a)
    page = client.get(reverse("meetings:meeting", args=[meeting.uuid])).content.decode()
    assert reverse("cases:detail", args=[case.uuid]) in page and "Doorgaan met het plan van aanpak" in page
    assert "Doorverwijzen naar" not in page  # a case cannot be referred


def test_the_api_shows_the_case_header_and_counts_only(world, series, case):
    meeting = placed(world, series.own, case)
    response = api(world.partner).get(f"/api/v1/meetings/{meeting.uuid}/")
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["kind"] == "case" and item["signal"] is None
    assert item["case"] == {"id": str(case.uuid), "reference": case.reference, "title": "Nagelsalon Dorpsstraat",
                            "status": CaseStatus.OPENED, "is_complex": False, "open_actions": 1,
                            "overdue_actions": 0}
    raw = response.content.decode()
    assert VICTIM_FIRST not in raw and SECRET not in raw
    assert not AccessLogEntry.objects.filter(actor=world.partner).exists()


# --- Deciding ----------------------------------------------------------------------------------------------------

def test_the_decision_with_an_action_and_deadline_adds_it_to_the_plan(world, series, case):
    meeting = placed(world, series.own, case)
    item = meeting.items.get()
    deadline = timezone.localdate() + timedelta(days=14)
    services.decide_item(item, actor=world.af_a, decision=Decision.CONTINUE, owner_organisation=world.police,
                         action="Politie legt contact met de eigenaar.", deadline=deadline)
    item.refresh_from_db()
    assert item.decision == Decision.CONTINUE and item.decided_by == world.af_a
    assert item.decision_label == "Doorgaan met het plan van aanpak"
    action = CaseAction.objects.get(case=case, description="Politie legt contact met de eigenaar.")
    assert action.owner_organisation == world.police and action.deadline == deadline
    assert action.owner_label == world.police.name and action.created_by == world.af_a
    event = AuditEvent.objects.get(action="meeting.item_decided")
    assert event.target_uuid == case.uuid and event.details["plan_action"] == str(action.uuid)
    assert AuditEvent.objects.filter(action="case.action_added", details__action=str(action.uuid)).exists()


def test_a_decision_without_deadline_adds_nothing_to_the_plan(world, series, case):
    item = placed(world, series.own, case).items.get()
    services.decide_item(item, actor=world.af_a, decision=Decision.CONTINUE, owner_organisation=world.police,
                         action="Politie houdt een oogje in het zeil.")
    assert CaseAction.objects.filter(case=case).count() == 1  # only the fixture's action
    assert AuditEvent.objects.get(action="meeting.item_decided").details["plan_action"] is None


@pytest.mark.parametrize(("kwargs", "message", "field"), [
    ({"decision": Decision.REFER, "refer_to": "police"}, "Kies een besluit.", "decision"),
    ({"decision": Decision.CASE}, "Kies een besluit.", "decision"),
    ({"decision": Decision.CONTINUE, "action": "Iets doen."}, "Kies welke organisatie de actie uitvoert.",
     "owner_organisation"),
    ({"decision": Decision.MONITOR, "action": "Iets doen.", "deadline": 3},
     "Kies welke organisatie de actie uitvoert.", "owner_organisation"),
    ({"decision": Decision.CONTINUE, "owner": "c", "action": "Iets doen."},
     "Kies een organisatie die aan dit overleg deelneemt.", "owner_organisation"),
    ({"decision": Decision.CONTINUE, "owner": "police", "action": "Iets doen.", "deadline": 800},
     "De uiterste datum ligt meer dan twee jaar vooruit; controleer het jaartal.", "deadline"),
])
def test_decision_refusals_leave_the_item_and_the_plan_untouched(world, series, case, kwargs, message, field):
    item = placed(world, series.own, case).items.get()
    kwargs = dict(kwargs)
    owner = kwargs.pop("owner", None)
    days = kwargs.pop("deadline", None)
    with pytest.raises(DomainError) as refused:
        services.decide_item(item, actor=world.af_a, owner_organisation=getattr(world, owner) if owner else None,
                             deadline=timezone.localdate() + timedelta(days=days) if days else None, **kwargs)
    assert refused.value.message == message and refused.value.field == field
    item.refresh_from_db()
    assert item.decision == "" and CaseAction.objects.filter(case=case).count() == 1
    assert not AuditEvent.objects.filter(action="meeting.item_decided").exists()


def test_a_chair_who_does_not_run_the_case_sets_the_tables_action_in_its_plan(world, series, case):
    """Issue 13: the chair sets an action with a deadline on a case brought to the table, even without running the
    case; the plan's own rules still hold and the action says where it was agreed."""
    meeting = placed(world, series.regional, case, chair=world.procesregisseur)
    item = meeting.items.get()
    deadline = timezone.localdate() + timedelta(days=3)
    services.decide_item(item, actor=world.procesregisseur, decision=Decision.CONTINUE,
                         owner_organisation=world.police, action="Huisbezoek.", deadline=deadline)
    action = CaseAction.objects.get(case=case, description="Huisbezoek.")
    assert action.deadline == deadline and action.owner_organisation == world.police
    assert action.created_by == world.procesregisseur and str(meeting) in action.note
    assert AuditEvent.objects.filter(action="case.action_added", target_uuid=case.uuid,
                                     details__from_meeting=True).count() == 1


def test_monitoring_brings_the_case_back_on_the_next_meeting(world, series, case, clock):
    meeting = placed(world, series.own, case)
    services.decide_item(meeting.items.get(), actor=world.af_a, decision=Decision.MONITOR)
    assert services.compile_agenda(meeting, actor=world.af_a) == []  # not twice on the same meeting
    meeting_day(clock, meeting)
    services.close_meeting(meeting, actor=world.af_a)
    following = services.next_meeting(series.own, actor=world.af_a)
    assert [i.case for i in services.compile_agenda(following, actor=world.af_a)] == [case]


def test_the_chair_decides_on_the_page_and_the_minutes_list_the_case(client, world, series, case, clock):
    meeting = placed(world, series.own, case)
    item = meeting.items.get()
    client.force_login(world.af_a)
    url = reverse("meetings:decide", args=[meeting.uuid, item.uuid])
    prefix = f"punt{item.position}"
    bad = client.post(url, {f"{prefix}-decision": Decision.CONTINUE, f"{prefix}-action": "Gesprek voeren."})
    assert bad.status_code == 200 and "Kies welke organisatie de actie uitvoert." in bad.content.decode()
    assert "Gesprek voeren." in bad.content.decode()  # the input is kept
    deadline = timezone.localdate() + timedelta(days=7)
    response = client.post(url, {f"{prefix}-decision": Decision.CONTINUE, f"{prefix}-action": "Gesprek voeren.",
                                 f"{prefix}-owner_organisation": world.police.pk,
                                 f"{prefix}-deadline": deadline.isoformat()})
    assert response.status_code == 302
    assert CaseAction.objects.filter(case=case, description="Gesprek voeren.", owner_organisation=world.police,
                                     deadline=deadline).exists()
    client.force_login(world.partner)
    minutes = client.get(reverse("meetings:minutes", args=[meeting.uuid])).content.decode()
    assert case.reference in minutes and "Doorgaan met het plan van aanpak" in minutes
    assert "Gesprek voeren." in minutes and VICTIM_FIRST not in minutes and SECRET not in minutes
    meeting_day(clock, meeting)
    services.close_meeting(meeting, actor=world.af_a)
    assert meeting.status == MeetingStatus.HELD


def test_the_api_decides_a_case_item(world, series, case):
    meeting = placed(world, series.own, case)
    item = meeting.items.get()
    url = f"/api/v1/meetings/{meeting.uuid}/items/{item.uuid}/decision/"
    refused = api(world.af_a).post(url, {"decision": "refer", "refer_to": "police"}, format="json")
    assert refused.status_code == 400 and refused.json()["errors"]["decision"] == ["Kies een besluit."]
    response = api(world.af_a).post(url, {"decision": "continue", "owner_organisation": world.police.code,
                                          "action": "Controle plannen.",
                                          "deadline": (timezone.localdate() + timedelta(days=3)).isoformat()},
                                    format="json")
    assert response.status_code == 200 and response.json()["items"][0]["decision"] == "continue"
    assert response.json()["items"][0]["case"]["open_actions"] == 2
    assert CaseAction.objects.filter(case=case, description="Controle plannen.").exists()


# --- Scoping -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["af_b", "af_c", "partner2", "melder_a", "ketenregisseur"])
def test_outsiders_see_nothing_of_the_case_item(client, world, series, case, username):
    meeting = placed(world, series.own, case)
    item = meeting.items.get()
    user = getattr(world, username)
    client.force_login(user)
    for name in ("meetings:meeting", "meetings:minutes"):
        response = client.get(reverse(name, args=[meeting.uuid]))
        assert response.status_code == 404 and case.reference not in response.content.decode()
    response = client.post(reverse("meetings:decide", args=[meeting.uuid, item.uuid]),
                           {f"punt{item.position}-decision": Decision.MONITOR})
    assert response.status_code == 404
    assert client.get(reverse("meetings:request_case", args=[case.uuid])).status_code == 404
    response = client.post(reverse("meetings:request_case", args=[case.uuid]),
                           {"agenderen-series": series.own.pk, "agenderen-reason": "Mag niet."})
    assert response.status_code == 404
    response = api(user).get(f"/api/v1/meetings/{meeting.uuid}/")
    assert response.status_code == 404 and case.reference not in response.content.decode()
    response = api(user).post(f"/api/v1/meetings/{meeting.uuid}/items/{item.uuid}/decision/",
                              {"decision": "monitor"}, format="json")
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.decision == "" and CaseAgendaRequest.objects.count() == 1
    assert not AccessLogEntry.objects.filter(actor=user).exists()


# --- The case page ---------------------------------------------------------------------------------------------

def test_the_case_page_panel_offers_the_tables_that_discuss_the_case(client, world, series, case):
    client.force_login(world.af_a)
    page = client.get(reverse("cases:detail", args=[case.uuid])).content.decode()
    assert "Agenderen voor overleg" in page and reverse("meetings:request_case", args=[case.uuid]) in page
    assert "Signaleringsoverleg Aadorp" in page and "Screeningsoverleg Regio Een" in page
    assert "Signaleringsoverleg Beekstad" not in page and "Screeningsoverleg Regio Twee" not in page
    response = client.post(reverse("meetings:request_case", args=[case.uuid]),
                           {"agenderen-series": series.own.pk, "agenderen-reason": "Voortgang bespreken."})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.uuid]) + "#h-case-meetings"
    page = client.get(reverse("cases:detail", args=[case.uuid])).content.decode()
    assert "Wacht op het volgende Signaleringsoverleg Aadorp" in page and "Voortgang bespreken." in page
    meeting = services.next_meeting(series.own, actor=world.af_a)
    services.compile_agenda(meeting, actor=world.af_a)
    page = client.get(reverse("cases:detail", args=[case.uuid])).content.decode()
    assert reverse("meetings:meeting", args=[meeting.uuid]) in page and "op de agenda, nog geen besluit" in page


def test_a_refused_request_on_the_page_keeps_the_input(client, world, series, case):
    client.force_login(world.af_a)
    url = reverse("meetings:request_case", args=[case.uuid])
    response = client.post(url, {"agenderen-series": series.own.pk, "agenderen-reason": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "Geef aan waarom de casus besproken moet worden (zonder namen)." in page
    assert f'value="{series.own.pk}" selected' in page
    response = client.post(url, {"agenderen-series": series.other.pk, "agenderen-reason": "Toch proberen."})
    page = response.content.decode()
    assert response.status_code == 200 and "Kies een overleg waaraan uw organisatie deelneemt." in page
    assert "Toch proberen." in page
    assert not CaseAgendaRequest.objects.exists()


def test_a_care_only_zorgcoordinator_gets_no_panel(client, world, series, case):
    case_services.assign_member(case, actor=world.af_a, user=world.zorgcoordinator, role=CaseRole.ZORGCOORDINATOR)
    services.bring_case_to_meeting(case, actor=world.af_a, series=series.own, reason="Voortgang bespreken.")
    client.force_login(world.zorgcoordinator)
    response = client.get(reverse("cases:detail", args=[case.uuid]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Agenderen voor overleg" not in page and "Voortgang bespreken." not in page
    assert client.get(reverse("meetings:request_case", args=[case.uuid])).status_code == 404
