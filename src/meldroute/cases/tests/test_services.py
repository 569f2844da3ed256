"""The case services: every rule and refusal, with exactly one audit event per successful write."""

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.utils import timezone

from meldroute.audit.models import AuditEvent
from meldroute.cases import services
from meldroute.cases.constants import (
    ALLOWED_TRANSITIONS,
    REASON_REQUIRED,
    ActionStatus,
    CaseResult,
    CaseRole,
    CaseStatus,
    ComplexityCriterion,
    InterventionKind,
)
from meldroute.cases.models import Case, CaseStatusChange, Intervention
from meldroute.core.exceptions import DomainError
from meldroute.routing.constants import StepState
from meldroute.triage import services as triage_services
from meldroute.triage.constants import Assessment

from .conftest import concrete_signal

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@contextmanager
def one_event(action: str):
    """Exactly one case audit event, with this action, is written by the block."""
    before = AuditEvent.objects.filter(action__startswith="case.").count()
    yield
    events = list(AuditEvent.objects.filter(action__startswith="case.").order_by("id")[before:])
    assert [e.action for e in events] == [action]


@contextmanager
def refused(message: str, field: str | None = None):
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as error:
        yield
    assert message in error.value.message
    if field is not None:
        assert error.value.field == field
    assert AuditEvent.objects.count() == before  # a refusal writes nothing


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


# --- Opening -------------------------------------------------------------------------------------------------------

def test_opening_a_case_numbers_it_per_municipality_and_completes_the_route_step(world, signal):
    step = signal.route.steps.get(key="casus")
    assert step.state == StepState.ACTIVE
    with one_event("case.opened"):
        case = services.open_case(actor=world.af_a, signals=[signal], title="  Nagelsalon   Dorpsstraat ")
    year = timezone.localdate().year
    assert case.reference == f"CS-GM8901-{year}-001" and case.title == "Nagelsalon Dorpsstraat"
    assert case.status == CaseStatus.OPENED and list(case.signals.all()) == [signal]
    assert list(case.status_changes.values_list("to_status", flat=True)) == [CaseStatus.OPENED]
    step.refresh_from_db()
    assert step.state == StepState.DONE and step.completed_by == world.af_a
    assert signal.route.steps.get(key="terugkoppeling").state == StepState.ACTIVE
    second = services.open_case(actor=world.af_a, signals=[concrete_signal(world)], title="Loods")
    other = services.open_case(actor=world.af_b, signals=[concrete_signal(world, world.melder_b, world.af_b)],
                               title="Kas")
    assert second.reference.endswith("-002") and other.reference == f"CS-GM8902-{year}-001"


def test_a_case_combines_signals_of_one_municipality(world, route, signal):
    other = concrete_signal(world, reporter=world.melder_a2)
    case = services.open_case(actor=world.af_a, signals=[signal, other], title="Kwekerij")
    assert set(case.signals.all()) == {signal, other}
    assert other.route.steps.get(key="casus").state == StepState.DONE


@pytest.mark.parametrize("who", ["af_b", "af_c", "partner", "procesregisseur", "melder_a", "beheerder"])
def test_only_an_af_of_the_municipality_opens_a_case(world, signal, who):
    # The reporter sees their own signal, but is no AF; the others do not even see it.
    message = "Alleen een aandachtsfunctionaris" if who == "melder_a" else "alleen signalen gebruiken die u mag inzien"
    with refused(message):
        services.open_case(actor=getattr(world, who), signals=[signal], title="X")
    assert not Case.objects.exists()


def test_opening_refusals(world, route, signal):
    with refused("minstens één signaal", "signals"):
        services.open_case(actor=world.af_a, signals=[], title="X")
    with refused("werktitel", "title"):
        services.open_case(actor=world.af_a, signals=[signal], title="   ")
    with refused("hoogstens 120 tekens", "title"):
        services.open_case(actor=world.af_a, signals=[signal], title="x" * 121)
    with refused("Zorg- en Veiligheidshuis", "zvh"):
        services.open_case(actor=world.af_a, signals=[signal], title="X", zvh=world.police)
    from tests.factories import make_signal

    unclassified = make_signal(world.melder_a)
    with refused(f"classificeer eerst als (mogelijk) mensenhandel: {unclassified.reference}", "signals"):
        services.open_case(actor=world.af_a, signals=[signal, unclassified], title="X")
    none = concrete_signal(world, assessment=Assessment.NONE)
    with refused(none.reference, "signals"):
        services.open_case(actor=world.af_a, signals=[none], title="X")
    triage_services.cancel_signal(signal, actor=world.af_a, text="Dubbel")
    with refused("geannuleerd", "signals"):
        services.open_case(actor=world.af_a, signals=[signal], title="X")
    assert not Case.objects.exists()


