"""The access matrix of the tables issue 13 added (SPEC D3; docs/privacy/meetings.md): guests per item and the
chair's new actions. A screening table (ZVH chairs; police and municipality A sit at it) with two signals of A on its
agenda: one of criminal exploitation, to which the OM is invited by its standing guest rule (seed 003 §6.3), and one of
labour exploitation, to which the chair invited the HEIT (seed 002 §5.2.1). An invited organisation sees its own
item only — on the page, the minutes, the print view, the API and the PDF — and acts on nothing; an organisation of
the region that was not invited, and everyone off the table, gets 404 and nothing is written.
"""

import json

import pytest
from django.urls import reverse

from meldroute.accounts.constants import Role
from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.meetings import services as meeting_services
from meldroute.meetings.models import ItemGuest, MeetingSeries, MinutesCopy, SeriesGuest
from meldroute.meetings.tests.conftest import ROUTE, meeting_day
from meldroute.organisations.constants import OrganisationKind
from meldroute.partners.constants import DataCategory
from meldroute.partners.services import ensure_default_sharing_rules
from meldroute.routing import services as routing_services
from meldroute.routing.constants import Decision, MeetingKind
from meldroute.triage import services as triage_services
from meldroute.triage.constants import Assessment
from tests.factories import OrganisationFactory, UserFactory, make_signal

pytestmark = [pytest.mark.django_db]

CRIMINAL_TEXT = "Omschrijving-C: jongens knippen hennep in de schuur"
LABOUR_TEXT = "Omschrijving-L: twaalf mensen werken zonder contract in de kas"

# Per user: which of the two items they see (C = criminal, L = labour); None = not at the table (404).
MATRIX: dict[str, set[str] | None] = {
    "procesregisseur": {"C", "L"},   # ZVH, the chair
    "partner": {"C", "L"},           # police, at the table
    "af_a": {"C", "L"},              # A, at the table and the bringing municipality
    "om": {"C"},                     # OM: standing guest for criminal exploitation only
    "heit": {"L"},                   # HEIT: invited to the labour item only
    "odwh": None,                    # omgevingsdienst of the region, not invited
    "af_b": None,                    # B does not sit at this table
    "af_c": None,
    "melder_a": None,
    "ketenregisseur": None,
    "beheerder": None,
    "burgemeester": None,
}


@pytest.fixture
def setting(world):
    ensure_default_sharing_rules()
    routing_services.install_route(world.region, ROUTE, actor=world.beheerder)
    om = OrganisationFactory(name="Openbaar Ministerie Regio Een", code="OM-R1", kind=OrganisationKind.OTHER,
                             region=world.region, email="")
    heit = OrganisationFactory(name="Economisch Interventieteam Regio Een", code="EIT-R1",
                               kind=OrganisationKind.OTHER, region=world.region, email="")
    odwh = OrganisationFactory(name="Omgevingsdienst Regio Een", code="OD-R1", kind=OrganisationKind.OTHER,
                               region=world.region, email="")
    world.om = UserFactory(username="om", organisation=om, roles=[Role.PARTNER])
    world.heit = UserFactory(username="heit", organisation=heit, roles=[Role.PARTNER])
    world.odwh = UserFactory(username="odwh", organisation=odwh, roles=[Role.PARTNER])
    series = MeetingSeries.objects.create(
        region=world.region, kind=MeetingKind.SCREENING, name="Screeningsoverleg Regio Een",
        chair_organisation=world.zvh, shared_categories=[DataCategory.DESCRIPTION])
    series.participants.set([world.zvh, world.police, world.a])
    SeriesGuest.objects.create(series=series, organisation=om, forms=["criminal"])
    signals = {}
    for key, text, form in (("C", CRIMINAL_TEXT, "criminal"), ("L", LABOUR_TEXT, "labour")):
        signal = make_signal(world.melder_a, description=text)
        triage_services.classify_signal(signal, actor=world.af_a, assessment=Assessment.SUSPECTED, forms=[form])
        signals[key] = signal
    meeting = meeting_services.next_meeting(series, actor=world.procesregisseur)
    meeting_services.compile_agenda(meeting, actor=world.procesregisseur)
    items = {key: meeting.items.get(signal=signal) for key, signal in signals.items()}
    meeting_services.invite_to_item(items["L"], actor=world.procesregisseur, organisation=heit)
    assert set(ItemGuest.objects.values_list("organisation__code", "item__signal_id")) == {
        ("OM-R1", signals["C"].pk), ("EIT-R1", signals["L"].pk)}
    return meeting, signals, items


