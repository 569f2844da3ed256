"""Bad input (SPEC §3) for cases, persons and care: never a 500, never a half-written record, never lost input.

Hypothesis throws random and malformed values at every POST of the case pages (open, status, team, plan van aanpak,
interventions), the person pages (add, change, consent, overrides, CoMensha) and the care pages (trajectory,
placements, bedenktijd, permit steps, responsible municipality), and at the cases API, as a user who is allowed to
act. Every request ends one of two ways: a complete success (the rows and their audit event) or nothing written at
all, with a Dutch message at the field and the typed text kept (HTML) or a structured 4xx (API).
"""

import json
import re
import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import event, example, given
from hypothesis import strategies as st

from meldroute.audit.models import AuditEvent
from meldroute.care import services as care_services
from meldroute.care.constants import PermitEventKind, PlacementKind, ReflectionKind, ResidenceStatus
from meldroute.care.models import CareTrajectory, PermitEvent, Placement, ReflectionPeriod
from meldroute.cases import services as case_services
from meldroute.cases.constants import (
    CaseResult,
    CaseRole,
    CaseStatus,
    ComplexityCriterion,
    InterventionKind,
)
from meldroute.cases.models import Case, CaseAction, CaseMember, CaseStatusChange, Intervention
from meldroute.intake.constants import SignalStatus
from meldroute.partners.constants import LegalGround, PartnerType
from meldroute.persons import services as person_services
from meldroute.persons.constants import (
    Citizenship,
    ConsentGivenBy,
    ConsentKind,
    Gender,
    PersonRole,
    RecruiterRelation,
    SexSector,
    VictimStatus,
)
from meldroute.persons.models import Consent, ConsentOverride, Person
from meldroute.triage import services as triage_services
from meldroute.triage.constants import Assessment, ExploitationForm, MeansOfControl, Sector
from tests.factories import make_api_token, make_signal
from tests.test_bad_input import (
    DATE_TEXT,
    FIELD_NAMES,
    FUZZ,
    JSON_ANY,
    JSON_LEAVES,
    NASTY_TEXT,
    TEXT,
    assert_structured_error,
)

pytestmark = pytest.mark.clock  # reads the clock: run again at awkward moments (scripts/test.sh)

BSN_A, BSN_B, BSN_C = "111222333", "123456782", "999999990"  # elfproef-valid, fictional

# --- Shared checks ----------------------------------------------------------------------------------------------

MODELS = {
    "cases": Case, "members": CaseMember, "history": CaseStatusChange, "actions": CaseAction,
    "interventions": Intervention, "case_signals": Case.signals.through, "persons": Person, "consents": Consent,
    "overrides": ConsentOverride, "trajectories": CareTrajectory, "placements": Placement,
    "reflection": ReflectionPeriod, "permits": PermitEvent,
}


def counts() -> dict:
    return {name: model.objects.count() for name, model in MODELS.items()}


def snapshot() -> dict:
    """Every row of the three apps, every column: a refused request must leave this exactly as it was."""
    rows = {name: [tuple(getattr(row, f.attname) for f in model._meta.concrete_fields)
                   for row in model.objects.order_by("pk")] for name, model in MODELS.items()}
    rows["audit"] = AuditEvent.objects.count()
    return rows


def last_audit_pk() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def audit_since(pk: int) -> list[str]:
    return list(AuditEvent.objects.filter(pk__gt=pk).order_by("pk").values_list("action", flat=True))


def assert_complete(before_counts: dict, audit_pk: int, *, rows: dict, audit: list[str]) -> None:
    """A success wrote exactly these rows and these audit events, nothing else."""
    delta = {name: value - before_counts[name] for name, value in counts().items()}
    assert delta == {name: rows.get(name, 0) for name in MODELS}, delta
    assert audit_since(audit_pk) == audit


# Built-in Django/DRF messages that slipped through untranslated would match one of these.
ENGLISH = re.compile(r"\b(this field|enter a|select a|ensure (this|that)|null characters?|not a valid|is required|"
                     r"invalid|expected a|must be|make sure|does not exist|incorrect type|a valid|not allowed|"
                     r"please|value)\b", re.IGNORECASE)
ERROR_TEXT = re.compile(r'<div class="utrecht-form-field-error-message"[^>]*>(.*?)</div>'
                        r'|<div class="utrecht-alert utrecht-alert--error[^>]*>.*?</div>\s*</div>', re.S)


def error_messages(body: str) -> list[str]:
    found = []
    for match in ERROR_TEXT.finditer(body):
        text = re.sub(r"<[^>]+>", " ", match.group(0))
        found.append(" ".join(text.split()))
    return found


def assert_dutch_error_shown(response) -> str:
    """A refused form comes back (200) with at least one visible message, in Dutch."""
    body = response.content.decode()
    messages = error_messages(body)
    assert messages, "a refused form must say why"
    for message in messages:
        assert not ENGLISH.search(message), message
    return body


def assert_kept(body: str, payload: dict, *names: str) -> None:
    for name in names:
        value = payload.get(name)
        if isinstance(value, str):
            assert escape(value) in body, f"the typed {name} is lost"


def assert_dutch_api_error(response) -> None:
    assert_structured_error(response, response.status_code)
    body = response.json()
    texts = [body["detail"], *_strings(body["errors"])]
    for text in texts:
        assert not ENGLISH.search(text), text


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


# --- Strategies -------------------------------------------------------------------------------------------------
# A form is a dict of field name -> (valid, junk) strategies. Each request is then either wholly valid (to reach the
# success path, where the services' cross-field rules still refuse some), valid but for one junk or missing field
# (to check that one refusal), or chaos (any field missing or junk).

def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def past_date(days: int = 400):
    return st.integers(0, days).map(lambda d: day(-d))


def future_date(days: int = 300):
    return st.integers(0, days).map(day)


def near_date(days: int = 3 * 365):
    return st.integers(-days, days).map(day)


# Impossible (2024-02-30), malformed, far away (before 2000, decades ahead) or not a date at all.
JUNK_DATE = st.one_of(DATE_TEXT, TEXT, near_date(), st.integers(-60_000, 60_000).map(
    lambda d: (date(2000, 1, 1) + timedelta(days=d)).isoformat()))
OPTIONAL = st.just("")


def one_of_or_empty(values, empties: int = 1):
    return st.sampled_from([""] * empties + [str(v) for v in values])


def pick(values):
    return st.sampled_from([str(v) for v in values])


def many(values):
    return st.lists(st.one_of(st.sampled_from(list(values)), NASTY_TEXT, st.integers().map(str)), min_size=1,
                    max_size=3)


REF_JUNK = st.one_of(NASTY_TEXT, st.integers().map(str), st.uuids().map(str), st.just("99999999999999999999999"))


def field(valid, junk=TEXT):
    return (valid, junk)