def test_signals_of_two_municipalities_are_refused(world, route, signal):
    # An AF of A cannot see B's signal; even a mixed set that is visible must be one municipality.
    signal_b = concrete_signal(world, world.melder_b, world.af_b)
    with refused("mag inzien", "signals"):
        services.open_case(actor=world.af_a, signals=[signal, signal_b], title="X")


# --- Team ----------------------------------------------------------------------------------------------------------

def test_assigning_the_case_team(world, case):
    with one_event("case.member_assigned"):
        services.assign_member(case, actor=world.af_a, user=world.casusregisseur, role=CaseRole.CASUSREGISSEUR)
    # The casusregisseur now manages the case and adds the zorgcoördinator.
    with one_event("case.member_assigned"):
        services.assign_member(case, actor=world.casusregisseur, user=world.zorgcoordinator,
                               role=CaseRole.ZORGCOORDINATOR)
    assert set(case.members.values_list("role", flat=True)) == {CaseRole.CASUSREGISSEUR, CaseRole.ZORGCOORDINATOR}
    assert Case.objects.visible_to(world.casusregisseur).filter(pk=case.pk).exists()


def test_a_procesregisseur_needs_a_complex_case_with_criteria_and_brings_it_into_the_zvh(world, case):
    with refused("leg eerst vast waarom deze casus complex is", "role"):
        services.assign_member(case, actor=world.af_a, user=world.procesregisseur, role=CaseRole.PROCESREGISSEUR)
    with refused("minstens één criterium", "criteria"):
        services.mark_complex(case, actor=world.af_a, criteria=[])
    with refused("Onbekend criterium", "criteria"):
        services.mark_complex(case, actor=world.af_a, criteria=["astrology"])
    with one_event("case.marked_complex"):
        services.mark_complex(case, actor=world.af_a, criteria=[ComplexityCriterion.MULTIPLE_DOMAINS,
                                                                 ComplexityCriterion.HIGH_SAFETY_RISK])
    assert case.is_complex and case.complexity_criteria == ["high_safety_risk", "multiple_domains"]
    with one_event("case.member_assigned"):
        services.assign_member(case, actor=world.af_a, user=world.procesregisseur, role=CaseRole.PROCESREGISSEUR)
    case.refresh_from_db()
    assert case.zvh == world.zvh


@pytest.mark.parametrize("role, who, message", [
    (CaseRole.CASUSREGISSEUR, "partner", "casusregisseur of aandachtsfunctionaris uit de eigen regio"),
    (CaseRole.CASUSREGISSEUR, "af_c", "casusregisseur of aandachtsfunctionaris uit de eigen regio"),
    (CaseRole.ZORGCOORDINATOR, "casusregisseur", "zorgcoördinator mensenhandel"),
    (CaseRole.MEMBER, "melder_a", "ketenpartner of gemeente in de eigen regio"),
    (CaseRole.MEMBER, "partner2", "ketenpartner of gemeente in de eigen regio"),
])
def test_team_members_must_fit_the_role_and_the_region(world, case, role, who, message):
    with refused(message, "user"):
        services.assign_member(case, actor=world.af_a, user=getattr(world, who), role=role)


def test_team_refusals_for_outsiders_duplicates_and_ending(world, team_case):
    case = team_case
    for outsider in (world.af_b, world.zorgcoordinator, world.partner):  # a zorgcoördinator member does not manage
        with refused("Alleen de casusregie"):
            services.assign_member(case, actor=outsider, user=world.af_a2, role=CaseRole.MEMBER)
    with refused("heeft deze rol al", "user"):
        services.assign_member(case, actor=world.af_a, user=world.casusregisseur, role=CaseRole.CASUSREGISSEUR)
    member = case.members.get(user=world.zorgcoordinator)
    with one_event("case.member_ended"):
        services.end_membership(member, actor=world.af_a)
    assert not Case.objects.visible_to(world.zorgcoordinator).exists()
    with refused("al geen lid meer"):
        services.end_membership(member, actor=world.af_a)