def url_of(endpoint: str, meeting) -> str:
    return {
        "page": reverse("meetings:meeting", args=[meeting.uuid]),
        "minutes": reverse("meetings:minutes", args=[meeting.uuid]),
        "print": reverse("meetings:minutes", args=[meeting.uuid]) + "?print=1",
        "api": f"/api/v1/meetings/{meeting.uuid}/",
    }[endpoint]


@pytest.mark.parametrize("endpoint", ["page", "minutes", "print", "api"])
@pytest.mark.parametrize("username", list(MATRIX))
def test_a_guest_sees_only_its_own_item(client, world, setting, username, endpoint):
    meeting, signals, _items = setting
    user = getattr(world, username)
    client.force_login(user)
    logs_before, events_before = AccessLogEntry.objects.count(), AuditEvent.objects.count()
    last_log = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(url_of(endpoint, meeting))
    body = json.dumps(response.json(), ensure_ascii=False) if endpoint == "api" else response.content.decode()
    expected = MATRIX[username]
    if expected is None:
        assert response.status_code == 404
        assert not any(s.reference in body for s in signals.values())
        assert CRIMINAL_TEXT not in body and LABOUR_TEXT not in body
        assert AccessLogEntry.objects.count() == logs_before and AuditEvent.objects.count() == events_before
        return
    assert response.status_code == 200
    logged = set(AccessLogEntry.objects.filter(id__gt=last_log).values_list("target_uuid", flat=True))
    for key, signal in signals.items():
        assert (signal.reference in body) == (key in expected), (key, username)
        if key not in expected:
            # Never read, so never logged: the other item does not exist for this guest.
            assert signal.uuid not in logged
            assert (CRIMINAL_TEXT if key == "C" else LABOUR_TEXT) not in body


@pytest.mark.parametrize("username", ["om", "heit"])
def test_a_guest_finds_its_meeting_on_its_list_and_acts_on_nothing(client, world, setting, username):
    meeting, _signals, items = setting
    client.force_login(getattr(world, username))
    page = client.get(reverse("meetings:list"))
    assert page.status_code == 200 and str(meeting.uuid) in page.content.decode()
    events_before = AuditEvent.objects.count()
    for item in items.values():
        for name, data in (("decide", {f"punt{item.position}-decision": Decision.NO_TRAFFICKING}),
                           ("move", {f"verplaatsen{item.position}-reason": "Later."}),
                           ("invite", {f"uitnodigen{item.position}-organisation": world.riec.pk})):
            assert client.post(reverse(f"meetings:{name}", args=[meeting.uuid, item.uuid]), data).status_code == 404
        assert client.post(f"/api/v1/meetings/{meeting.uuid}/items/{item.uuid}/decision/",
                           {"decision": "no_trafficking"}, content_type="application/json").status_code == 404
    for name in ("compile", "close", "cancel", "attendance"):
        assert client.post(reverse(f"meetings:{name}", args=[meeting.uuid])).status_code == 404
    assert AuditEvent.objects.count() == events_before
    assert not meeting.items.exclude(decision="").exists() and not meeting.items.exclude(move_reason="").exists()


@pytest.mark.parametrize("username", [u for u, seen in MATRIX.items() if seen is None])
def test_outsiders_get_404_on_every_new_endpoint_and_nothing_is_written(client, world, setting, username):
    meeting, _signals, items = setting
    client.force_login(getattr(world, username))
    events_before, logs_before = AuditEvent.objects.count(), AccessLogEntry.objects.count()
    item = items["C"]
    assert client.post(reverse("meetings:move", args=[meeting.uuid, item.uuid]),
                       {f"verplaatsen{item.position}-reason": "Later."}).status_code == 404
    assert client.post(reverse("meetings:invite", args=[meeting.uuid, item.uuid]),
                       {f"uitnodigen{item.position}-organisation": world.riec.pk}).status_code == 404
    assert client.post(reverse("meetings:attendance", args=[meeting.uuid]),
                       {"organisations": [world.police.pk]}).status_code == 404
    assert client.get(reverse("meetings:minutes_pdf", args=[meeting.uuid])).status_code == 404
    assert AuditEvent.objects.count() == events_before and AccessLogEntry.objects.count() == logs_before


