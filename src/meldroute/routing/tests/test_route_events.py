"""Route steps that complete by themselves through the real services (issue 13): a referral from an acute signal,
a partner's returned outcome, steps that run alongside; and closing a signal that asks which open steps end."""

import pytest
from tests.factories import make_signal

from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.partners.constants import DataCategory, LegalGround
from meldroute.partners.services import ensure_default_sharing_rules
from meldroute.referrals import services as referral_services
from meldroute.routing import services
from meldroute.routing.constants import Decision, StepState
from meldroute.routing.models import SignalRoute
from meldroute.triage import services as triage_services

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

A, D, S, P = StepState.ACTIVE, StepState.DONE, StepState.SKIPPED, StepState.PENDING


def states(signal) -> dict[str, str]:
    return {s.key: s.state for s in SignalRoute.objects.get(signal=signal).steps.all()}


def refer_to_police(world, signal):
    ensure_default_sharing_rules()
    return referral_services.create_referral(signal, actor=world.af_a, receiver_organisation=world.police,
                                             purpose="Direct schakelen", legal_ground=LegalGround.PUBLIC_TASK,
                                             categories=[DataCategory.DESCRIPTION])


def test_a_referral_to_avim_from_an_acute_signal_completes_direct_schakelen_by_itself(world):
    """Seed 003 §5.1: "Zijn signalen wel accuut, dan wordt direct overlegd met AVIM, Veilig Thuis en/of
    Arbeidsinspectie" — sending the referral is the step; no hand tick."""
    services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    signal = make_signal(world.melder_a, is_acute=True)
    refer_to_police(world, signal)  # referring picks the signal up first
    assert states(signal)["af-geinformeerd-acuut"] == D
    assert states(signal)["schakelen-netwerkpartners"] == D
    step = SignalRoute.objects.get(signal=signal).steps.get(key="schakelen-netwerkpartners")
    assert step.completed_by == world.af_a
    assert "Politie Regio Een" in step.note


def test_the_partners_returned_outcome_completes_step_8(world):
    """Seed 003 §4.2: "De terugkoppeling aan de aandachtsfunctionaris (stap 8)" — by the network partner's outcome."""
    services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    signal = make_signal(world.melder_a)
    triage_services.assign_signal(signal, actor=world.af_a, assignee=world.af_a)
    services.record_route_event(signal, event="meeting_decided", target="screening", actor=world.af_a,
                                facts={"decision": Decision.REFER, "refer_to": "police"})
    referral = refer_to_police(world, signal)
    assert states(signal)["terugkoppeling-af"] == A
    referral_services.accept_referral(referral, actor=world.partner)
    assert states(signal)["terugkoppeling-af"] == A  # accepting is no outcome yet
    referral_services.complete_referral(referral, actor=world.partner, outcome="Onderzoek gestart.")
    assert states(signal)["terugkoppeling-af"] == D
    assert states(signal)["terugkoppeling-melder"] == A
    event = AuditEvent.objects.filter(target_uuid=signal.uuid, action="route.event").last()
    assert event is not None and event.details["event"] == "outcome_returned"
    assert event.details["completed"] == ["terugkoppeling-af"]


def test_a_rejected_referral_is_no_outcome(world):
    services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    signal = make_signal(world.melder_a)
    triage_services.assign_signal(signal, actor=world.af_a, assignee=world.af_a)
    services.record_route_event(signal, event="meeting_decided", target="screening", actor=world.af_a,
                                facts={"decision": Decision.REFER})
    referral = refer_to_police(world, signal)
    referral_services.reject_referral(referral, actor=world.partner, reason="Niet onze taak.")
    assert states(signal)["terugkoppeling-af"] == A


