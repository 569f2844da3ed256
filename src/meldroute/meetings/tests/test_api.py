"""The meetings API: visible meetings, an agenda with only the shared fields, the chair's decision."""

import json

import pytest
from rest_framework.test import APIClient

from meldroute.audit.models import AccessLogEntry
from meldroute.meetings import services
from meldroute.routing.constants import Decision, StepState
from meldroute.routing.models import SignalRouteStep

from .conftest import SECRET_ADDRESS, SECRET_PERSONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world, tables, secret_signal):
    meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)
    services.compile_agenda(meeting, actor=world.procesregisseur)
    return meeting


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_participant_lists_and_reads_the_agenda_with_shared_fields_only(world, meeting, secret_signal):
    listing = api(world.partner).get("/api/v1/meetings/").json()
    assert [m["id"] for m in listing["results"]] == [str(meeting.uuid)]
    response = api(world.partner).get(f"/api/v1/meetings/{meeting.uuid}/")
    assert response.status_code == 200
    body = response.json()
    item = body["items"][0]
    assert item["signal"]["reference"] == secret_signal.reference
    assert item["signal"]["description"] == secret_signal.description
    assert "location" not in item["signal"] and "persons" not in item["signal"]
    raw = json.dumps(body)
    assert SECRET_ADDRESS not in raw and SECRET_PERSONS not in raw
    assert body["is_chair"] is False and body["shared_categories"] == ["description", "summary"]
    assert AccessLogEntry.objects.filter(actor=world.partner, target_uuid=secret_signal.uuid,
                                         purpose="bespreking in overleg").count() == 1


@pytest.mark.parametrize("username", ["af_c", "partner2", "ketenregisseur", "burgemeester", "melder_a"])
def test_others_get_an_empty_list_and_a_structured_404(world, meeting, username):
    client = api(getattr(world, username))
    assert client.get("/api/v1/meetings/").json()["results"] == []
    response = client.get(f"/api/v1/meetings/{meeting.uuid}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    item = meeting.items.get()
    response = client.post(f"/api/v1/meetings/{meeting.uuid}/items/{item.uuid}/decision/",
                           {"decision": "no_trafficking"}, format="json")
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.decision == ""


def test_chair_records_a_decision_and_the_route_moves(world, meeting, secret_signal):
    item = meeting.items.get()
    response = api(world.procesregisseur).post(
        f"/api/v1/meetings/{meeting.uuid}/items/{item.uuid}/decision/",
        {"decision": "continue", "owner_organisation": world.police.code, "action": "Bestuurlijke controle."},
        format="json")
    assert response.status_code == 200
    decided = response.json()["items"][0]
    assert decided["decision"] == "continue" and decided["owner_organisation"] == world.police.code
    assert SignalRouteStep.objects.get(signal_route__signal=secret_signal, key="screening").state == StepState.DONE


def test_a_participant_cannot_decide_structured_403(world, meeting):
    item = meeting.items.get()
    response = api(world.partner).post(f"/api/v1/meetings/{meeting.uuid}/items/{item.uuid}/decision/",
                                       {"decision": Decision.NO_TRAFFICKING}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden" and "voorzitter" in response.json()["detail"]


def test_invalid_decisions_are_structured_400s_at_the_field(world, meeting):
    item = meeting.items.get()
    url = f"/api/v1/meetings/{meeting.uuid}/items/{item.uuid}/decision/"
    client = api(world.procesregisseur)
    response = client.post(url, {"decision": "continue", "owner_organisation": world.police.code}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"action": ["Beschrijf de afgesproken actie."]}
    response = client.post(url, {"decision": "weet niet"}, format="json")
    assert response.status_code == 400 and "decision" in response.json()["errors"]
    response = client.post(url, {"decision": "continue", "owner_organisation": "NOPE", "action": "x"}, format="json")
    assert response.status_code == 400 and "owner_organisation" in response.json()["errors"]
    assert client.post(f"/api/v1/meetings/{meeting.uuid}/items/not-a-uuid/decision/", {}, format="json"
                       ).status_code == 404
    item.refresh_from_db()
    assert item.decision == ""