# --- Status --------------------------------------------------------------------------------------------------------

def _put_case_in(case, status, actor):
    """Force a status directly (test set-up only) with a matching result for closed cases."""
    Case.objects.filter(pk=case.pk).update(status=status,
                                           result=CaseResult.NO_TRAFFICKING if status == CaseStatus.CLOSED else "")
    case.refresh_from_db()


@pytest.mark.parametrize("from_status", CaseStatus.values)
@pytest.mark.parametrize("to_status", CaseStatus.values)
def test_every_status_pair_follows_the_transition_table(world, case, from_status, to_status):
    _put_case_in(case, from_status, world.af_a)
    allowed = to_status in ALLOWED_TRANSITIONS[from_status]
    kwargs = {"text": "Reden" if to_status in REASON_REQUIRED else "",
              "result": CaseResult.VICTIM_SAFE if to_status == CaseStatus.CLOSED else ""}
    if allowed:
        with one_event("case.status_changed"):
            services.change_case_status(case, actor=world.af_a, to_status=to_status, **kwargs)
        case.refresh_from_db()
        assert case.status == to_status
        change = case.status_changes.last()
        assert (change.from_status, change.to_status, change.actor) == (from_status, to_status, world.af_a)
    else:
        with refused("kan niet naar", "to_status"):
            services.change_case_status(case, actor=world.af_a, to_status=to_status, **kwargs)
        case.refresh_from_db()
        assert case.status == from_status


def test_closing_needs_a_result_and_no_open_actions(world, team_case):
    case = team_case
    with refused("Kies het resultaat", "result"):
        services.change_case_status(case, actor=world.casusregisseur, to_status=CaseStatus.CLOSED)
    with refused("Licht het resultaat 'anders' toe", "text"):
        services.change_case_status(case, actor=world.casusregisseur, to_status=CaseStatus.CLOSED,
                                    result=CaseResult.OTHER)
    for _ in range(2):
        services.add_action(case, actor=world.af_a, description="Bibob-toets starten", deadline=tomorrow(),
                            owner_user=world.casusregisseur)
    with refused("Er staan nog 2 open acties", "to_status"):
        services.change_case_status(case, actor=world.casusregisseur, to_status=CaseStatus.CLOSED,
                                    result=CaseResult.ADMINISTRATIVE)
    first, second = case.actions.all()
    services.complete_action(first, actor=world.casusregisseur)
    services.cancel_action(second, actor=world.casusregisseur, reason="Niet meer nodig")
    with one_event("case.status_changed"):
        services.change_case_status(case, actor=world.casusregisseur, to_status=CaseStatus.CLOSED,
                                    result=CaseResult.ADMINISTRATIVE, text="Pand gesloten")
    case.refresh_from_db()
    assert case.result == CaseResult.ADMINISTRATIVE and case.result_text == "Pand gesloten" and case.closed_at
    with refused("Heropen de casus eerst"):
        services.add_action(case, actor=world.af_a, description="Nog iets", deadline=tomorrow(),
                            owner_user=world.af_a)


def test_suspending_and_reopening_need_a_reason(world, case):
    with refused("Geef de reden op", "text"):
        services.change_case_status(case, actor=world.af_a, to_status=CaseStatus.SUSPENDED, text="  ")
    services.change_case_status(case, actor=world.af_a, to_status=CaseStatus.SUSPENDED, text="Wacht op OM")
    services.change_case_status(case, actor=world.af_a, to_status=CaseStatus.CLOSED,
                                result=CaseResult.PROSECUTION)
    with refused("Geef de reden op", "text"):
        services.change_case_status(case, actor=world.af_a, to_status=CaseStatus.REOPENED)
    services.change_case_status(case, actor=world.af_a, to_status=CaseStatus.REOPENED, text="Nieuw signaal")
    case.refresh_from_db()
    assert case.status == CaseStatus.REOPENED and case.result == "" and case.closed_at is None
    texts = list(CaseStatusChange.objects.filter(case=case).values_list("text", flat=True))
    assert "Wacht op OM" in texts and "Nieuw signaal" in texts


