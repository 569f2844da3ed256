"""The overleggen pages: who sees which table, what a participant sees of a signal, the chair's forms, minutes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meldroute.audit.models import AccessLogEntry
from meldroute.meetings import services
from meldroute.routing.constants import Decision, StepState
from meldroute.routing.models import SignalRouteStep

from .conftest import SECRET_ADDRESS, SECRET_PERSONS, meeting_day

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def open_meeting(client, user, meeting):
    client.force_login(user)
    return client.get(reverse("meetings:meeting", args=[meeting.uuid]))


def test_the_chair_opening_the_list_plans_the_next_meeting_and_the_meeting_page_compiles_the_agenda(
        client, world, tables, secret_signal):
    client.force_login(world.procesregisseur)
    page = client.get(reverse("meetings:list"))
    assert page.status_code == 200 and "Screeningsoverleg Regio Een" in page.content.decode()
    assert "Signaleringsoverleg Aadorp" not in page.content.decode()  # the ZVH does not sit at A's own table
    meeting = tables.screening.meetings.get()
    page = open_meeting(client, world.procesregisseur, meeting).content.decode()
    assert secret_signal.reference in page and "Besluit vastleggen" in page
    assert meeting.items.get().signal == secret_signal


def test_a_participant_sees_only_the_shared_fields_and_the_read_is_logged(client, world, tables, secret_signal):
    meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)
    services.compile_agenda(meeting, actor=world.procesregisseur)
    response = open_meeting(client, world.partner, meeting)
    page = response.content.decode()
    assert response.status_code == 200
    assert secret_signal.reference in page and secret_signal.description in page  # description is shared
    assert SECRET_ADDRESS not in page and SECRET_PERSONS not in page  # location and persons are not
    assert "Besluit vastleggen" not in page and "Overleg afsluiten" not in page  # read-only for participants
    assert reverse("triage:signal", args=[secret_signal.uuid]) not in page
    entry = AccessLogEntry.objects.get(actor=world.partner, target_uuid=secret_signal.uuid)
    assert entry.purpose == "bespreking in overleg" and entry.fields == ["description"]
    # A participant never gets the AF's signal page.
    client.force_login(world.partner)
    assert client.get(reverse("triage:signal", args=[secret_signal.uuid])).status_code == 404


def test_a_table_sharing_no_personal_data_logs_no_read(client, world, tables, secret_signal):
    tables.screening.shared_categories = []
    tables.screening.save()
    meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)
    services.compile_agenda(meeting, actor=world.procesregisseur)
    page = open_meeting(client, world.partner, meeting).content.decode()
    assert secret_signal.reference in page and secret_signal.description not in page
    assert not AccessLogEntry.objects.filter(actor=world.partner, target_uuid=secret_signal.uuid).exists()


@pytest.mark.parametrize("username", ["af_c", "partner2", "af_b"])
def test_organisations_not_at_the_table_get_404(client, world, tables, secret_signal, username):
    meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)
    services.compile_agenda(meeting, actor=world.procesregisseur)
    user = getattr(world, username)
    client.force_login(user)
    listing = client.get(reverse("meetings:list"))
    assert listing.status_code == 200 and "Screeningsoverleg Regio Een" not in listing.content.decode()
    for name in ("meetings:meeting", "meetings:minutes"):
        response = client.get(reverse(name, args=[meeting.uuid]))
        assert response.status_code == 404 and secret_signal.reference not in response.content.decode()
    item = meeting.items.get()
    response = client.post(reverse("meetings:decide", args=[meeting.uuid, item.uuid]),
                           {f"punt{item.position}-decision": Decision.NO_TRAFFICKING})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.decision == ""
    assert not AccessLogEntry.objects.filter(actor=user).exists()


@pytest.mark.parametrize("username", ["ketenregisseur", "burgemeester", "beheerder", "melder_a"])
def test_roles_without_a_seat_get_404_everywhere(client, world, tables, username):
    meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)
    client.force_login(getattr(world, username))
    assert client.get(reverse("meetings:list")).status_code == 404
    assert client.get(reverse("meetings:meeting", args=[meeting.uuid])).status_code == 404
    assert client.get(reverse("meetings:minutes", args=[meeting.uuid])).status_code == 404
    assert client.post(reverse("meetings:close", args=[meeting.uuid])).status_code == 404


def test_navigation_shows_overleggen_to_roles_with_a_seat_only(client, world, tables):
    client.force_login(world.partner)
    assert "Overleggen" in client.get(reverse("home"), follow=True).content.decode()
    client.force_login(world.burgemeester)
    assert "Overleggen" not in client.get(reverse("home"), follow=True).content.decode()


def test_an_organisation_at_no_table_is_told_so(client, world, tables):
    client.force_login(world.af_b)
    page = client.get(reverse("meetings:list")).content.decode()
    assert "Uw organisatie neemt nog aan geen enkel overleg deel." in page


def test_chair_decides_through_the_page_and_the_route_moves(client, world, tables, secret_signal):
    meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)
    open_meeting(client, world.procesregisseur, meeting)
    item = meeting.items.get()
    deadline = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = client.post(reverse("meetings:decide", args=[meeting.uuid, item.uuid]), {
        "punt1-decision": Decision.CASE, "punt1-owner_organisation": world.zvh.pk,
        "punt1-action": "Casus starten, procesregie bij het ZVH.", "punt1-deadline": deadline})
    assert response.status_code == 302 and response.url.endswith("#punt-1")
    item.refresh_from_db()
    assert item.decision == Decision.CASE and item.owner_organisation == world.zvh
    step = SignalRouteStep.objects.get(signal_route__signal=secret_signal, key="screening")
    assert step.state == StepState.DONE


def test_a_refused_decision_shows_the_dutch_message_at_the_field_and_keeps_the_input(client, world, tables,
                                                                                     secret_signal):
    meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)
    open_meeting(client, world.procesregisseur, meeting)
    item = meeting.items.get()
    response = client.post(reverse("meetings:decide", args=[meeting.uuid, item.uuid]), {
        "punt1-decision": Decision.CONTINUE, "punt1-action": "Nader onderzoek door de wijkagent."})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kies welke organisatie de actie uitvoert." in page and "Nader onderzoek door de wijkagent." in page
    item.refresh_from_db()
    assert item.decision == ""
    response = client.post(reverse("meetings:decide", args=[meeting.uuid, item.uuid]), {
        "punt1-decision": Decision.CONTINUE, "punt1-owner_organisation": world.police.pk, "punt1-action": "Iets.",
        "punt1-deadline": "31-02-2026"})
    assert "Vul een geldige datum in" in response.content.decode()


def test_a_participant_posting_a_decision_is_refused(client, world, tables, secret_signal):
    meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)
    services.compile_agenda(meeting, actor=world.procesregisseur)
    item = meeting.items.get()
    client.force_login(world.partner)
    response = client.post(reverse("meetings:decide", args=[meeting.uuid, item.uuid]),
                           {"punt1-decision": Decision.NO_TRAFFICKING}, follow=True)
    assert "Alleen de voorzitter" in response.content.decode()
    item.refresh_from_db()
    assert item.decision == ""
    response = client.post(reverse("meetings:close", args=[meeting.uuid]), follow=True)
    assert "Alleen de voorzitter van dit overleg kan het afsluiten." in response.content.decode()
    response = client.post(reverse("meetings:cancel", args=[meeting.uuid]), follow=True)
    assert "Alleen de voorzitter" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_minutes_show_the_decisions_and_print_without_navigation(client, world, tables, secret_signal, clock):
    meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)
    services.compile_agenda(meeting, actor=world.procesregisseur)
    services.decide_item(meeting.items.get(), actor=world.procesregisseur, decision=Decision.REFER,
                         owner_organisation=world.a, action="Melding bij Veilig Thuis doen.", refer_to="veilig_thuis")
    meeting_day(clock, meeting)
    client.force_login(world.procesregisseur)
    response = client.post(reverse("meetings:close", args=[meeting.uuid]), {"notes": "Goed overleg."})
    assert response.status_code == 302
    client.force_login(world.partner)
    page = client.get(reverse("meetings:minutes", args=[meeting.uuid])).content.decode()
    assert "Notulen" in page and "Conceptnotulen" not in page
    for text in (secret_signal.reference, "Doorverwijzen naar een ketenpartner", "Veilig Thuis",
                 "Melding bij Veilig Thuis doen.", world.a.name, world.police.name, "Goed overleg."):
        assert text in page
    # The print rules live in meldroute.css since the strict CSP (no inline style).
    assert SECRET_ADDRESS not in page and "meldroute/meldroute.css" in page and 'href="?print=1"' in page
    printable = client.get(reverse("meetings:minutes", args=[meeting.uuid]), {"print": "1"}).content.decode()
    assert "Melding bij Veilig Thuis doen." in printable and "Hoofdmenu" not in printable
    assert SECRET_ADDRESS not in printable
    assert AccessLogEntry.objects.filter(actor=world.partner, target_uuid=secret_signal.uuid,
                                         purpose="bespreking in overleg").count() == 2


def test_closing_with_open_items_is_refused_on_the_page(client, world, tables, secret_signal, clock):
    meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)
    meeting_day(clock, meeting)
    open_meeting(client, world.procesregisseur, meeting)
    response = client.post(reverse("meetings:close", args=[meeting.uuid]), {"notes": ""})
    assert response.status_code == 200
    assert "Leg eerst bij elk agendapunt een besluit vast." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "planned"
