"""The three presets walked end to end through the real services, with the conditions that make them branch."""

from datetime import timedelta

import pytest
from django.utils import timezone
from tests.factories import make_signal

from meldroute.audit.models import AuditEvent
from meldroute.routing import services
from meldroute.routing.constants import Decision, StepState
from meldroute.routing.models import SignalRoute
from meldroute.triage import services as triage_services

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

A, D, S, P = StepState.ACTIVE, StepState.DONE, StepState.SKIPPED, StepState.PENDING


def states(signal) -> dict[str, str]:
    route = SignalRoute.objects.get(signal=signal)
    return {step.key: step.state for step in route.steps.all()}


def active(signal) -> set[str]:
    return {key for key, state in states(signal).items() if state == A}


def install(world, slug):
    return services.install_preset(world.region, slug, actor=world.beheerder)


def pick_up(world, signal):
    triage_services.assign_signal(signal, actor=world.af_a, assignee=world.af_a)


def classify(world, signal, *, assessment="suspected", forms=("labour",), sector="", **facts):
    triage_services.classify_signal(signal, actor=world.af_a, assessment=assessment, forms=forms, sector=sector,
                                    route_facts=facts)


def decide(world, signal, kind, decision, **extra):
    return services.record_route_event(signal, event="meeting_decided", target=kind, actor=world.af_a,
                                       facts={"decision": decision, **extra})


# --- West-Friesland ---------------------------------------------------------------------------------

def test_west_friesland_soft_signal_walks_steps_2_to_7(world):
    install(world, "west-friesland")
    signal = make_signal(world.melder_a)
    assert states(signal)["af-geinformeerd-acuut"] == S
    assert active(signal) == {"af-geinformeerd"}

    pick_up(world, signal)
    assert active(signal) == {"verrijken"}

    classify(world, signal, side="perpetrator")
    assert active(signal) == {"ondermijningsoverleg"}
    assert states(signal)["prostitutie-controle-team"] == S
    assert states(signal)["minderjarige-veilig-thuis"] == S

    decide(world, signal, "undermining", Decision.CONTINUE)
    assert active(signal) == {"riec"}
    services.record_route_event(signal, event="referral_sent", target="riec", actor=world.af_a)
    assert active(signal) == {"informatieplein"}
    decide(world, signal, "trafficking_table", Decision.CONTINUE)
    assert active(signal) == {"terugkoppeling"}

    triage_services.give_feedback(signal, actor=world.af_a, text="Dank voor uw melding; er is actie ondernomen.")
    assert set(states(signal).values()) <= {D, S}
    assert SignalRoute.objects.get(signal=signal).finished_at is not None


def test_west_friesland_acute_signal_is_due_within_four_hours(world):
    install(world, "west-friesland")
    before = timezone.now()
    signal = make_signal(world.melder_a, is_acute=True)
    step = SignalRoute.objects.get(signal=signal).steps.get(key="af-geinformeerd-acuut")
    assert step.state == A
    assert before + timedelta(hours=4) <= step.due_at <= timezone.now() + timedelta(hours=4)
    assert states(signal)["af-geinformeerd"] == S


def test_west_friesland_prostitution_branch_goes_to_the_pct_alongside_the_local_meeting(world):
    install(world, "west-friesland")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal, forms=("sexual",), sector="sex_work")
    assert active(signal) == {"ondermijningsoverleg", "prostitutie-controle-team"}
    services.record_route_event(signal, event="referral_sent", target="pct", actor=world.af_a)
    assert active(signal) == {"ondermijningsoverleg"}  # the group moves on only when both are done


def test_west_friesland_minor_goes_to_veilig_thuis(world):
    install(world, "west-friesland")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal, minor=True)
    assert "minderjarige-veilig-thuis" in active(signal)


def test_west_friesland_without_suspicion_skips_riec_and_informatieplein(world):
    install(world, "west-friesland")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal, assessment="none", forms=())
    decide(world, signal, "undermining", Decision.NO_TRAFFICKING)
    assert states(signal)["riec"] == S
    assert states(signal)["informatieplein"] == S
    assert active(signal) == {"terugkoppeling"}


# --- Noord- en Midden-Limburg -----------------------------------------------------------------------

def test_limburg_soft_signal_goes_through_the_screeningsoverleg_to_a_case(world):
    install(world, "noord-midden-limburg")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    # Not acute, no minor: the whole of step 3 does not apply.
    assert {k for k, v in states(signal).items() if v == S} >= {"schakelen-netwerkpartners", "doorgeven-zvh",
                                                                 "minderjarige-veilig-thuis"}
    assert active(signal) == {"verrijken"}
    classify(world, signal, side="victim")
    assert active(signal) == {"screeningsoverleg"}

    decide(world, signal, "screening", Decision.CASE)
    assert active(signal) == {"casus-starten"}
    assert states(signal)["doorverwijzen"] == S
    services.record_route_event(signal, event="case_opened", actor=world.procesregisseur)
    assert active(signal) == {"terugkoppeling-af"}
    step = SignalRoute.objects.get(signal=signal).steps.get(key="terugkoppeling-af")
    services.complete_step(step, actor=world.af_a, note="ZVH meldt: casus loopt.")
    assert active(signal) == {"terugkoppeling-melder"}


