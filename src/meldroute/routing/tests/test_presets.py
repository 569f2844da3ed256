"""The presets walked end to end through the real services, with the conditions that make them branch."""

from datetime import timedelta

import pytest
from django.utils import timezone
from tests.factories import make_signal

from meldroute.audit.models import AuditEvent
from meldroute.core.workdays import add_working_days
from meldroute.routing import services
from meldroute.routing.constants import Decision, StepState
from meldroute.routing.models import SignalRoute, SignalRouteStep
from meldroute.routing.presets import CONCEPT_PRESETS, PRESETS, load_preset
from meldroute.triage import services as triage_services

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

A, D, S, P = StepState.ACTIVE, StepState.DONE, StepState.SKIPPED, StepState.PENDING


def states(signal) -> dict[str, str]:
    route = SignalRoute.objects.get(signal=signal)
    return {step.key: step.state for step in route.steps.all()}


def active(signal) -> set[str]:
    return {key for key, state in states(signal).items() if state == A}


def step_of(signal, key) -> SignalRouteStep:
    return SignalRoute.objects.get(signal=signal).steps.get(key=key)


def actor_and_deadline(signal, key) -> tuple[str, int | None, int | None]:
    step = step_of(signal, key)
    return step.actor, step.deadline_hours, step.deadline_working_days


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


# --- West-Friesland (seed 000 §4.2, steps 1-7) ------------------------------------------------------

def test_west_friesland_soft_signal_walks_steps_2_to_7(world):
    """Seed 000 §4.2: "De aandachtsfunctionaris die op de hoogte wordt gebracht van dit signaal (stap 2), deze
    verrijkt het signaal met eigen informatie ... (Stap 3). De aandachtsfunctionaris brengt het opgepluste signaal in
    bij het lokale ondermijningsoverleg/tafel ... (Stap 4). Indien het om een vermoeden van mensenhandel gaat, neemt
    de aandachtsfunctionaris contact op met het RIEC ... (Stap 5). ... ingebracht op het informatieplein RIEC ten
    behoeve van de regionale tafel mensenhandel (stap 6). De terugkoppeling aan de aandachtsfunctionaris (stap 7) en
    de terugkoppeling aan de melder van het signaal" """
    install(world, "west-friesland")
    signal = make_signal(world.melder_a)
    assert states(signal)["af-geinformeerd-acuut"] == S
    assert active(signal) == {"af-geinformeerd"}
    assert actor_and_deadline(signal, "af-geinformeerd") == ("af", None, 5)

    pick_up(world, signal)
    assert active(signal) == {"verrijken"}
    assert actor_and_deadline(signal, "verrijken") == ("af", None, 10)

    classify(world, signal, side="perpetrator")
    assert active(signal) == {"ondermijningsoverleg"}
    assert step_of(signal, "ondermijningsoverleg").target == "undermining"
    assert states(signal)["prostitutie-controle-team"] == S
    assert states(signal)["minderjarige-veilig-thuis"] == S

    decide(world, signal, "undermining", Decision.CONTINUE)
    assert active(signal) == {"riec"}
    services.record_route_event(signal, event="referral_sent", target="riec", actor=world.af_a)
    assert active(signal) == {"informatieplein"}
    assert actor_and_deadline(signal, "informatieplein") == ("meeting", None, 30)
    decide(world, signal, "trafficking_table", Decision.CONTINUE)
    # Step 7 is two feedbacks, each its own step with its own event.
    assert active(signal) == {"terugkoppeling-af", "terugkoppeling-melder"}
    assert actor_and_deadline(signal, "terugkoppeling-af") == ("partner", None, 10)
    assert actor_and_deadline(signal, "terugkoppeling-melder") == ("af", None, 10)

    triage_services.give_feedback(signal, actor=world.af_a, text="Dank voor uw melding; er is actie ondernomen.")
    assert active(signal) == {"terugkoppeling-af"}
    services.record_route_event(signal, event="outcome_returned", target="riec", actor=world.af_a)
    assert set(states(signal).values()) <= {D, S}
    assert SignalRoute.objects.get(signal=signal).finished_at is not None