def test_a_step_alongside_never_holds_the_route_up():
    """The engine: an `alongside` step stays open until its own event; the next group comes without it."""
    data = services.validate_route_data({"name": "R", "steps": [
        {"key": "a", "title": "A", "actor": "af", "action": "enrich", "position": 1, "alongside": True},
        {"key": "b", "title": "B", "actor": "af", "action": "pick_up", "position": 1},
        {"key": "c", "title": "C", "actor": "af", "action": "feedback", "position": 2},
    ]})
    assert [s["alongside"] for s in data["steps"]] == [True, False, False]


def test_alongside_must_be_yes_or_no():
    with pytest.raises(DomainError) as refused:
        services.validate_route_data({"name": "R", "steps": [
            {"key": "a", "title": "A", "actor": "af", "action": "enrich", "alongside": "soms"}]})
    assert "alongside" in refused.value.message


def test_several_targets_must_each_be_a_partner_type():
    with pytest.raises(DomainError) as refused:
        services.validate_route_data({"name": "R", "steps": [
            {"key": "a", "title": "A", "actor": "af", "action": "refer", "target": ["police", "bakker"]}]})
    assert "bakker" in refused.value.message
    ok = services.validate_route_data({"name": "R", "steps": [
        {"key": "a", "title": "A", "actor": "af", "action": "refer", "target": ["police", "veilig_thuis"]}]})
    assert ok["steps"][0]["target"] == "police,veilig_thuis"


# --- Closing with route steps still open ----------------------------------------------------------------------

def limburg_signal_waiting_for_the_partner(world):
    services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    signal = make_signal(world.melder_a)
    triage_services.assign_signal(signal, actor=world.af_a, assignee=world.af_a)
    return signal


def test_closing_ends_only_the_steps_the_af_chose_with_the_reason_and_the_history_shows_it(world):
    signal = limburg_signal_waiting_for_the_partner(world)
    assert {k for k, v in states(signal).items() if v == A} == {"screeningsoverleg", "verrijken"}
    triage_services.close_signal(signal, actor=world.af_a, outcome="no_trafficking", text="Geen aanwijzingen.",
                                 end_steps=["verrijken"], end_reason="Niets meer te verrijken.")
    route = SignalRoute.objects.get(signal=signal)
    ended = route.steps.get(key="verrijken")
    assert ended.state == S and ended.ended_with_signal and ended.note == "Niets meer te verrijken."
    assert route.steps.get(key="screeningsoverleg").state == A  # not chosen: stays open, still on the agenda
    assert route.finished_at is None
    history = signal.status_changes.order_by("-created_at", "-id").first()
    assert history is not None
    assert "Routestappen beëindigd: In de tussentijd verrijken" in history.text
    assert "Reden: Niets meer te verrijken." in history.text
    assert "Routestappen blijven open: Via het ZVH inbrengen" in history.text
    event = AuditEvent.objects.filter(target_uuid=signal.uuid, action="route.ended").get()
    assert event.details["skipped"] == ["verrijken"]
    assert "screeningsoverleg" in event.details["kept_open"]
    assert "Niets meer" not in str(event.details)  # the audit names steps, never the AF's words


def test_closing_with_chosen_steps_needs_a_reason_and_writes_nothing_without_one(world):
    signal = limburg_signal_waiting_for_the_partner(world)
    mark = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        triage_services.close_signal(signal, actor=world.af_a, outcome="no_trafficking", text="Klaar.",
                                     end_steps=["verrijken"], end_reason="  ")
    assert refused.value.field == "end_reason"
    assert AuditEvent.objects.count() == mark
    with pytest.raises(DomainError) as unknown:
        triage_services.close_signal(signal, actor=world.af_a, outcome="no_trafficking", text="Klaar.",
                                     end_steps=["bestaat-niet"], end_reason="Reden.")
    assert unknown.value.field == "end_steps"