@st.composite
def form_payload(draw, prefix: str, fields: dict) -> dict:
    mode = draw(st.sampled_from(["valid", "valid", "one_bad", "one_bad", "chaos"]), label="mode")
    bad = draw(st.sampled_from(list(fields)), label="bad field") if mode == "one_bad" and fields else None
    payload = draw(st.dictionaries(FIELD_NAMES, TEXT, max_size=2), label="extra fields")  # nobody asked for these
    for name, (valid, junk) in fields.items():
        key = f"{prefix}-{name}" if prefix else name
        if mode == "chaos" and not draw(st.booleans(), label=f"{name} sent"):
            payload.pop(key, None)
            continue
        if name == bad:
            value = draw(st.one_of(st.none(), junk), label=name)
        elif mode == "chaos":
            value = draw(st.one_of(valid, junk), label=name)
        else:
            value = draw(valid, label=name)
        if value is None:
            payload.pop(key, None)  # the field is missing
        else:
            payload[key] = value
    return payload


def sends_something(payload: dict) -> bool:
    """A browser always sends the form's fields (and the CSRF token); an empty POST just shows the blank form."""
    return any(value != [] for value in payload.values())


# --- Setup helpers ----------------------------------------------------------------------------------------------

def concrete_signal(world, reporter=None, af=None):
    signal = make_signal(reporter or world.melder_a, description="Bus haalt 's ochtends mannen op bij de loods.")
    triage_services.classify_signal(signal, actor=af or world.af_a, assessment=Assessment.SUSPECTED,
                                    forms=["labour"])
    return signal


def fresh_case(world, *, af=None, reporter=None) -> Case:
    af = af or world.af_a
    return case_services.open_case(actor=af, signals=[concrete_signal(world, reporter, af)], title="Loods Dijkweg")


def care_case(world) -> Case:
    """An open case of municipality A with a zorgcoördinator on its team."""
    case = fresh_case(world)
    case_services.assign_member(case, actor=world.af_a, user=world.zorgcoordinator, role=CaseRole.ZORGCOORDINATOR)
    return case


@pytest.fixture
def af_client(client, world):
    client.force_login(world.af_a)
    return client


@pytest.fixture
def foreign_case(world):
    """A case of municipality B: af_a may not see it, so every post to it is a 404 that writes nothing."""
    return fresh_case(world, af=world.af_b, reporter=world.melder_b)


def assert_not_found_changed_nothing(response, before: dict) -> None:
    assert response.status_code == 404
    assert snapshot() == before


# --- Opening a case ---------------------------------------------------------------------------------------------

@pytest.fixture
def open_case_pool(world):
    others = [concrete_signal(world) for _ in range(2)]
    unclassified = make_signal(world.melder_a)
    cancelled = concrete_signal(world)
    triage_services.cancel_signal(cancelled, actor=world.af_a, text="Dubbel gemeld.")
    assert cancelled.status == SignalStatus.CANCELLED
    of_b = concrete_signal(world, world.melder_b, world.af_b)
    return {"others": others, "unclassified": unclassified, "cancelled": cancelled, "of_b": of_b}


@FUZZ
@given(data=st.data())
def test_random_posts_to_open_a_case_open_one_complete_case_or_nothing(af_client, world, open_case_pool, data):
    pool = open_case_pool
    signal = data.draw(st.sampled_from(["new", "new", "new", "unclassified", "of_b", "random"]), label="signal")
    target = {"new": lambda: concrete_signal(world), "unclassified": lambda: pool["unclassified"],
              "of_b": lambda: pool["of_b"], "random": lambda: None}[signal]()
    signal_pks = [str(s.pk) for s in (*pool["others"], pool["unclassified"], pool["cancelled"], pool["of_b"])]
    payload = data.draw(form_payload("", {
        "title": field(st.sampled_from(["Loods Dijkweg", "  Nagelsalon   Dorpsstraat "])),
        "other_signals": field(st.lists(pick(signal_pks[:2]), max_size=2),
                               st.lists(st.one_of(pick(signal_pks), REF_JUNK), min_size=1, max_size=3)),
        "zvh": field(one_of_or_empty([world.zvh.pk]), st.one_of(pick([world.police.pk, world.a.pk]), REF_JUNK)),
    }), label="payload")
    url = reverse("cases:open", args=[target.uuid if target else uuid.uuid4()])
    before, before_counts, audit_pk = snapshot(), counts(), last_audit_pk()

    response = af_client.post(url, payload)

    event(f"status {response.status_code}")
    if target is None or target is pool["of_b"]:
        return assert_not_found_changed_nothing(response, before)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        case = Case.objects.order_by("-pk").first()
        assert response["Location"] == reverse("cases:detail", args=[case.uuid])
        linked = case.signals.count()
        assert_complete(before_counts, audit_pk, rows={"cases": 1, "history": 1, "case_signals": linked},
                        audit=["case.opened"])
        assert case.title == " ".join(payload["title"].split()) and case.municipality == world.a
        assert set(case.signals.values_list("municipality_id", flat=True)) == {world.a.pk}
        assert case.zvh in (None, world.zvh)
    else:
        assert snapshot() == before
        if sends_something(payload):
            body = assert_dutch_error_shown(response)
            assert_kept(body, payload, "title")


# --- The case page's panels -------------------------------------------------------------------------------------

PANEL_EFFECTS = {
    "status": ({"history": 1}, ["case.status_changed"]),
    "complex": ({}, ["case.marked_complex"]),
    "member": ({"members": 1}, ["case.member_assigned"]),
    "add_action": ({"actions": 1}, ["case.action_added"]),
    "intervention": ({"interventions": 1}, ["case.intervention_recorded"]),
}
PANEL_TEXT = {"status": ("status-text",), "add_action": ("add_action-description",),
              "intervention": ("intervention-legal_basis", "intervention-result")}


def panel_steps(world):
    people = [u.pk for u in (world.casusregisseur, world.procesregisseur, world.zorgcoordinator, world.af_a2,
                             world.af_b, world.af_c, world.partner, world.partner2, world.melder_a,
                             world.ketenregisseur)]
    per_action = {
        "status": {"to_status": field(pick(CaseStatus.values)), "result": field(one_of_or_empty(CaseResult.values)),
                   "text": field(st.sampled_from(["", "Het plan van aanpak is besproken."]))},
        "complex": {"criteria": field(st.lists(pick(ComplexityCriterion.values), min_size=1, max_size=2),
                                      many(ComplexityCriterion.values))},
        "member": {"role": field(pick(CaseRole.values)), "user": field(pick(people), REF_JUNK)},
        "add_action": {
            "description": field(st.just("Bibob-toets aanvragen")),
            "owner_user": field(one_of_or_empty([world.af_a.pk, world.af_a2.pk, world.casusregisseur.pk,
                                                 world.af_b.pk], empties=3), REF_JUNK),
            "owner_organisation": field(one_of_or_empty([world.police.pk, world.police2.pk, world.zvh.pk],
                                                        empties=3), REF_JUNK),
            "deadline": field(future_date(), JUNK_DATE)},
        "intervention": {"kind": field(pick(InterventionKind.values)),
                         "decided_on": field(near_date(300), JUNK_DATE),
                         "legal_basis": field(st.sampled_from(["", "art. 174a Gemeentewet"])),
                         "result": field(st.sampled_from(["", "Pand gesloten voor drie maanden."]))},
    }
    known = [st.tuples(st.just(action), form_payload(action, fields)) for action, fields in per_action.items()]
    unknown = st.tuples(st.from_regex(r"[a-z_-]{1,20}", fullmatch=True).filter(lambda a: a not in per_action),
                        st.just({}))
    return st.one_of(*known, unknown)