@pytest.mark.parametrize("who", ["af_b", "zorgcoordinator", "partner", "procesregisseur"])
def test_only_the_regie_changes_the_status(world, team_case, who):
    with refused("Alleen de casusregie"):
        services.change_case_status(team_case, actor=getattr(world, who), to_status=CaseStatus.PLAN)


# --- Plan van aanpak -------------------------------------------------------------------------------------------------

def test_an_action_has_exactly_one_owner_and_a_sensible_deadline(world, team_case):
    case = team_case
    with refused("Kies één eigenaar", "owner_user"):
        services.add_action(case, actor=world.af_a, description="X", deadline=tomorrow())
    with refused("Kies één eigenaar", "owner_user"):
        services.add_action(case, actor=world.af_a, description="X", deadline=tomorrow(), owner_user=world.af_a,
                            owner_organisation=world.police)
    with refused("Beschrijf de actie", "description"):
        services.add_action(case, actor=world.af_a, description=" ", deadline=tomorrow(), owner_user=world.af_a)
    with refused("ligt in het verleden", "deadline"):
        services.add_action(case, actor=world.af_a, description="X", deadline=timezone.localdate() - timedelta(1),
                            owner_user=world.af_a)
    with refused("meer dan twee jaar vooruit", "deadline"):
        services.add_action(case, actor=world.af_a, description="X", deadline=date(9999, 12, 31),
                            owner_user=world.af_a)
    with refused("geldige datum", "deadline"):
        services.add_action(case, actor=world.af_a, description="X", deadline="2026-02-30", owner_user=world.af_a)
    with refused("iemand uit het casusteam", "owner_user"):
        services.add_action(case, actor=world.af_a, description="X", deadline=tomorrow(), owner_user=world.af_b)
    with refused("ketenpartner uit de eigen regio", "owner_organisation"):
        services.add_action(case, actor=world.af_a, description="X", deadline=tomorrow(),
                            owner_organisation=world.police2)
    with one_event("case.action_added"):
        by_police = services.add_action(case, actor=world.af_a, description="Controle", deadline=tomorrow(),
                                        owner_organisation=world.police)
    assert by_police.owner_label == world.police.name and by_police.status == ActionStatus.OPEN
    with one_event("case.action_added"):
        today = services.add_action(case, actor=world.casusregisseur, description="Bellen",
                                    deadline=timezone.localdate(), owner_user=world.zorgcoordinator)
    assert today.owner_label == world.zorgcoordinator.get_full_name()


def test_finishing_cancelling_and_postponing_actions(world, team_case):
    case = team_case
    action = services.add_action(case, actor=world.af_a, description="Intake", deadline=tomorrow(),
                                 owner_user=world.zorgcoordinator)
    with refused("Geef de reden", "reason"):
        services.postpone_action(action, actor=world.af_a, deadline=tomorrow() + timedelta(days=7), reason="")
    with one_event("case.action_postponed"):
        services.postpone_action(action, actor=world.af_a, deadline=tomorrow() + timedelta(days=7),
                                 reason="Slachtoffer in bedenktijd")
    assert "Slachtoffer in bedenktijd" in action.note
    with refused("Alleen de eigenaar of de casusregie"):
        services.complete_action(action, actor=world.af_b)
    # The owner (a care-only zorgcoördinator) may say it is done, but may not cancel it.
    with refused("Alleen de casusregie"):
        services.cancel_action(action, actor=world.zorgcoordinator, reason="x")
    with one_event("case.action_completed"):
        services.complete_action(action, actor=world.zorgcoordinator, note="Intake gedaan")
    assert action.status == ActionStatus.DONE and action.done_at
    with refused("al gedaan"):
        services.complete_action(action, actor=world.af_a)
    other = services.add_action(case, actor=world.af_a, description="Y", deadline=tomorrow(), owner_user=world.af_a)
    with refused("Geef de reden op waarom", "reason"):
        services.cancel_action(other, actor=world.af_a, reason=" ")
    with one_event("case.action_cancelled"):
        services.cancel_action(other, actor=world.af_a, reason="Dubbel")
    assert other.status == ActionStatus.CANCELLED


# --- Interventions -----------------------------------------------------------------------------------------------