def test_a_step_kept_open_still_completes_by_its_event_after_closing(world):
    signal = limburg_signal_waiting_for_the_partner(world)
    services.record_route_event(signal, event="meeting_decided", target="screening", actor=world.af_a,
                                facts={"decision": Decision.REFER})
    refer_to_police(world, signal)
    open_now = {k for k, v in states(signal).items() if v == A}
    assert "terugkoppeling-af" in open_now
    ended = sorted(open_now - {"terugkoppeling-af"})
    triage_services.close_signal(signal, actor=world.af_a, outcome="no_trafficking", text="Afgesloten.",
                                 end_steps=ended, end_reason="Afgehandeld.")
    assert states(signal)["terugkoppeling-af"] == A
    services.record_route_event(signal, event="outcome_returned", target="police", actor=world.partner)
    assert states(signal)["terugkoppeling-af"] == D
    assert states(signal)["terugkoppeling-melder"] == A  # the reporter is still owed feedback


def test_closing_without_a_choice_ends_every_open_step_as_before(world):
    signal = limburg_signal_waiting_for_the_partner(world)
    triage_services.close_signal(signal, actor=world.af_a, outcome="no_trafficking", text="Geen aanwijzingen.")
    assert states(signal)["screeningsoverleg"] == S
    assert states(signal)["terugkoppeling-melder"] == A


# --- The route view cites each step's source -------------------------------------------------------------------

@pytest.mark.parametrize("slug", ["west-friesland", "noord-midden-limburg", "zoeterwoude", "rijswijk"])
def test_the_beheerders_route_view_cites_every_steps_source(client, world, slug):
    """SPEC C5: "Every preset step cites its source paragraph" — in the route view."""
    from django.urls import reverse

    definition = services.install_preset(world.region, slug, actor=world.beheerder)
    client.force_login(world.beheerder)
    page = client.get(reverse("routing:manage")).content.decode()
    for step in definition.steps.all():
        assert step.source and step.source.split(":")[0] in page
    assert page.count('data-testid="step-source"') == definition.steps.count()


def test_the_signal_page_cites_the_current_steps_source_and_names_several_partners(client, world):
    from django.urls import reverse

    services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    signal = make_signal(world.melder_a, is_acute=True)
    triage_services.assign_signal(signal, actor=world.af_a, assignee=world.af_a)
    client.force_login(world.af_a)
    page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    assert 'data-testid="route-current-source"' in page
    assert "Seed 003 §5.1" in page
    manage_client_page = services.route_as_data(SignalRoute.objects.get(signal=signal).definition)
    assert manage_client_page["steps"][2]["target"] == ["police", "veilig_thuis", "labour_inspectorate"]


def test_the_close_form_asks_which_open_steps_end_and_why(client, world):
    from django.urls import reverse

    signal = limburg_signal_waiting_for_the_partner(world)
    client.force_login(world.af_a)
    page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    assert 'name="close-end_steps"' in page and 'name="close-end_reason"' in page
    url = reverse("triage:action", args=[signal.uuid, "close"])
    refused = client.post(url, {"close-outcome": "no_trafficking", "close-text": "Klaar.",
                                "close-end_steps": ["verrijken"], "close-end_reason": ""})
    assert refused.status_code == 200
    assert "Schrijf waarom deze routestappen eindigen." in refused.content.decode()
    assert "Klaar." in refused.content.decode()  # the input is kept
    done = client.post(url, {"close-outcome": "no_trafficking", "close-text": "Klaar.",
                             "close-end_steps": ["verrijken"], "close-end_reason": "Niets meer te doen."})
    assert done.status_code == 302
    assert states(signal)["verrijken"] == S and states(signal)["screeningsoverleg"] == A
    page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    assert "Routestappen beëindigd: In de tussentijd verrijken" in page  # the history shows it


def test_the_preset_chooser_marks_rijswijk_as_a_concept(client, world):
    from django.urls import reverse

    client.force_login(world.beheerder)
    page = client.get(reverse("routing:preset")).content.decode()
    assert "Rijswijk (concept)" in page
    assert page.count('data-testid="preset-concept"') == 1
    assert 'data-preset="rijswijk"' in page