@FUZZ
@given(data=st.data())
def test_random_case_panel_posts_do_one_complete_step_or_change_nothing_and_keep_the_input(af_client, world,
                                                                                           foreign_case, data):
    case = fresh_case(world)
    # A sequence of posts on one fresh case: accepted steps move it on, so later posts meet other states.
    steps = data.draw(st.lists(st.tuples(st.sampled_from(["own"] * 5 + ["foreign", "random"]), panel_steps(world)),
                               min_size=1, max_size=4), label="steps")
    for which, (action, payload) in steps:
        target = {"own": case.uuid, "foreign": foreign_case.uuid, "random": uuid.uuid4()}[which]
        before, before_counts, audit_pk = snapshot(), counts(), last_audit_pk()

        response = af_client.post(reverse("cases:action", args=[target, action]), payload)

        event(f"{action}: {response.status_code}")
        if which != "own" or action not in PANEL_EFFECTS:
            assert_not_found_changed_nothing(response, before)
            continue
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert response["Location"] == reverse("cases:detail", args=[case.uuid])
            rows, audit = PANEL_EFFECTS[action]
            assert_complete(before_counts, audit_pk, rows=rows, audit=audit)
        else:
            assert snapshot() == before, "a refused form must not leave a partial record"
            body = assert_dutch_error_shown(response)
            case.refresh_from_db()
            if case.is_open or action == "status":  # a closed case offers only the status panel
                assert_kept(body, payload, *PANEL_TEXT.get(action, ()))
    case.refresh_from_db()
    assert case.status != CaseStatus.CLOSED or case.result  # the database would refuse it anyway


def test_a_post_to_a_case_closed_meanwhile_says_why_in_dutch(af_client, world):
    case = fresh_case(world)
    case_services.change_case_status(case, actor=world.af_a, to_status=CaseStatus.CLOSED,
                                     result=CaseResult.NO_TRAFFICKING)
    typed = "Controle met <b>handhaving</b> & politie"
    before = snapshot()

    response = af_client.post(reverse("cases:action", args=[case.uuid, "add_action"]), {
        "add_action-description": typed, "add_action-owner_user": world.af_a.pk,
        "add_action-deadline": timezone.localdate().isoformat()})

    assert response.status_code == 200
    assert snapshot() == before
    body = assert_dutch_error_shown(response)
    assert "Deze casus is afgesloten. Heropen de casus eerst." in body


# --- Rows of the plan van aanpak ----------------------------------------------------------------------------------

ROW_EFFECTS = {"complete": ["case.action_completed"], "cancel": ["case.action_cancelled"],
               "postpone": ["case.action_postponed"]}
ROW_FIELDS = {"complete": {"note": field(st.sampled_from(["", "Gedaan, verslag in het dossier."]))},
              "cancel": {"reason": field(st.just("Niet meer nodig."))},
              "postpone": {"deadline": field(future_date(), JUNK_DATE),
                           "reason": field(st.just("Wachten op de politie."))}}


@pytest.fixture
def plan_case(world):
    return fresh_case(world)


@FUZZ
@given(data=st.data())
def test_random_posts_on_a_plan_row_finish_it_once_or_change_nothing(af_client, world, plan_case, foreign_case,
                                                                     data):
    action = case_services.add_action(plan_case, actor=world.af_a, description="Huisbezoek afleggen",
                                      deadline=timezone.localdate() + timedelta(days=7), owner_user=world.af_a)
    steps = data.draw(st.lists(st.tuples(st.sampled_from(["own"] * 5 + ["foreign_case", "random"]),
                                         st.sampled_from([*ROW_FIELDS, "delete"])), min_size=1, max_size=3),
                      label="ops")
    for which, op in steps:
        prefix = f"{op}-{action.uuid.hex[:12]}"
        payload = data.draw(form_payload(prefix, ROW_FIELDS.get(op, {})), label=f"{op} payload")
        case_uuid = foreign_case.uuid if which == "foreign_case" else plan_case.uuid
        action_uuid = uuid.uuid4() if which == "random" else action.uuid
        before, before_counts, audit_pk = snapshot(), counts(), last_audit_pk()

        response = af_client.post(reverse("cases:action_row", args=[case_uuid, action_uuid, op]), payload)

        event(f"{op}: {response.status_code}")
        if which != "own" or op not in ROW_FIELDS:
            assert_not_found_changed_nothing(response, before)
            continue
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert_complete(before_counts, audit_pk, rows={}, audit=ROW_EFFECTS[op])
        else:
            assert snapshot() == before
            body = assert_dutch_error_shown(response)
            action.refresh_from_db()
            if action.status == "open":  # a finished action's row offers no form any more
                assert_kept(body, payload, f"{prefix}-reason", f"{prefix}-note")


def test_finishing_an_action_that_was_finished_meanwhile_says_so(af_client, world, plan_case):
    action = case_services.add_action(plan_case, actor=world.af_a, description="Huisbezoek afleggen",
                                      deadline=timezone.localdate(), owner_user=world.af_a)
    case_services.complete_action(action, actor=world.af_a2)  # in another browser, a moment ago
    before = snapshot()

    response = af_client.post(reverse("cases:action_row", args=[plan_case.uuid, action.uuid, "cancel"]),
                              {f"cancel-{action.uuid.hex[:12]}-reason": "Niet meer nodig."}, follow=True)

    assert snapshot() == before
    assert response.status_code == 200
    body = assert_dutch_error_shown(response)
    assert "Deze actie is al gedaan." in body


# --- Team members and intervention results ----------------------------------------------------------------------

def test_ending_a_membership_of_another_case_or_twice_writes_nothing(af_client, world, foreign_case):
    case = fresh_case(world)
    member = case_services.assign_member(case, actor=world.af_a, user=world.casusregisseur,
                                         role=CaseRole.CASUSREGISSEUR)
    foreign_member = case_services.assign_member(foreign_case, actor=world.af_b, user=world.casusregisseur,
                                                 role=CaseRole.CASUSREGISSEUR)
    before = snapshot()
    for case_uuid, member_uuid in [(case.uuid, foreign_member.uuid), (foreign_case.uuid, foreign_member.uuid),
                                   (case.uuid, uuid.uuid4())]:
        assert_not_found_changed_nothing(
            af_client.post(reverse("cases:end_member", args=[case_uuid, member_uuid])), before)

    audit_pk = last_audit_pk()
    assert af_client.post(reverse("cases:end_member", args=[case.uuid, member.uuid])).status_code == 302
    assert audit_since(audit_pk) == ["case.member_ended"]
    before = snapshot()
    response = af_client.post(reverse("cases:end_member", args=[case.uuid, member.uuid]), follow=True)
    assert snapshot() == before
    assert "Deze persoon is al geen lid meer van het casusteam." in assert_dutch_error_shown(response)