def test_a_participant_who_does_not_chair_is_told_so_and_nothing_is_written(client, world, setting):
    meeting, _signals, items = setting
    client.force_login(world.partner)
    events_before = AuditEvent.objects.count()
    item = items["C"]
    response = client.post(reverse("meetings:move", args=[meeting.uuid, item.uuid]),
                           {f"verplaatsen{item.position}-reason": "Later."}, follow=True)
    assert "Alleen de voorzitter" in response.content.decode()
    response = client.post(reverse("meetings:attendance", args=[meeting.uuid]),
                           {"organisations": [world.police.pk]}, follow=True)
    assert "Alleen de voorzitter" in response.content.decode()
    assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("username", list(MATRIX))
def test_the_minutes_pdf_reaches_each_organisation_with_its_own_items(client, world, setting, username, clock,
                                                                      monkeypatch):
    meeting, signals, items = setting
    for item in items.values():
        meeting_services.decide_item(item, actor=world.procesregisseur, decision=Decision.MONITOR)
    meeting_day(clock, meeting)
    meeting_services.close_meeting(meeting, actor=world.procesregisseur)
    assert set(MinutesCopy.objects.filter(meeting=meeting).values_list("organisation__code", flat=True)) == {
        "ZVH-R1", "POL-R1", "GM8901", "OM-R1", "EIT-R1"}
    # The HTML that goes into WeasyPrint, to read what the PDF holds (test_tables checks a real PDF is made).
    monkeypatch.setattr("meldroute.meetings.views.render_pdf", lambda html: html.encode())
    client.force_login(getattr(world, username))
    logs_before = AccessLogEntry.objects.count()
    response = client.get(reverse("meetings:minutes_pdf", args=[meeting.uuid]))
    expected = MATRIX[username]
    if expected is None:
        assert response.status_code == 404 and AccessLogEntry.objects.count() == logs_before
        return
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = response.content.decode()
    for key, signal in signals.items():
        assert (signal.reference in body) == (key in expected), (key, username)


# --- The shelter request the screeningsoverleg starts (care) ----------------------------------------------------------

SHELTER_ROLES = ["procesregisseur", "partner", "af_a", "om", "heit", "odwh", "af_b", "af_c", "melder_a",
                 "ketenregisseur", "beheerder", "burgemeester", "zorgcoordinator", "zorgcoordinator2"]


@pytest.mark.parametrize("username", SHELTER_ROLES)
def test_only_a_zorgcoordinator_of_the_region_sees_and_takes_up_a_shelter_request(client, world, username):
    from meldroute.care.models import PlacementRequest

    world.zorgcoordinator2 = UserFactory(username="zorgco2", organisation=world.police2,
                                         roles=[Role.ZORGCOORDINATOR])
    for name in ("om", "heit", "odwh"):
        setattr(world, name, UserFactory(username=name, organisation=world.riec, roles=[Role.PARTNER]))
    routing_services.install_route(world.region, ROUTE, actor=world.beheerder)
    series = MeetingSeries.objects.create(region=world.region, kind=MeetingKind.SCREENING, name="Screening",
                                          chair_organisation=world.zvh)
    series.participants.set([world.zvh, world.a])
    acute = make_signal(world.melder_a, is_acute=True)
    meeting = meeting_services.next_meeting(series, actor=world.procesregisseur)
    meeting_services.compile_agenda(meeting, actor=world.procesregisseur)
    meeting_services.decide_item(meeting.items.get(signal=acute), actor=world.procesregisseur,
                                 decision=Decision.MONITOR, shelter=True)
    request = PlacementRequest.objects.get()
    client.force_login(getattr(world, username))
    page = client.get(reverse("care:list"))
    events_before = AuditEvent.objects.count()
    response = client.post(reverse("care:take_placement_request", args=[request.uuid]))
    request.refresh_from_db()
    if username == "zorgcoordinator":
        assert acute.reference in page.content.decode()
        assert response.status_code == 302 and request.taken_by == world.zorgcoordinator
        assert AuditEvent.objects.filter(action="care.placement_request_taken").count() == 1
    else:
        assert page.status_code == 404 or acute.reference not in page.content.decode()
        assert response.status_code == 404 and request.is_open
        assert AuditEvent.objects.count() == events_before