def test_west_friesland_step_7_feedback_to_the_af_comes_from_the_partner_not_from_the_reporters_feedback(world):
    """Seed 000 §4.2: "De terugkoppeling aan de aandachtsfunctionaris (stap 7) en de terugkoppeling aan de melder
    van het signaal": two feedbacks, two events — the partner's outcome, the AF's feedback to the reporter."""
    install(world, "west-friesland")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal)
    decide(world, signal, "undermining", Decision.CONTINUE)
    services.record_route_event(signal, event="referral_sent", target="riec", actor=world.af_a)
    services.record_route_event(signal, event="outcome_returned", target="riec", actor=world.af_a)
    assert states(signal)["terugkoppeling-af"] == P  # the outcome came before step 7: the route remembers it
    decide(world, signal, "trafficking_table", Decision.CONTINUE)
    assert states(signal)["terugkoppeling-af"] == D
    assert active(signal) == {"terugkoppeling-melder"}


def test_west_friesland_acute_signal_is_due_within_four_hours(world):
    """Seed 000 §4.2: "Een signal dat binnen de gemeente wordt opgepikt (stap 1), kan acuut zijn (hard signaal)." """
    install(world, "west-friesland")
    before = timezone.now()
    signal = make_signal(world.melder_a, is_acute=True)
    step = SignalRoute.objects.get(signal=signal).steps.get(key="af-geinformeerd-acuut")
    assert step.state == A
    assert before + timedelta(hours=4) <= step.due_at <= timezone.now() + timedelta(hours=4)
    assert states(signal)["af-geinformeerd"] == S


def test_west_friesland_prostitution_branch_goes_to_the_pct_alongside_the_local_meeting(world):
    """Seed 000 §4.2: "In het geval van prostitutie wordt er contact opgenomen met het Prostitutie Controle Team
    (PCT) (Stap 4)." """
    install(world, "west-friesland")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal, forms=("sexual",), sector="sex_work")
    assert active(signal) == {"ondermijningsoverleg", "prostitutie-controle-team"}
    services.record_route_event(signal, event="referral_sent", target="pct", actor=world.af_a)
    assert active(signal) == {"ondermijningsoverleg"}  # the group moves on only when both are done


def test_west_friesland_minor_goes_to_veilig_thuis(world):
    """Seed 000 bijlage: "Op grond van de Jeugdwet zijn gemeenten verantwoordelijk voor minderjarige slachtoffers"."""
    install(world, "west-friesland")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal, minor=True)
    assert "minderjarige-veilig-thuis" in active(signal)


def test_west_friesland_without_suspicion_skips_riec_informatieplein_and_partner_feedback(world):
    """Seed 000 §4.2: "Indien het om een vermoeden van mensenhandel gaat ..." — without one, no RIEC, no
    informatieplein, and no partner to feed back to the AF; the reporter still hears back."""
    install(world, "west-friesland")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal, assessment="none", forms=())
    decide(world, signal, "undermining", Decision.NO_TRAFFICKING)
    assert states(signal)["riec"] == S
    assert states(signal)["informatieplein"] == S
    assert states(signal)["terugkoppeling-af"] == S
    assert active(signal) == {"terugkoppeling-melder"}


# --- Noord- en Midden-Limburg (seed 003 §4.2, §5.1, §6.3) ----------------------------------------------

def test_limburg_soft_signal_is_enriched_beside_the_next_weekly_screeningsoverleg(world):
    """Seed 003 §4.2: "Bij een niet-acuut signaal (zacht signaal), wordt dit ingebracht bij het (wekelijkse)
    screeningsoverleg, via het ZVH (stap 4, 5 en 6). In de tussentijd kan uiteraard al het signaal worden verrijkt
    met informatie (intern en/of extern)." Enrichment runs beside the meeting step; it does not gate it."""
    install(world, "noord-midden-limburg")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    assert {k for k, v in states(signal).items() if v == S} >= {"schakelen-netwerkpartners",
                                                                 "minderjarige-veilig-thuis"}
    assert active(signal) == {"verrijken", "screeningsoverleg"}
    # The next weekly table: due within 5 working days of picking up (the cap when no table is planned), not after
    # 5 + 7 working days. (Working days: across Easter a week of the calendar is not enough.)
    picked = step_of(signal, "screeningsoverleg").activated_at
    assert step_of(signal, "screeningsoverleg").due_at <= add_working_days(picked, 5)
    assert actor_and_deadline(signal, "screeningsoverleg") == ("meeting", None, 5)
    assert step_of(signal, "verrijken").alongside

    # The table decides before the AF classified: the route moves on, enrichment stays open beside it.
    decide(world, signal, "screening", Decision.CASE)
    assert active(signal) == {"verrijken", "casus-starten"}
    classify(world, signal, side="victim")
    assert active(signal) == {"casus-starten"}