@FUZZ
@given(result=st.one_of(st.just("Vergunning ingetrokken."), TEXT), where=st.sampled_from(["case", "address",
                                                                                            "foreign", "random"]))
@example(result="Eerste regel\r\nTweede regel", where="address")  # a browser sends line breaks as CRLF
def test_random_intervention_results_are_stored_once_or_refused_in_dutch(af_client, world, foreign_case, result,
                                                                         where):
    case = fresh_case(world) if where == "case" else None
    owner = foreign_case if where == "foreign" else case
    intervention = case_services.record_intervention(
        actor=world.af_b if where == "foreign" else world.af_a, case=owner,
        municipality=None if owner else world.a, kind=InterventionKind.BIBOB, decided_on=timezone.localdate(),
        address="" if owner else "Dijkweg 1")
    target = uuid.uuid4() if where == "random" else intervention.uuid
    before, before_counts, audit_pk = snapshot(), counts(), last_audit_pk()

    response = af_client.post(reverse("cases:intervention_result", args=[target]), {"result-result": result},
                              follow=True)

    event(f"{where}: {response.status_code}")
    if where in ("foreign", "random"):
        return assert_not_found_changed_nothing(response, before)
    assert response.status_code == 200
    intervention.refresh_from_db()
    if intervention.result:
        assert_complete(before_counts, audit_pk, rows={}, audit=["case.intervention_result"])
        # Stored as typed, with each line break as the one character the textarea counted (TextareaField).
        assert intervention.result == result.strip().replace("\r\n", "\n").strip()
    else:
        assert snapshot() == before
        assert_dutch_error_shown(response)


# --- Interventions on an address (no case) ----------------------------------------------------------------------

@FUZZ
@given(payload=form_payload("new", {
    "kind": field(pick(InterventionKind.values)), "decided_on": field(near_date(300), JUNK_DATE),
    "legal_basis": field(st.sampled_from(["", "Wet Bibob"])),
    "result": field(st.sampled_from(["", "Vergunning geweigerd."])),
    "address": field(st.sampled_from(["", "Dijkweg 12, Aadorp"])),
    "business_name": field(st.sampled_from(["", "Uitzendbureau Test"])),
    "kvk_number": field(st.sampled_from(["", "12345678", "1234 5678"]),
                        st.one_of(st.sampled_from(["1234567", "１２３４５６７８", "١٢٣٤٥٦٧٨", "1234567x"]), TEXT)),
}))
def test_random_address_interventions_are_stored_once_or_refused_with_the_input_kept(af_client, world, payload):
    before, before_counts, audit_pk = snapshot(), counts(), last_audit_pk()

    response = af_client.post(reverse("cases:interventions"), payload)

    event(f"status {response.status_code}")
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert_complete(before_counts, audit_pk, rows={"interventions": 1}, audit=["case.intervention_recorded"])
        stored = Intervention.objects.order_by("-pk").first()
        assert stored.municipality == world.a and stored.case is None
        assert stored.kvk_number == "" or re.fullmatch(r"[0-9]{8}", stored.kvk_number)
    else:
        assert snapshot() == before
        if sends_something(payload):
            body = assert_dutch_error_shown(response)
            assert_kept(body, payload, "new-address", "new-business_name", "new-legal_basis", "new-result")


def test_a_kvk_number_in_full_width_digits_is_stored_as_ascii_and_other_digits_are_refused(af_client, world):
    form = {"new-kind": "bibob", "new-decided_on": timezone.localdate().isoformat(), "new-address": "Dijkweg 1"}

    response = af_client.post(reverse("cases:interventions"), {**form, "new-kvk_number": "１２３４５６７８"})
    assert response.status_code == 302
    assert Intervention.objects.get().kvk_number == "12345678"

    before = snapshot()
    response = af_client.post(reverse("cases:interventions"), {**form, "new-kvk_number": "١٢٣٤٥٦٧٨"})
    assert response.status_code == 200
    assert snapshot() == before
    assert "Een KvK-nummer bestaat uit 8 cijfers." in assert_dutch_error_shown(response)


# --- The cases API ----------------------------------------------------------------------------------------------

@pytest.fixture
def af_headers(world):
    return {"HTTP_AUTHORIZATION": f"Token {make_api_token(world.af_a)}"}


JSON_JUNK = st.one_of(TEXT, JSON_ANY, st.datetimes().map(lambda d: d.isoformat()))


def api_status_payloads():
    objects = form_payload("", {
        "to_status": field(pick(CaseStatus.values), JSON_JUNK),
        "result": field(one_of_or_empty(CaseResult.values), JSON_JUNK),
        "text": field(st.sampled_from(["", "Besproken in het casusoverleg."]), JSON_JUNK),
    })
    return st.one_of(objects, objects, objects, objects, JSON_ANY)  # or not an object at all


def api_action_payloads(world):
    users = [str(u.uuid) for u in (world.af_a, world.af_a2, world.af_b, world.casusregisseur, world.melder_a)]
    codes = [o.code for o in (world.police, world.police2, world.zvh, world.a, world.c)]
    objects = form_payload("", {
        "description": field(st.just("Controle met handhaving"), JSON_JUNK),
        "deadline": field(future_date(), st.one_of(JUNK_DATE, JSON_JUNK)),
        "owner_user": field(st.one_of(st.none(), st.none(), st.sampled_from(users)),
                            st.one_of(st.uuids().map(str), JSON_LEAVES)),
        "owner_organisation": field(st.one_of(st.none(), st.none(), st.sampled_from(codes)), JSON_LEAVES),
    })
    return st.one_of(objects, objects, objects, objects, JSON_ANY)


@FUZZ
@given(data=st.data())
def test_random_json_to_the_cases_api_does_one_complete_step_or_a_structured_4xx(client, world, af_headers,
                                                                                 foreign_case, data):
    case = fresh_case(world)
    steps = data.draw(st.lists(st.one_of(
        st.tuples(st.just("status"), api_status_payloads()),
        st.tuples(st.just("actions"), api_action_payloads(world))), min_size=1, max_size=3), label="steps")
    for endpoint, payload in steps:
        which = data.draw(st.sampled_from(["own"] * 6 + ["foreign", "random"]), label="case")
        target = {"own": case.uuid, "foreign": foreign_case.uuid, "random": uuid.uuid4()}[which]
        url = reverse("api:case-change-status" if endpoint == "status" else "api:case-actions", args=[target])
        before, before_counts, audit_pk = snapshot(), counts(), last_audit_pk()

        response = client.post(url, data=json.dumps(payload), content_type="application/json", **af_headers)

        event(f"{endpoint}: {response.status_code}")
        if which != "own":
            assert response.status_code == 404
            assert_dutch_api_error(response)
            assert snapshot() == before
            continue
        assert response.status_code in (200, 201, 400), response.content[:500]
        if response.status_code == 200:
            assert endpoint == "status"
            assert_complete(before_counts, audit_pk, rows={"history": 1}, audit=["case.status_changed"])
            assert response.json()["status"] == payload["to_status"]
        elif response.status_code == 201:
            assert endpoint == "actions"
            assert_complete(before_counts, audit_pk, rows={"actions": 1}, audit=["case.action_added"])
            assert response.json()["description"] == str(payload["description"]).strip()
        else:
            assert_dutch_api_error(response)
            assert snapshot() == before