def test_an_intervention_on_a_case_gets_its_default_legal_basis(world, team_case):
    with one_event("case.intervention_recorded"):
        bibob = services.record_intervention(actor=world.casusregisseur, case=team_case, kind=InterventionKind.BIBOB,
                                             decided_on=timezone.localdate())
    assert bibob.legal_basis.startswith("Wet Bibob") and bibob.municipality == world.a and bibob.result == ""
    with one_event("case.intervention_result"):
        services.record_intervention_result(bibob, actor=world.af_a, result="Ernstig gevaar: vergunning geweigerd")
    closure = services.record_intervention(actor=world.af_a, case=team_case, kind=InterventionKind.CLOSURE,
                                           decided_on=timezone.localdate(), legal_basis="art. 13b Opiumwet",
                                           result="Pand 3 maanden gesloten")
    assert closure.legal_basis == "art. 13b Opiumwet"
    with refused("Alleen de casusregie"):
        services.record_intervention(actor=world.zorgcoordinator, case=team_case, kind=InterventionKind.DWANGSOM,
                                     decided_on=timezone.localdate())


def test_an_intervention_on_an_address_without_a_case(world):
    today = timezone.localdate()
    with one_event("case.intervention_recorded"):
        control = services.record_intervention(actor=world.af_a, municipality=world.a,
                                               kind=InterventionKind.CONTROL_DAY, decided_on=today + timedelta(30),
                                               address="Kasweg 3, Aadorp", kvk_number="1234 5678")
    assert control.case is None and control.kvk_number == "12345678"
    with refused("Alleen een aandachtsfunctionaris"):
        services.record_intervention(actor=world.af_b, municipality=world.a, kind=InterventionKind.BIBOB,
                                     decided_on=today, address="Kasweg 3")
    with refused("Vul een adres, bedrijfsnaam of KvK-nummer in", "address"):
        services.record_intervention(actor=world.af_a, municipality=world.a, kind=InterventionKind.BIBOB,
                                     decided_on=today)
    with refused("8 cijfers", "kvk_number"):
        services.record_intervention(actor=world.af_a, municipality=world.a, kind=InterventionKind.BIBOB,
                                     decided_on=today, kvk_number="12AB")
    with refused("meer dan een jaar in de toekomst", "decided_on"):
        services.record_intervention(actor=world.af_a, municipality=world.a, kind=InterventionKind.BIBOB,
                                     decided_on=today + timedelta(days=400), address="Kasweg 3")
    with refused("vóór 2000", "decided_on"):
        services.record_intervention(actor=world.af_a, municipality=world.a, kind=InterventionKind.BIBOB,
                                     decided_on=date(1899, 1, 1), address="Kasweg 3")
    with refused("Kies de soort", "kind"):
        services.record_intervention(actor=world.af_a, municipality=world.a, kind="tank", decided_on=today,
                                     address="Kasweg 3")
    assert Intervention.objects.count() == 1


def test_linking_a_later_signal_to_the_case(world, case, signal):
    later = concrete_signal(world, reporter=world.melder_a2)
    with refused("hoort al bij de casus", "signal"):
        services.link_signal(case, actor=world.af_a, signal=signal)
    signal_b = concrete_signal(world, world.melder_b, world.af_b)
    with refused("van dezelfde gemeente", "signal"):
        services.link_signal(case, actor=world.af_a, signal=signal_b)
    with refused("Alleen de casusregie"):
        services.link_signal(case, actor=world.af_b, signal=later)
    with one_event("case.signal_linked"):
        services.link_signal(case, actor=world.af_a, signal=later)
    assert set(case.signals.all()) == {signal, later}
    assert later.route.steps.get(key="casus").state == StepState.DONE


def test_an_intervention_result_needs_text_and_the_right_person(world, case):
    bibob = services.record_intervention(actor=world.af_a, case=case, kind=InterventionKind.BIBOB,
                                         decided_on=timezone.localdate())
    with refused("Beschrijf het resultaat", "result"):
        services.record_intervention_result(bibob, actor=world.af_a, result=" ")
    with refused("Alleen de casusregie"):
        services.record_intervention_result(bibob, actor=world.af_b, result="Geweigerd")
    loose = services.record_intervention(actor=world.af_a, municipality=world.a, kind=InterventionKind.BIBOB,
                                         decided_on=timezone.localdate(), business_name="Kapsalon")
    with refused("Alleen een aandachtsfunctionaris"):
        services.record_intervention_result(loose, actor=world.af_b, result="Geweigerd")
    with one_event("case.intervention_result"):
        services.record_intervention_result(loose, actor=world.af_a2, result="Geweigerd")