def test_limburg_soft_signal_goes_through_the_screeningsoverleg_to_a_case_and_steps_8_and_9(world):
    """Seed 003 §5.1: "Als de signalen van uitbuiting voldoende concreet zijn wordt een casus opgestart. Signalen
    worden geregistreerd in het ZVH-systeem én in het politie-systeem". §4.2: "De terugkoppeling aan de
    aandachtsfunctionaris (stap 8) en de terugkoppeling aan de melder van het signaal (stap 9)" """
    install(world, "noord-midden-limburg")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal, side="victim")
    assert active(signal) == {"screeningsoverleg"}

    decide(world, signal, "screening", Decision.CASE)
    assert active(signal) == {"casus-starten"}
    assert actor_and_deadline(signal, "casus-starten") == ("zvh", None, 10)
    assert states(signal)["doorverwijzen"] == S
    services.record_route_event(signal, event="case_opened", actor=world.procesregisseur)
    assert active(signal) == {"terugkoppeling-af"}
    assert actor_and_deadline(signal, "terugkoppeling-af") == ("partner", None, 10)
    services.record_route_event(signal, event="referral_sent", target="police", actor=world.af_a)
    assert active(signal) == {"terugkoppeling-af"}  # sending is not feedback
    services.record_route_event(signal, event="outcome_returned", target="police", actor=world.partner)
    assert active(signal) == {"terugkoppeling-melder"}
    triage_services.give_feedback(signal, actor=world.af_a, text="Dank u; het signaal is opgepakt.")
    assert set(states(signal).values()) <= {D, S}


def test_limburg_acute_signal_switches_with_partners_and_goes_to_the_zvh_at_once(world):
    """Seed 003 §4.2: "moet dan direct schakelen met relevante netwerkpartners én geeft dit ook door aan het ZVH
    voor het (wekelijkse) screeningsoverleg." §5.1: "direct overlegd met AVIM, Veilig Thuis en/of
    Arbeidsinspectie" """
    install(world, "noord-midden-limburg")
    signal = make_signal(world.melder_a, is_acute=True)
    assert actor_and_deadline(signal, "af-geinformeerd-acuut") == ("af", 4, None)
    pick_up(world, signal)
    assert active(signal) == {"schakelen-netwerkpartners", "screeningsoverleg", "verrijken"}
    assert actor_and_deadline(signal, "schakelen-netwerkpartners") == ("af", 4, None)


@pytest.mark.parametrize("partner_type", ["police", "veilig_thuis", "labour_inspectorate"])
def test_limburg_a_referral_to_avim_veilig_thuis_or_the_inspectorate_completes_direct_schakelen(world, partner_type):
    """Seed 003 §5.1: "Zijn signalen wel accuut, dan wordt direct overlegd met AVIM, Veilig Thuis en/of
    Arbeidsinspectie" — the referral itself completes the step, no hand tick."""
    install(world, "noord-midden-limburg")
    signal = make_signal(world.melder_a, is_acute=True)
    pick_up(world, signal)
    services.record_route_event(signal, event="referral_sent", target=partner_type, actor=world.af_a)
    assert states(signal)["schakelen-netwerkpartners"] == D
    assert active(signal) == {"screeningsoverleg", "verrijken"}


def test_limburg_a_referral_to_another_partner_does_not_complete_direct_schakelen(world):
    """Seed 003 §5.1 names AVIM, Veilig Thuis and the Arbeidsinspectie; a referral to SHOP is not that."""
    install(world, "noord-midden-limburg")
    signal = make_signal(world.melder_a, is_acute=True)
    pick_up(world, signal)
    services.record_route_event(signal, event="referral_sent", target="shop", actor=world.af_a)
    assert states(signal)["schakelen-netwerkpartners"] == A