DEEP = st.integers(min_value=2_000, max_value=200_000).flatmap(
    lambda n: st.sampled_from([b"[" * n, b'{"a":' * n, b"[" * n + b"]" * n]))
CONTENT_TYPES = st.one_of(st.sampled_from([
    "application/json", "application/json; charset=latin-1", "application/json; charset=bogus", "text/plain",
    "application/x-www-form-urlencoded", "multipart/form-data; boundary=zzz", "", "application/json; charset=utf-16"]),
    st.text(max_size=40))


@FUZZ
@given(body=st.one_of(st.binary(max_size=2000), st.text(max_size=300).map(str.encode), DEEP),
       content_type=CONTENT_TYPES, endpoint=st.sampled_from(["api:case-change-status", "api:case-actions"]))
def test_raw_bodies_to_the_cases_api_get_a_structured_4xx_and_write_nothing(client, world, af_headers, plan_case,
                                                                            body, content_type, endpoint):
    before = snapshot()

    response = client.generic("POST", reverse(endpoint, args=[plan_case.uuid]), data=body,
                              content_type=content_type, **af_headers)

    event(f"status {response.status_code}")
    if response.status_code in (200, 201):  # random bytes that happen to be a valid request: a complete step
        assert snapshot()["audit"] == before["audit"] + 1
        return
    assert 400 <= response.status_code < 500, response.content[:300]
    assert_dutch_api_error(response)
    assert snapshot() == before


def test_json_nested_too_deep_is_a_structured_400_on_the_cases_api(client, world, af_headers, plan_case):
    response = client.generic("POST", reverse("api:case-actions", args=[plan_case.uuid]), data=b"[" * 100_000,
                              content_type="application/json", **af_headers)

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert_dutch_api_error(response)


@pytest.mark.parametrize(("endpoint", "payload", "field", "message"), [
    ("api:case-actions", {"description": ["Controle"], "deadline": "2030-01-01"}, "description", "Vul tekst in"),
    ("api:case-actions", {"description": "Controle \ud800", "deadline": "2030-01-01"}, "description",
     "ongeldig teken (U+D800)"),
    ("api:case-actions", {"description": "Controle", "deadline": "2030-01-01T10:00:00"}, "deadline",
     "Vul een geldige datum in"),
    ("api:case-change-status", {"to_status": "suspended", "text": {"reden": "x"}}, "text", "Vul tekst in"),
])
def test_wrong_json_types_get_a_dutch_message_at_the_field(client, world, af_headers, plan_case, endpoint, payload,
                                                           field, message):
    before = snapshot()
    body = json.dumps(payload)  # "\ud800" goes out as a lone surrogate escape, as a broken client sends it

    response = client.post(reverse(endpoint, args=[plan_case.uuid]), data=body, content_type="application/json",
                           **af_headers)

    assert response.status_code == 400
    assert_dutch_api_error(response)
    assert message in response.json()["errors"][field][0]
    assert snapshot() == before


def test_the_persons_and_care_api_take_no_posts(client, world, af_headers):
    case = care_case(world)
    person = person_services.add_person(case, actor=world.af_a, data={"role": "victim"})
    before = snapshot()
    for url in (reverse("api:case-persons", args=[case.uuid]), reverse("api:person-detail", args=[person.uuid]),
                reverse("api:person-care", args=[person.uuid]), reverse("api:care-victims")):
        response = client.post(url, data=json.dumps({"role": "suspect", "started_on": "2025-01-01"}),
                               content_type="application/json", **af_headers)
        assert response.status_code == 405
        assert_dutch_api_error(response)
    assert snapshot() == before


# --- Persons ----------------------------------------------------------------------------------------------------

BSNS = st.one_of(st.sampled_from([BSN_A, BSN_B, BSN_C, "111 222 333", "1112.22.333", "111-222-333", "123456789",
                                  "000000000", "11122233", "1112223333", "１１１２２２３３３", "١١١٢٢٢٣٣٣", ""]), TEXT)


def person_payloads():
    return form_payload("", {
        "role": field(pick(PersonRole.values)),
        "victim_status": field(one_of_or_empty(VictimStatus.values)),
        "status_decided_by": field(st.sampled_from(["Politie (AVIM)", "", "  Zorgcoördinatie  "])),
        "status_decided_on": field(st.one_of(OPTIONAL, past_date(3000)), JUNK_DATE),
        "first_name": field(st.sampled_from(["", "Zwaantje", "Jan-Éric", "  Ana  Maria "])),
        "last_name": field(st.sampled_from(["", "Testpersoon", "de Vries-Verzonnen", "Ölçek"])),
        "bsn": field(st.sampled_from(["", "", BSN_A, BSN_B, BSN_C, "111 222 333", "1112.22.333", "１２３４５６７８２"]),
                     st.one_of(st.sampled_from(["123456789", "000000000", "11122233", "1112223333", "١١١٢٢٢٣٣٣",
                                                "11122233x"]), TEXT)),
        "birth_date": field(st.one_of(OPTIONAL, st.dates(date(1950, 1, 1), date(2020, 1, 1)).map(date.isoformat)),
                            st.one_of(JUNK_DATE, st.dates(date(1800, 1, 1), date(1899, 12, 31)).map(date.isoformat))),
        "is_minor": field(st.sampled_from(["", "on"])),
        "address": field(st.sampled_from(["", "Dijkweg 1, Aadorp"])),
        "phone": field(st.sampled_from(["", "06-12345678"])),
        "gender": field(pick(Gender.values)),
        "citizenship": field(pick(Citizenship.values)),
        "is_unaccompanied_minor_foreigner": field(st.sampled_from(["", "", "on"])),
        "exploitation_year": field(st.one_of(OPTIONAL, st.integers(2000, timezone.localdate().year).map(str)),
                                   st.one_of(st.integers(-10, 3000).map(str),
                                             st.just("99999999999999999999999"), TEXT)),
        "exploitation_forms": field(st.lists(pick(ExploitationForm.values), max_size=2),
                                    many(ExploitationForm.values)),
        "sex_sector": field(one_of_or_empty(SexSector.values)),
        "labour_sector": field(one_of_or_empty(Sector.values)),
        "means_of_control": field(st.lists(pick(MeansOfControl.values), max_size=2), many(MeansOfControl.values)),
        "recruiter_relation": field(one_of_or_empty(RecruiterRelation.values)),
        "place_of_recruitment": field(st.sampled_from(["", "Roemenië"])),
        "place_of_exploitation": field(st.sampled_from(["", "Aadorp"])),
        "confirm_duplicate": field(st.sampled_from(["", "on"])),
    })


