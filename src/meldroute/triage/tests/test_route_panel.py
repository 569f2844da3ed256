"""The route on the AF's pages: where the signal stands, finishing a step by hand, overdue steps in the inbox."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.factories import make_signal

from meldroute.routing import services as routing_services
from meldroute.routing.constants import StepState
from meldroute.routing.models import SignalRoute, SignalRouteStep

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def routed(world):
    routing_services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    return make_signal(world.melder_a, is_acute=True)


def test_signal_page_shows_the_step_who_must_act_and_by_when(client, world, routed):
    client.force_login(world.af_a)
    html = client.get(reverse("triage:signal", args=[routed.uuid])).content.decode()
    assert "Meldroute Noord- en Midden-Limburg" in html
    assert "Aandachtsfunctionaris pakt het acute signaal direct op" in html
    assert "uiterlijk" in html


def test_af_finishes_a_step_by_hand_and_the_route_moves_on(client, world, routed):
    client.force_login(world.af_a)
    client.post(reverse("triage:action", args=[routed.uuid, "assign"]), {"assign-assignee": world.af_a.pk})
    step = SignalRouteStep.objects.get(signal_route__signal=routed, key="schakelen-netwerkpartners")
    assert step.state == StepState.ACTIVE
    response = client.post(reverse("triage:action", args=[routed.uuid, "complete_step"]),
                           {"complete_step-step": step.uuid, "complete_step-note": "AVIM gebeld."})
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.state, step.note, step.completed_by) == (StepState.DONE, "AVIM gebeld.", world.af_a)


def test_finishing_a_step_without_a_note_keeps_the_page_with_a_dutch_message(client, world, routed):
    client.force_login(world.af_a)
    step = SignalRouteStep.objects.get(signal_route__signal=routed, state=StepState.ACTIVE)
    response = client.post(reverse("triage:action", args=[routed.uuid, "complete_step"]),
                           {"complete_step-step": step.uuid, "complete_step-note": ""})
    assert response.status_code == 200
    assert "Schrijf kort wat er in deze stap is gedaan." in response.content.decode()
    step.refresh_from_db()
    assert step.state == StepState.ACTIVE


@pytest.mark.parametrize("username", ["af_b", "af_c", "melder_a", "partner", "procesregisseur", "beheerder"])
def test_nobody_else_can_finish_a_step(client, world, routed, username):
    client.force_login(getattr(world, username))
    step = SignalRouteStep.objects.get(signal_route__signal=routed, state=StepState.ACTIVE)
    response = client.post(reverse("triage:action", args=[routed.uuid, "complete_step"]),
                           {"complete_step-step": step.uuid, "complete_step-note": "Poging."})
    assert response.status_code == 404
    step.refresh_from_db()
    assert step.state == StepState.ACTIVE


def test_a_step_of_another_signal_is_not_found(client, world, routed):
    other = make_signal(world.melder_a)
    step = SignalRouteStep.objects.get(signal_route__signal=other, state=StepState.ACTIVE)
    client.force_login(world.af_a)
    response = client.post(reverse("triage:action", args=[routed.uuid, "complete_step"]),
                           {"complete_step-step": step.uuid, "complete_step-note": "Verkeerde stap."})
    assert response.status_code == 404


def test_inbox_shows_the_current_step_and_counts_overdue_steps(client, world, routed):
    SignalRouteStep.objects.filter(signal_route__signal=routed, state=StepState.ACTIVE).update(
        due_at=timezone.now() - timedelta(hours=1))
    on_time = make_signal(world.melder_a)
    client.force_login(world.af_a)
    response = client.get(reverse("triage:inbox"))
    html = response.content.decode()
    assert "Stap in de meldroute" in html
    assert "te laat sinds" in html
    tabs = {key: count for key, _label, count in response.context["tabs"]}
    assert tabs["route_overdue"] == 1
    overdue = client.get(reverse("triage:inbox") + "?weergave=route_overdue")
    listed = [s.reference for s in overdue.context["page"].object_list]
    assert listed == [routed.reference]
    assert on_time.reference not in overdue.content.decode()


def test_inbox_overdue_count_stays_inside_the_municipality(client, world):
    routing_services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    make_signal(world.melder_b)
    SignalRouteStep.objects.update(due_at=timezone.now() - timedelta(hours=1))
    client.force_login(world.af_a)
    tabs = {key: count for key, _label, count in client.get(reverse("triage:inbox")).context["tabs"]}
    assert tabs["route_overdue"] == 0
    assert SignalRoute.objects.count() == 1
    # The count reads the municipality's running routes only: a route carries its signal's municipality.
    route = SignalRoute.objects.select_related("signal").get()
    assert route.municipality_id == route.signal.municipality_id == world.melder_b.organisation_id
    client.force_login(world.af_b)
    tabs = {key: count for key, _label, count in client.get(reverse("triage:inbox")).context["tabs"]}
    assert tabs["route_overdue"] == 1


def test_api_shows_the_route_and_lets_the_af_finish_a_step(client, world, routed):
    client.force_login(world.af_a)
    url = f"/api/v1/signals/{routed.uuid}/route/"
    body = client.get(url).json()
    assert body["name"] == "Meldroute Noord- en Midden-Limburg"
    assert [s["key"] for s in body["current"]] == ["af-geinformeerd-acuut"]
    step = body["current"][0]["id"]
    refused = client.post(url, {"step": step, "note": ""}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "invalid"
    done = client.post(url, {"step": step, "note": "Opgepakt na telefoontje."}, content_type="application/json")
    assert done.status_code == 200
    assert {s["key"] for s in done.json()["current"]} == {"schakelen-netwerkpartners", "screeningsoverleg", "verrijken"}


@pytest.mark.parametrize("username", ["af_b", "af_c", "melder_a", "partner", "ketenregisseur", "beheerder"])
def test_api_route_is_not_found_for_anyone_else(client, world, routed, username):
    client.force_login(getattr(world, username))
    url = f"/api/v1/signals/{routed.uuid}/route/"
    assert client.get(url).status_code == 404
    step = SignalRouteStep.objects.get(signal_route__signal=routed, state=StepState.ACTIVE)
    response = client.post(url, {"step": str(step.uuid), "note": "Poging."}, content_type="application/json")
    assert response.status_code == 404
    step.refresh_from_db()
    assert step.state == StepState.ACTIVE