def test_limburg_monitor_keeps_the_signal_on_the_screeningsoverleg(world):
    """Seed 003 §5.1: "worden signalen gewogen en verrijkt en wordt de route/aanpak bepaald" — or weighed again."""
    install(world, "noord-midden-limburg")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal)
    assert decide(world, signal, "screening", Decision.MONITOR) == []
    assert active(signal) == {"screeningsoverleg"}


def test_limburg_no_trafficking_skips_to_the_feedback_for_the_reporter(world):
    """Seed 003 §4.2: "... of kunnen concluderen dat het niet om mensenhandel gaat"; the reporter hears back (stap
    9)."""
    install(world, "noord-midden-limburg")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal, assessment="none", forms=())
    decide(world, signal, "screening", Decision.NO_TRAFFICKING)
    assert active(signal) == {"terugkoppeling-melder"}
    assert states(signal)["terugkoppeling-af"] == S


def test_limburg_refer_decision_activates_the_referral_step_and_the_outcome_completes_step_8(world):
    """Seed 003 §5.1: "wordt de route/aanpak bepaald"; §4.2: "De terugkoppeling aan de aandachtsfunctionaris (stap
    8)" — the partner's returned outcome."""
    install(world, "noord-midden-limburg")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal)
    decide(world, signal, "screening", Decision.REFER, refer_to="labour_inspectorate")
    assert active(signal) == {"doorverwijzen"}
    services.record_route_event(signal, event="referral_sent", target="labour_inspectorate", actor=world.af_a)
    assert active(signal) == {"terugkoppeling-af"}
    services.record_route_event(signal, event="outcome_returned", target="labour_inspectorate", actor=world.af_a)
    assert active(signal) == {"terugkoppeling-melder"}


# --- Rijswijk (seed 004, concept) --------------------------------------------------------------------

def test_rijswijk_concept_registers_follows_and_forwards_victims_to_shop(world):
    """Seed 004 §3: "een aandachtfunctionaris die belast wordt met het registreren en het (laten) (op)volgen van
    signalen"; Pijler 3: "Voor directe hulpverlening zal de gemeente meldingen doorgeleiden naar SHOP." """
    install(world, "rijswijk")
    signal = make_signal(world.melder_a)
    assert active(signal) == {"centraal-meldpunt"}
    pick_up(world, signal)
    assert active(signal) == {"registreren-en-duiden"}
    classify(world, signal, side="victim", forms=("sexual",))
    assert active(signal) == {"doorgeven-juiste-partij", "shop"}
    assert states(signal)["arbeidsinspectie"] == S
    services.record_route_event(signal, event="referral_sent", target="shop", actor=world.af_a)
    assert active(signal) == {"terugkoppeling-melder"}


def test_rijswijk_labour_exploitation_goes_to_the_inspectorate(world):
    """Seed 004 Pijler 2: "Als het gaat om arbeidsuitbuiting ... is onder meer de Inspectie SZW verantwoordelijk. In
    voorkomende gevallen zal de gemeente zorgdragen voor meldingen." """
    install(world, "rijswijk")
    signal = make_signal(world.melder_a)
    pick_up(world, signal)
    classify(world, signal, side="perpetrator", forms=("labour",), meldcode=True)
    assert active(signal) == {"doorgeven-juiste-partij", "arbeidsinspectie", "meldcode"}


def test_rijswijk_ships_as_a_concept():
    """SPEC C5: Rijswijk "ships as a concept preset" — it has no step plan of its own yet."""
    assert "rijswijk" in CONCEPT_PRESETS
    assert "concept" in str(PRESETS["rijswijk"])
    assert load_preset("rijswijk")["concept"] is True


@pytest.mark.parametrize("slug", sorted(PRESETS))
def test_every_step_of_every_preset_cites_its_source(slug):
    """SPEC C5: "Every preset step cites its source paragraph." """
    for step in load_preset(slug)["steps"]:
        assert step.get("source", "").startswith("Seed 00"), (slug, step["key"])
        assert "§" in step["source"] or "Pijler" in step["source"] or "bijlage" in step["source"], step["key"]
        assert '"' in step["source"], (slug, step["key"])  # the plan's own sentence, quoted


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