PERSON_TEXT = ("first_name", "last_name", "address", "phone", "status_decided_by", "place_of_recruitment",
               "place_of_exploitation")


def assert_person_stored_as_typed(person: Person, payload: dict) -> None:
    person = Person.objects.get(pk=person.pk)
    for name in ("first_name", "last_name", "address"):
        assert getattr(person, name) == " ".join(payload.get(name, "").split())
    assert person.bsn == "" or re.fullmatch(r"[0-9]{9}", person.bsn), "a BSN is stored as nine ASCII digits"
    assert person.role != PersonRole.VICTIM or person.victim_status in ("", *VictimStatus.values)
    assert not person.is_unaccompanied_minor_foreigner or person.is_minor
    # The same person twice on one case is refused, however the BSN was typed.
    if person.bsn:
        assert Person.objects.filter(case=person.case, bsn_hash=person.bsn_hash).count() == 1


@pytest.fixture
def person_cases(world):
    """The case persons are added to, and another case in the region where BSN_C already is."""
    target = fresh_case(world)
    elsewhere = fresh_case(world)
    person_services.add_person(elsewhere, actor=world.af_a, data={"role": "victim", "bsn": BSN_C})
    return target, elsewhere


@FUZZ
@given(data=st.data())
def test_random_person_forms_add_one_complete_person_or_nothing_and_keep_the_input(af_client, world, person_cases,
                                                                                   foreign_case, data):
    target, _elsewhere = person_cases
    which = data.draw(st.sampled_from(["own"] * 6 + ["foreign", "random"]), label="case")
    case_uuid = {"own": target.uuid, "foreign": foreign_case.uuid, "random": uuid.uuid4()}[which]
    payload = data.draw(person_payloads(), label="payload")
    before, before_counts, audit_pk = snapshot(), counts(), last_audit_pk()

    response = af_client.post(reverse("persons:add", args=[case_uuid]), payload)

    event(f"{which}: {response.status_code}")
    if which != "own":
        return assert_not_found_changed_nothing(response, before)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert_complete(before_counts, audit_pk, rows={"persons": 1}, audit=["person.added"])
        person = Person.objects.order_by("-pk").first()
        assert response["Location"] == reverse("persons:detail", args=[person.uuid])
        assert person.case == target
        assert_person_stored_as_typed(person, payload)
    else:
        assert snapshot() == before
        if sends_something(payload):
            body = assert_dutch_error_shown(response)
            assert_kept(body, payload, *PERSON_TEXT)


def test_the_same_bsn_typed_in_full_width_digits_is_the_same_person(af_client, world):
    case = fresh_case(world)
    person_services.add_person(case, actor=world.af_a, data={"role": "victim", "bsn": BSN_A})
    before = snapshot()

    response = af_client.post(reverse("persons:add", args=[case.uuid]), {
        "role": "victim", "bsn": "１１１２２２３３３", "last_name": "Testpersoon", "gender": "unknown",
        "citizenship": "ZZ"})

    assert response.status_code == 200
    assert snapshot() == before
    body = assert_dutch_error_shown(response)
    assert "staat al op deze casus" in body
    assert escape("１１１２２２３３３") in body


def test_a_bsn_in_other_digits_is_refused_in_dutch(af_client, world):
    case = fresh_case(world)

    response = af_client.post(reverse("persons:add", args=[case.uuid]), {
        "role": "victim", "bsn": "١١١٢٢٢٣٣٣", "gender": "unknown", "citizenship": "ZZ"})

    assert response.status_code == 200
    assert not Person.objects.exists()
    assert "Dit BSN klopt niet" in assert_dutch_error_shown(response)


@FUZZ
@given(data=st.data())
def test_random_person_edits_change_one_person_completely_or_nothing(af_client, world, person_cases, data):
    target, _elsewhere = person_cases
    person = person_services.add_person(target, actor=world.af_a, data={
        "role": data.draw(st.sampled_from(PersonRole.values), label="role"),
        "first_name": f"Zwaan{uuid.uuid4().hex[:6]}", "last_name": "Testpersoon", "birth_date": date(1990, 5, 1),
        "citizenship": "RO"})
    steps = data.draw(st.lists(person_payloads(), min_size=1, max_size=3), label="edits")
    for payload in steps:
        before, before_counts, audit_pk = snapshot(), counts(), last_audit_pk()

        response = af_client.post(reverse("persons:edit", args=[person.uuid]), payload)

        event(f"status {response.status_code}")
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert_complete(before_counts, audit_pk, rows={}, audit=["person.updated"])
            assert_person_stored_as_typed(person, payload)
        else:
            assert snapshot() == before
            if sends_something(payload):
                body = assert_dutch_error_shown(response)
                assert_kept(body, payload, *PERSON_TEXT)


def test_editing_a_person_of_another_municipality_or_unknown_is_404(af_client, world, foreign_case):
    foreign = person_services.add_person(foreign_case, actor=world.af_b, data={"role": "victim", "bsn": BSN_A})
    before = snapshot()
    for target in (foreign.uuid, uuid.uuid4()):
        assert_not_found_changed_nothing(af_client.post(reverse("persons:edit", args=[target]), {
            "role": "suspect", "gender": "male", "citizenship": "NL"}), before)


# --- Consent, overrides, CoMensha -------------------------------------------------------------------------------

CONSENT_EFFECTS = {
    "record": ({"consents": 1}, ["consent.recorded"]),
    "override": ({"overrides": 1}, ["consent.override"]),
    "comensha": ({}, ["person.registered_comensha"]),
    "withdraw": ({}, ["consent.withdrawn"]),
}


def consent_steps(world):
    # Valid in shape; the service still refuses the user themself, another municipality's AF and a melder.
    approvers = [u.pk for u in (*[world.af_a2, world.procesregisseur] * 3, world.af_a, world.af_b, world.melder_a)]
    reason = "Acuut gevaar: de politie moet nu kunnen optreden."
    ground = {"legal_ground": field(pick([g for g in LegalGround.values if g != LegalGround.CONSENT] + [""])),
              "reason": field(st.sampled_from([reason, reason, "Kort."])),
              "approver": field(pick(approvers), st.one_of(st.just(""), REF_JUNK))}
    per_op = {
        "record": {"kind": field(pick(ConsentKind.values)), "partner_type": field(one_of_or_empty(PartnerType.values)),
                   "given": field(pick(["yes", "no"])), "given_by": field(pick(ConsentGivenBy.values)),
                   "given_on": field(past_date(3000), JUNK_DATE)},
        "override": {"kind": field(pick(ConsentKind.values)),
                     "partner_type": field(one_of_or_empty(PartnerType.values)), **ground},
        "comensha": ground,
        "withdraw": {"reason": field(st.just("Wil niet meer dat de politie het weet."))},
    }
    return st.one_of(*(st.tuples(st.just(op), st.just(fields)) for op, fields in per_op.items()),
                     st.tuples(st.from_regex(r"[a-z]{1,12}", fullmatch=True).filter(lambda o: o not in per_op),
                               st.just({})))