def test_limburg_acute_signal_switches_with_partners_and_the_zvh_at_once(world):
    install(world, "noord-midden-limburg")
    signal = make_signal(world.melder_a, is_acute=True)
    pick_up(world, signal)
    assert active(signal) == {"schakelen-netwerkpartners", "doorgeven-zvh"}
    route = SignalRoute.objects.get(signal=signal)
    services.complete_step(route.steps.get(key="schakelen-netwerkpartners"), actor=world.af_a,
                           note="AVIM gebeld, zij gaan ter plaatse.")
    assert active(signal) == {"doorgeven-zvh"}
    services.complete_step(route.steps.get(key="doorgeven-zvh"), actor=world.af_a, note="Doorgegeven aan ZVH.")
    assert active(signal) == {"verrijken"}


def test_limburg_monitor_keeps_the_signal_on_the_screeningsoverleg(world):
    install(world, "noord-midden-limburg")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal)
    assert decide(world, signal, "screening", Decision.MONITOR) == []
    assert active(signal) == {"screeningsoverleg"}


def test_limburg_no_trafficking_skips_to_the_feedback_for_the_reporter(world):
    install(world, "noord-midden-limburg")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal, assessment="none", forms=())
    decide(world, signal, "screening", Decision.NO_TRAFFICKING)
    assert active(signal) == {"terugkoppeling-melder"}
    assert states(signal)["terugkoppeling-af"] == S


def test_limburg_refer_decision_activates_the_referral_step(world):
    install(world, "noord-midden-limburg")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal)
    decide(world, signal, "screening", Decision.REFER, refer_to="labour_inspectorate")
    assert active(signal) == {"doorverwijzen"}
    services.record_route_event(signal, event="referral_sent", target="labour_inspectorate", actor=world.af_a)
    assert active(signal) == {"terugkoppeling-af"}


# --- Zoeterwoude --------------------------------------------------------------------------------------

def test_zoeterwoude_victim_signal_goes_to_af_zorg_and_the_care_coordinator(world):
    install(world, "zoeterwoude")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    assert active(signal) == {"beoordelen"}
    classify(world, signal, side="victim")
    assert active(signal) == {"signalenroutekaart-zorg"}
    assert states(signal)["stappenplan-oov"] == S
    services.complete_step(SignalRoute.objects.get(signal=signal).steps.get(key="signalenroutekaart-zorg"),
                           actor=world.af_a, note="Signalenroutekaart gevolgd.")
    assert active(signal) == {"zorgcoordinatie"}
    assert states(signal)["signaleringsoverleg"] == S
    services.record_route_event(signal, event="referral_sent", target="care_coordination", actor=world.af_a)
    assert active(signal) == {"terugkoppeling"}


def test_zoeterwoude_perpetrator_signal_goes_to_af_oov_and_the_signaleringsoverleg(world):
    install(world, "zoeterwoude")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal, side="perpetrator")
    assert active(signal) == {"stappenplan-oov"}
    services.complete_step(SignalRoute.objects.get(signal=signal).steps.get(key="stappenplan-oov"),
                           actor=world.af_a, note="Stappenplan gevolgd.")
    assert active(signal) == {"signaleringsoverleg"}
    decide(world, signal, "signaling", Decision.REFER, refer_to="police")
    assert active(signal) == {"aanpak-doorverwijzen"}
    services.record_route_event(signal, event="referral_sent", target="police", actor=world.af_a)
    assert active(signal) == {"terugkoppeling"}


def test_zoeterwoude_meldcode_and_minor_branches(world):
    install(world, "zoeterwoude")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal, side="victim", meldcode=True, minor=True)
    assert active(signal) == {"signalenroutekaart-zorg", "meldcode-veilig-thuis", "minderjarige-veilig-thuis"}


def test_zoeterwoude_both_sides_runs_both_tracks(world):
    install(world, "zoeterwoude")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal, side="both")
    assert active(signal) == {"stappenplan-oov", "signalenroutekaart-zorg"}


def test_every_step_taken_is_audited(world):
    install(world, "west-friesland")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    actions = list(AuditEvent.objects.filter(target_uuid=signal.uuid, action__startswith="route.")
                   .values_list("action", "details"))
    assert actions[0][0] == "route.started"
    assert actions[0][1]["activated"] == ["af-geinformeerd"]
    assert actions[1] == ("route.event", {"event": "picked_up", "target": "", "completed": ["af-geinformeerd"],
                                          "activated": ["verrijken"], "skipped": []})