@FUZZ
@given(data=st.data())
def test_random_consent_posts_record_one_decision_completely_or_nothing(af_client, world, person_cases, data):
    target, _elsewhere = person_cases
    person = person_services.add_person(target, actor=world.af_a, data={
        "role": data.draw(st.sampled_from([PersonRole.VICTIM, PersonRole.VICTIM, PersonRole.SUSPECT]), label="role"),
        "birth_date": data.draw(st.sampled_from([None, date(1990, 5, 1), timezone.localdate() - timedelta(
            days=365 * 12)]), label="born"), "citizenship": "RO"})
    if data.draw(st.booleans(), label="consented already"):  # so that withdrawing is reached often
        person_services.record_consent(person, actor=world.af_a, kind=ConsentKind.SHARING, given=True,
                                       given_by=ConsentGivenBy.GUARDIAN, partner_type=PartnerType.POLICE)
    steps = data.draw(st.lists(consent_steps(world), min_size=1, max_size=4), label="ops")
    for op, fields in steps:
        consent = person.consents.active().filter(given=True).order_by("-pk").first()
        if op == "withdraw":
            real = consent.uuid if consent else uuid.uuid4()
            consent_uuid = data.draw(st.sampled_from([real, real, real, uuid.uuid4()]), label="consent")
            prefix = f"w-{consent_uuid.hex[:12]}"
            url = reverse("persons:withdraw", args=[person.uuid, consent_uuid])
        else:
            prefix, url = op, reverse("persons:consent_action", args=[person.uuid, op])
        payload = data.draw(form_payload(prefix, fields), label=f"{op} payload")
        before, before_counts, audit_pk = snapshot(), counts(), last_audit_pk()

        response = af_client.post(url, payload)

        event(f"{op}: {response.status_code}")
        if op not in CONSENT_EFFECTS or (op == "withdraw" and (consent is None or consent_uuid != consent.uuid)):
            assert_not_found_changed_nothing(response, before)
            continue
        assert response.status_code in (200, 302, 404)
        if response.status_code == 404:  # the CoMensha form is offered to victims not yet registered only
            assert op == "comensha" and (not person.is_victim or person.registered_with_comensha_at)
            assert snapshot() == before
        elif response.status_code == 302:
            rows, audit = CONSENT_EFFECTS[op]
            new = audit_since(audit_pk)
            if op == "comensha" and new == ["consent.override", "person.registered_comensha"]:
                rows, audit = {"overrides": 1}, new  # without consent: on a ground, in the same transaction
            assert_complete(before_counts, audit_pk, rows=rows, audit=audit)
            person.refresh_from_db()
        else:
            assert snapshot() == before
            body = assert_dutch_error_shown(response)
            assert_kept(body, payload, f"{prefix}-reason")
    # At most one valid decision per subject, whatever happened.
    active = list(person.consents.active().values_list("kind", "partner_type"))
    assert len(active) == len(set(active))


def test_withdrawing_a_consent_that_was_withdrawn_meanwhile_says_so(af_client, world, person_cases):
    target, _elsewhere = person_cases
    person = person_services.add_person(target, actor=world.af_a, data={"role": "victim"})
    consent = person_services.record_consent(person, actor=world.af_a, kind=ConsentKind.CARE, given=True,
                                             given_by=ConsentGivenBy.SELF)
    person_services.withdraw_consent(consent, actor=world.af_a2, reason="Telefonisch ingetrokken.")
    before = snapshot()

    response = af_client.post(reverse("persons:withdraw", args=[person.uuid, consent.uuid]),
                              {f"w-{consent.uuid.hex[:12]}-reason": "Wil het niet meer."})

    assert response.status_code == 200
    assert snapshot() == before
    assert "Deze toestemming is al ingetrokken." in assert_dutch_error_shown(response)


# --- Care -------------------------------------------------------------------------------------------------------

CARE_EFFECTS = {
    "start": ({"trajectories": 1}, ["care.trajectory_started"]),
    "update": ({}, ["care.trajectory_updated"]),
    "placement": ({"placements": 1}, ["care.placement_added"]),
    "reflection": ({"reflection": 1}, ["care.reflection_granted"]),
    "permit": ({"permits": 1}, ["care.permit_event"]),
    "municipality": ({}, ["care.responsible_municipality_set"]),
    "end": ({}, ["care.placement_ended"]),
}
CARE_TEXT = {"placement": ("placement-provider",), "permit": ("permit-note",), "municipality": ("municipality-reason",)}


def care_steps(world):
    municipalities = field(one_of_or_empty([world.a.pk, world.b.pk, world.c.pk]),
                           st.one_of(pick([world.police.pk, world.zvh.pk]), REF_JUNK))
    optional_past = field(st.one_of(OPTIONAL, OPTIONAL, past_date()), JUNK_DATE)
    per_action = {
        "start": {"started_on": field(past_date(), JUNK_DATE), "residence_status": field(pick(ResidenceStatus.values)),
                  "registered_municipality": municipalities, "found_municipality": municipalities},
        "update": {"residence_status": field(pick(ResidenceStatus.values)),
                   "aangifte_made": field(st.sampled_from(["", "on"])), "aangifte_on": optional_past,
                   "registered_municipality": municipalities, "found_municipality": municipalities,
                   "ended_on": optional_past},
        "placement": {"kind": field(pick(PlacementKind.values)),
                      "provider": field(st.sampled_from(["Opvang De Haven (fictief)", "  COSM   Noord "])),
                      "started_on": field(past_date(), JUNK_DATE), "ended_on": optional_past},
        "reflection": {"kind": field(pick(ReflectionKind.values)), "starts_on": field(past_date(60), JUNK_DATE),
                       "granted_on": field(st.one_of(OPTIONAL, past_date(60)), JUNK_DATE)},
        "permit": {"kind": field(pick(PermitEventKind.values)), "occurred_on": field(past_date(), JUNK_DATE),
                   "note": field(st.sampled_from(["", "Via de politie aangevraagd."]))},
        "municipality": {"municipality": municipalities,
                         "reason": field(st.sampled_from(["Om veiligheidsredenen ver weg geplaatst.", ""]))},
        "end": {"ended_on": field(past_date(), JUNK_DATE)},
    }
    return st.one_of(*(st.tuples(st.just(action), st.just(fields)) for action, fields in per_action.items()),
                     st.tuples(st.from_regex(r"[a-z]{1,12}", fullmatch=True).filter(
                         lambda a: a not in per_action), st.just({})))


def assert_care_consistent(person: Person) -> None:
    trajectory = CareTrajectory.objects.filter(person=person).first()
    if trajectory is None:
        return
    assert trajectory.ended_on is None or trajectory.ended_on >= trajectory.started_on
    assert trajectory.aangifte_on is None or trajectory.aangifte_made
    if not trajectory.responsible_override_reason:
        assert trajectory.responsible_municipality == (trajectory.registered_municipality
                                                       or trajectory.found_municipality)
    for org in (trajectory.registered_municipality, trajectory.found_municipality,
                trajectory.responsible_municipality):
        assert org is None or org.is_municipality
    stays = sorted(trajectory.placements.values_list("started_on", "ended_on"))
    for (_start, end), (next_start, _next_end) in zip(stays, stays[1:], strict=False):
        assert end is not None and end <= next_start, "placements never overlap"
    assert all(end is None or end >= start for start, end in stays)


@FUZZ
@given(data=st.data())
def test_random_care_posts_do_one_complete_step_or_change_nothing_and_keep_the_input(client, world, data):
    case = care_case(world)
    person = person_services.add_person(case, actor=world.af_a, data={
        "role": "victim", "citizenship": data.draw(st.sampled_from(["RO", "RO", "NL"]), label="citizenship")})
    client.force_login(data.draw(st.sampled_from([world.zorgcoordinator, world.af_a]), label="user"))
    if data.draw(st.booleans(), label="started already"):  # so that every panel is reached often
        trajectory = care_services.start_trajectory(person, actor=world.zorgcoordinator,
                                                    started_on=timezone.localdate() - timedelta(days=500),
                                                    residence_status=ResidenceStatus.WITHOUT)
        care_services.add_placement(trajectory, actor=world.zorgcoordinator, kind=PlacementKind.COSM,
                                    provider="COSM Noord (fictief)", started_on=trajectory.started_on)
    steps = data.draw(st.lists(care_steps(world), min_size=1, max_size=6), label="steps")
    for action, fields in steps:
        placement = Placement.objects.filter(trajectory__person=person, ended_on__isnull=True).first()
        if action == "end":
            placement_uuid = placement.uuid if placement else uuid.uuid4()
            prefix = f"end-{placement_uuid.hex[:12]}"
            url = reverse("care:end_placement", args=[person.uuid, placement_uuid])
        else:
            prefix, url = action, reverse("care:action", args=[person.uuid, action])
        payload = data.draw(form_payload(prefix, fields), label=f"{action} payload")
        trajectory = CareTrajectory.objects.filter(person=person).first()
        # What the page offers right now: "start" until there is a trajectory, the rest after; one bedenktijd.
        offered = (action == "start") == (trajectory is None) and action in CARE_EFFECTS
        if action == "reflection" and ReflectionPeriod.objects.filter(trajectory=trajectory).exists():
            offered = False
        if action == "end" and placement is None:
            offered = False
        before, before_counts, audit_pk = snapshot(), counts(), last_audit_pk()

        response = client.post(url, payload)

        event(f"{action}: {response.status_code}")
        if not offered:
            assert_not_found_changed_nothing(response, before)
            continue
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert response["Location"] == reverse("care:trajectory", args=[person.uuid])
            rows, audit = CARE_EFFECTS[action]
            assert_complete(before_counts, audit_pk, rows=rows, audit=audit)
        else:
            assert snapshot() == before
            body = assert_dutch_error_shown(response)
            assert_kept(body, payload, *CARE_TEXT.get(action, ()))
        assert_care_consistent(person)


def test_care_of_a_victim_in_another_municipality_or_a_suspect_is_404(af_client, world, foreign_case):
    foreign = person_services.add_person(foreign_case, actor=world.af_b, data={"role": "victim"})
    suspect = person_services.add_person(care_case(world), actor=world.af_a, data={"role": "suspect"})
    before = snapshot()
    for person_uuid in (foreign.uuid, suspect.uuid, uuid.uuid4()):
        assert_not_found_changed_nothing(af_client.post(reverse("care:action", args=[person_uuid, "start"]), {
            "start-started_on": timezone.localdate().isoformat(), "start-residence_status": "without"}), before)


def test_a_placement_that_ends_before_it_starts_is_refused_in_dutch_with_the_input_kept(client, world):
    person = person_services.add_person(care_case(world), actor=world.af_a, data={"role": "victim"})
    care_services.start_trajectory(person, actor=world.zorgcoordinator, started_on=date(2025, 1, 2))
    client.force_login(world.zorgcoordinator)
    before = snapshot()

    response = client.post(reverse("care:action", args=[person.uuid, "placement"]), {
        "placement-kind": "cosm", "placement-provider": "Opvang <De Haven> & co", "placement-started_on": "2025-02-10",
        "placement-ended_on": "2025-02-01"})

    assert response.status_code == 200
    assert snapshot() == before
    body = assert_dutch_error_shown(response)
    assert "De einddatum ligt vóór de begindatum." in body
    assert escape("Opvang <De Haven> & co") in body and 'value="2025-02-01"' in body


def test_an_impossible_date_for_the_bedenktijd_is_refused_in_dutch(client, world):
    person = person_services.add_person(care_case(world), actor=world.af_a, data={"role": "victim",
                                                                                  "citizenship": "RO"})
    care_services.start_trajectory(person, actor=world.zorgcoordinator, started_on=date(2025, 1, 2),
                                   residence_status=ResidenceStatus.WITHOUT)
    client.force_login(world.zorgcoordinator)
    before = snapshot()

    response = client.post(reverse("care:action", args=[person.uuid, "reflection"]), {
        "reflection-kind": "regular", "reflection-starts_on": "2024-02-30"})

    assert response.status_code == 200
    assert snapshot() == before
    assert "Vul een geldige datum in" in assert_dutch_error_shown(response)
    assert 'value="2024-02-30"' in response.content.decode()


def test_ending_a_placement_that_was_ended_meanwhile_says_so(client, world):
    person = person_services.add_person(care_case(world), actor=world.af_a, data={"role": "victim"})
    trajectory = care_services.start_trajectory(person, actor=world.zorgcoordinator, started_on=date(2025, 1, 2))
    placement = care_services.add_placement(trajectory, actor=world.zorgcoordinator, kind="cosm",
                                            provider="Opvang De Haven", started_on=date(2025, 1, 2))
    care_services.end_placement(placement, actor=world.af_a, ended_on=date(2025, 3, 1))
    client.force_login(world.zorgcoordinator)
    before = snapshot()

    response = client.post(reverse("care:end_placement", args=[person.uuid, placement.uuid]),
                           {f"end-{placement.uuid.hex[:12]}-ended_on": "2025-04-01"})

    assert response.status_code == 200
    assert snapshot() == before
    assert "Deze opvang is al beëindigd." in assert_dutch_error_shown(response)
