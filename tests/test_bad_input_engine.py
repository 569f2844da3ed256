"""Bad input for the engine behind a signal (SPEC §3): the meldroute (beheer pages, YAML editor and import, API),
meetings, referrals (the personal link included), the AF's newer triage actions (BRP/KvK lookups, linked signals,
classification with route facts, route steps) and the wegwijzer.

Hypothesis throws random and malformed values at each form and endpoint, as a user who may do the action. Every
request ends in one of two ways: a complete success (the rows and their audit event), or a 200/4xx that wrote
nothing. A refused form shows a Dutch message with the user's input kept; the API answers a structured 4xx
`{status, code, detail, errors}` in Dutch. Models on tests/test_bad_input.py (intake and triage basics).
"""

import copy
import json
import re
import uuid
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import quote

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import event, given, settings
from hypothesis import strategies as st

from meldroute.audit.models import AuditEvent
from meldroute.cases import services as case_services
from meldroute.cases.models import CaseAction
from meldroute.cases.tests.conftest import concrete_signal
from meldroute.intake.constants import Outcome, SignalStatus
from meldroute.intake.models import Signal, SignalStatusChange
from meldroute.meetings import services as meeting_services
from meldroute.meetings.constants import Cadence, MeetingStatus, Weekday
from meldroute.meetings.models import AgendaItem, CaseAgendaRequest, Meeting, MeetingSeries
from meldroute.meetings.tests.conftest import meeting_day
from meldroute.partners.constants import DataCategory, ExploitationForm, LegalGround, PartnerType
from meldroute.partners.models import DirectoryEntry, SharingRule
from meldroute.partners.services import ensure_default_sharing_rules
from meldroute.referrals import services as referral_services
from meldroute.referrals.models import Referral, ReferralLink, ReferralStatusChange
from meldroute.routing import services as routing_services
from meldroute.routing.constants import FACTS, Decision, MeetingKind, Side, StepAction, StepActor, StepState
from meldroute.routing.models import RouteDefinition, RouteDraft, RouteStep, SignalRoute, SignalRouteStep
from meldroute.routing.yaml_io import MAX_YAML_BYTES
from meldroute.triage import fake_services
from meldroute.triage import services as triage_services
from meldroute.triage.constants import Assessment, MeansOfControl, Sector
from meldroute.triage.models import Classification, EnrichmentNote, SignalLink
from tests.factories import make_api_token, make_signal
from tests.test_bad_input import (
    DATE_TEXT,
    FIELD_NAMES,
    FUZZ,
    JSON_ANY,
    NASTY_TEXT,
    TEXT,
    assert_structured_error,
    mostly,
)

pytestmark = pytest.mark.clock  # reads the clock: run again at awkward moments (scripts/test.sh)

# The heavier properties build a signal, a referral or a case per example: fewer examples keep each under a minute.
FEW = settings(FUZZ, max_examples=25)



@pytest.fixture(scope="module")
def fake_registers():
    """The fake BRP and KvK servers on loopback (as in triage's tests), for this module's lookups."""
    brp, kvk = fake_services.start_fake_services()
    yield SimpleNamespace(brp=brp, kvk=kvk)
    brp.stop()
    kvk.stop()


@pytest.fixture
def registers(fake_registers, settings):
    settings.MELDROUTE = {**settings.MELDROUTE, **fake_services.settings_for(fake_registers.brp, fake_registers.kvk),
                          "LOOKUP_TIMEOUT_SECONDS": 2}
    return fake_registers

# --- Shared checks -------------------------------------------------------------------------------------------------

# Django's, DRF's and Python's English defaults: none of them may reach a user (every message is Dutch).
ENGLISH = ("This field", "Enter a ", "Select a valid", "Ensure this", "Null characters", "is required", "not a valid",
           "Invalid", "may not be", "Expected a", "JSON parse error", "does not exist", "Surrogate", "Not found",
           "not allowed", "Method ", "Traceback")


def error_texts(body: str) -> list[str]:
    """The messages a refused form shows: at each field and in the summary above it."""
    parts = re.findall(r'class="utrecht-form-field-error-message"[^>]*>(.*?)</div>', body, re.S)
    for summary in re.findall(r'mr-error-summary".*?<ul class="utrecht-unordered-list">(.*?)</ul>', body, re.S):
        parts += re.findall(r"<li>(.*?)</li>", summary, re.S)
    return [re.sub(r"<[^>]+>", "", part).strip() for part in parts]


def assert_dutch_form_error(response) -> str:
    body = response.content.decode()
    errors = error_texts(body)
    assert errors, "a refused form says why, where the user sees it"
    for text in errors:
        assert not any(fragment in text for fragment in ENGLISH), text
    return body


def assert_kept(body: str, typed) -> None:
    """What the user typed is on the page again (escaped), so nothing has to be typed twice."""
    if isinstance(typed, str) and typed.strip():
        assert escape(typed) in body, "the user's input is kept on error"


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def assert_dutch_api_error(response, statuses=(400, 403, 404)) -> dict:
    assert response.status_code in statuses, response.content[:500]
    assert_structured_error(response, response.status_code)
    body = response.json()
    for text in _strings(body):
        assert not any(fragment in text for fragment in ENGLISH), text
    return body


def snapshot(*models) -> dict:
    """Every row of these tables, and the number of audit events: equal before and after means nothing written.
    (Reads are access-logged even when the action is refused, so the access log is not part of it.)"""
    rows = {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}
    return {**rows, "audit": AuditEvent.objects.count()}


def browser(payload: dict) -> dict:
    """A browser always sends the CSRF token along (the test client does not): an empty form is never empty."""
    return {"csrfmiddlewaretoken": "token", **payload}


def token_headers(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {make_api_token(user)}"}


def post_json(client, url, body, user):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.generic("POST", url, data=data, content_type="application/json", **token_headers(user))


def uuids(*known):
    """Another object's id (of another municipality or region, or of the wrong kind) or a random one. Only ids of a
    UUID's shape: anything else in the address matches no API route at all (Django's plain 404 page)."""
    return st.one_of(st.sampled_from([str(k) for k in known]), st.uuids().map(str))


# --- Meldroute: the beheerder's YAML editor, import and API -----------------------------------------------------------

EDIT, IMPORT, PRESET = reverse("routing:edit"), reverse("routing:import"), reverse("routing:preset")
ROUTE_API = "/api/v1/routes/"
ROUTING_TABLES = (RouteDefinition, RouteStep, RouteDraft)
ASSESSMENTS = list(Assessment.values)
FACT_VALUES = {"acute": st.booleans(), "prostitution": st.booleans(), "minor": st.booleans(),
               "meldcode": st.booleans(), "forms": st.sampled_from(ExploitationForm.values),
               "assessment": st.sampled_from(ASSESSMENTS), "side": st.sampled_from(Side.values),
               "decision": st.sampled_from(Decision.values), "referred": st.booleans(),
               "partner_outcome": st.booleans()}
TARGETS = {StepAction.REFER: PartnerType.values, StepAction.INFORM: PartnerType.values,
           StepAction.MEETING: MeetingKind.values}


def _fact_value(key: str):
    fact = key.removeprefix("not_")
    valid = FACT_VALUES[fact]
    return st.one_of(valid, st.lists(valid, min_size=1, max_size=2))


VALID_CONDITIONS = st.dictionaries(st.sampled_from([*FACTS, *(f"not_{f}" for f in FACTS)]), st.none(),
                                   max_size=2).flatmap(
    lambda keys: st.fixed_dictionaries({key: _fact_value(key) for key in keys}))
VALID_DEADLINE = st.one_of(st.builds(lambda n: {"hours": n}, st.integers(1, 72)),
                           st.builds(lambda n: {"working_days": n}, st.integers(1, 20)))


def _valid_step(index: int):
    def for_action(action):
        required = {"key": st.just(f"stap-{index}"), "position": st.integers(1, 3),
                    "title": st.sampled_from(["Oppakken", "Bespreken in het overleg", "Terugkoppelen"]),
                    "actor": st.sampled_from(StepActor.values), "action": st.just(action)}
        optional = {"when": VALID_CONDITIONS, "deadline": VALID_DEADLINE, "number": st.sampled_from(["1", "2a"]),
                    "description": st.text(max_size=60)}
        if action == StepAction.MEETING:
            required["target"] = st.sampled_from(MeetingKind.values)
        elif action in TARGETS:
            optional["target"] = st.sampled_from(TARGETS[action])
        return st.fixed_dictionaries(required, optional=optional)
    return st.sampled_from(StepAction.values).flatmap(for_action)


VALID_ROUTES = st.fixed_dictionaries(
    {"name": st.sampled_from(["Meldroute Regio Een", "Testroute"]),
     "steps": st.integers(1, 4).flatmap(lambda n: st.tuples(*(_valid_step(i) for i in range(n))).map(list))},
    optional={"description": st.text(max_size=80), "source": st.text(max_size=40), "preset": st.just("")})

# Where a mutation lands: a route-level field, a step, or a field of the first step (created when absent).
MUTATION_PATHS = [("name",), ("steps",), ("description",), ("source",), ("steps", 0), ("steps", 0, "key"),
                  ("steps", 0, "title"), ("steps", 0, "actor"), ("steps", 0, "action"), ("steps", 0, "target"),
                  ("steps", 0, "position"), ("steps", 0, "when"), ("steps", 0, "when", "forms"),
                  ("steps", 0, "when", "acute"), ("steps", 0, "when", "weer"), ("steps", 0, "when", "not_"),
                  ("steps", 0, "deadline"), ("steps", 0, "deadline", "hours"), ("steps", 0, "deadline", "weeks"),
                  ("steps", 0, "number"), ("steps", 0, "description")]
JUNK = st.one_of(JSON_ANY, NASTY_TEXT, st.sampled_from(["", None, [], {}, 0, -1, 10_001, 2**70, True, "2024-02-30",
                                                        "\x00", "stap-1"]))


def _mutate(route: dict, path: tuple, value, delete: bool) -> dict:
    route = copy.deepcopy(route)
    parent = route
    for part in path[:-1]:
        if isinstance(parent, dict):
            parent = parent.setdefault(part, {})
        elif isinstance(parent, list) and isinstance(part, int) and part < len(parent):
            parent = parent[part]
        else:
            return route
        if not isinstance(parent, dict | list):
            return route
    last = path[-1]
    if isinstance(parent, dict):
        if delete:
            parent.pop(last, None)
        else:
            parent[last] = value
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        if delete:
            parent.pop(last)
        else:
            parent[last] = value
    return route


MUTATED_ROUTES = st.builds(_mutate, VALID_ROUTES, st.sampled_from(MUTATION_PATHS), JUNK, st.booleans())
ROUTE_DATA = st.one_of(VALID_ROUTES, MUTATED_ROUTES, MUTATED_ROUTES, JSON_ANY)


def yaml_bomb(levels: int) -> str:
    """'Billion laughs': each level repeats the one before nine times through aliases; a few hundred bytes."""
    lines = ['a0: &a0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join([*lines, "name: Bom", f"steps: *a{levels - 1}", ""])


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# Documents that trip a YAML reader: odd scalars, tags, anchors and aliases, several documents, tabs, nesting.
ODD_YAML = st.sampled_from([
    "name: 2024-02-30\nsteps: []\n", "name: 0000-00-00\n", "name: 2024-01-01 99:99:99\n", "name: !!int abc\n",
    "name: !!float abc\n", "name: !!bool misschien\n", "name: !!timestamp gisteren\n", "name: !!int 0x\n",
    "name: !!binary '@@@'\n", "name: !!python/object:os.system {}\n", "name: !!set [1]\n", "<<: 1\n",
    "name: " + "9" * 5000 + "\n", "? [a]\n: b\n", "name: X\n---\nname: Y\n", "a: &a [*a]\n", "a: *onbekend\n",
    "name: X\nsteps:\n\t- key: a\n", "name: [" * 3000, "{", "- - - -", "name: 'X\n", "&a a: *a\n",
    'name: "\\0"\nsteps: [{key: a, title: T, actor: af, action: pick_up}]\n',
    'name: N\nsteps: [{key: a, title: "\\ud800", actor: af, action: pick_up}]\n',
    'name: N\nsteps: [{key: a, title: T, actor: af, action: pick_up, when: {assessment: "x\\0"}}]\n',
    "name: N\nsteps: [{key: a, title: T, actor: af, action: pick_up, when: {1: true}}]\n",
    "name: N\nsteps: [{key: a, title: T, actor: af, action: pick_up, when: {forms: {a: b}}}]\n",
    "name: N\nsteps: [{key: a, title: T, actor: af, action: pick_up, deadline: {hours: .inf}}]\n",
    "name: N\nsteps: [{key: a, title: T, actor: af, action: pick_up, position: 1.5}]\n",
    "name: N\nsteps: &s [{key: a, title: T, actor: af, action: pick_up}]\nmore: *s\n",
])
YAML_TEXTS = st.one_of(
    ROUTE_DATA.map(_dump), ROUTE_DATA.map(_dump), ODD_YAML, st.integers(3, 9).map(yaml_bomb), TEXT,
    # a readable route with a few characters dropped in somewhere
    st.builds(lambda text, at, extra: text[:at % (len(text) + 1)] + extra + text[at % (len(text) + 1):],
              VALID_ROUTES.map(_dump), st.integers(0, 10_000), st.sampled_from([":", "- ", "\t", "[", "&", "*x", "'",
                                                                              "\n  ", "{", "#"])),
    # too large for a meldroute: over 200 kB in characters or only in bytes
    st.sampled_from(["x", "é", "🙂"]).map(lambda ch: "name: X\ndescription: " + ch * (MAX_YAML_BYTES // len(
        ch.encode()) + 10) + "\nsteps: [{key: a, title: T, actor: af, action: pick_up}]\n"),
)


def route_tables() -> dict:
    return snapshot(*ROUTING_TABLES)


def assert_one_draft(before: dict, world) -> RouteDraft:
    """A complete draft (the pages' way in): the region's one open draft holds the route and one audit event says so;
    nothing in use changed (publishing is a second person's step)."""
    for model in (RouteDefinition, RouteStep):
        assert list(model.objects.order_by("pk").values()) == before[model._meta.label]
    draft = RouteDraft.objects.get(region=world.region, status="draft")
    assert draft.data["steps"] and RouteDraft.objects.filter(status="draft").count() == 1
    assert AuditEvent.objects.count() == before["audit"] + 1
    assert AuditEvent.objects.filter(action="route.draft_saved", target_uuid=draft.uuid).exists()
    return draft


@pytest.fixture
def beheerder_client(client, world):
    client.force_login(world.beheerder)
    return client


def test_a_valid_route_from_the_editor_saves_one_complete_draft(beheerder_client, world):
    """The baseline for the properties below: the success branch they check is reachable."""
    before = route_tables()

    response = beheerder_client.post(EDIT, {"yaml": _dump({"name": "Testroute", "steps": [
        {"key": "oppakken", "title": "Oppakken", "actor": "af", "action": "pick_up"}]})})

    assert response.status_code == 302
    assert_one_draft(before, world)


@FUZZ
@given(text=YAML_TEXTS, base=st.one_of(st.none(), st.none(), st.integers(-2, 4).map(str), NASTY_TEXT))
def test_random_yaml_in_the_editor_saves_one_complete_draft_or_nothing_and_keeps_the_text(
        beheerder_client, world, text, base):
    payload = {"yaml": text} if base is None else {"yaml": text, "base_version": base}
    before = route_tables()

    response = beheerder_client.post(EDIT, browser(payload))

    event(f"status {response.status_code}")
    assert response.status_code in (200, 302)
    if response.status_code == 302 and route_tables() != before:
        assert_one_draft(before, world)
    else:
        assert route_tables() == before, "a refused route must not leave a partial version"
    if response.status_code == 200:
        body = assert_dutch_form_error(response)
        assert_kept(body, text)


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"])


@FUZZ
@given(content=st.one_of(st.builds(lambda route, bom: bom + _dump(route).encode(), VALID_ROUTES,
                                   st.sampled_from([b"", b"\xef\xbb\xbf"])),
                         st.builds(lambda text, encoding: text.encode(encoding, errors="replace"), YAML_TEXTS,
                                   ENCODINGS),
                         st.binary(max_size=3000), st.just(b""), st.just(b"\xef\xbb\xbf"),
                         st.just(b"name: X\n" + b"#" * (MAX_YAML_BYTES + 1))),
       name=st.sampled_from(["meldroute.yaml", "route.yml", "route.txt", "../../etc/passwd", "a" * 300 + ".yaml"]),
       as_file=st.sampled_from([True, True, True, False]))
def test_random_yaml_files_on_import_save_one_complete_draft_or_nothing(beheerder_client, world, content, name,
                                                                             as_file):
    payload = {"file": SimpleUploadedFile(name, content) if as_file else content.decode("latin-1")}
    before = route_tables()

    response = beheerder_client.post(IMPORT, browser(payload))

    event(f"status {response.status_code}")
    assert response.status_code in (200, 302)
    if response.status_code == 302 and route_tables() != before:
        assert_one_draft(before, world)
    else:  # refused, or the same as the route in use (302 back to the overview): nothing drafted
        assert route_tables() == before
        if response.status_code == 200:
            assert_dutch_form_error(response)


@FUZZ
@given(body=ROUTE_DATA)
def test_random_json_routes_get_202_with_one_complete_draft_or_a_structured_400(client, world, body):
    before = route_tables()

    response = post_json(client, ROUTE_API, body, world.beheerder)

    event(f"status {response.status_code}")
    if response.status_code == 202:
        draft = assert_one_draft(before, world)
        assert response.json()["id"] == str(draft.uuid)
    else:
        assert_dutch_api_error(response, statuses=(400,))
        assert route_tables() == before


@settings(FUZZ, max_examples=12)
@given(page=st.fixed_dictionaries({}, optional={"preset": mostly(st.sampled_from(["zoeterwoude", "west-friesland"]),
                                                                  TEXT),
                                                 "confirm": st.one_of(st.sampled_from(["on", "1", ""]), TEXT)}),
       api=st.one_of(st.fixed_dictionaries({"preset": st.one_of(st.sampled_from(["zoeterwoude"]), JSON_ANY)}),
                     JSON_ANY))
def test_random_preset_choices_draft_or_install_one_complete_preset_or_nothing(beheerder_client, world, page, api):
    before = route_tables()
    response = beheerder_client.post(PRESET, browser(page))
    assert response.status_code in (200, 302)
    if response.status_code == 302 and route_tables() != before:
        assert_one_draft(before, world)
    else:  # refused, or the same as the route in use (302 back to the overview): nothing drafted
        assert route_tables() == before
        if response.status_code == 200:
            assert_dutch_form_error(response)

    before = route_tables()
    response = post_json(beheerder_client, f"{ROUTE_API}preset/", api, world.beheerder)
    if response.status_code == 202:
        assert_one_draft(before, world)
    else:
        assert_dutch_api_error(response, statuses=(400,))
        assert route_tables() == before


@pytest.mark.parametrize("levels", [7, 9, 12])
def test_a_yaml_bomb_is_refused_at_once_in_the_editor_and_on_import(beheerder_client, world, levels):
    """Aliases unfold a few hundred bytes into 9**levels parts: refused before the work, not after minutes."""
    text = yaml_bomb(levels)
    before = route_tables()
    started = timezone.now()

    edited = beheerder_client.post(EDIT, {"yaml": text})
    imported = beheerder_client.post(IMPORT, {"file": SimpleUploadedFile("bom.yaml", text.encode())})

    assert (timezone.now() - started) < timedelta(seconds=10)
    for response in (edited, imported):
        assert response.status_code == 200
        assert "te veel onderdelen voor een meldroute" in assert_dutch_form_error(response)
    assert_kept(edited.content.decode(), text)
    assert route_tables() == before


@pytest.mark.parametrize("scalar", ["2024-02-30", "0000-00-00", "2024-01-01 25:00:00", "!!int abc", "!!float abc",
                                    "!!bool misschien", "!!timestamp gisteren", "9" * 5000])
def test_a_value_that_only_looks_like_a_date_or_number_is_refused_in_dutch(beheerder_client, world, scalar):
    text = f"name: {scalar}\nsteps: [{{key: a, title: T, actor: af, action: pick_up}}]\n"

    response = beheerder_client.post(EDIT, {"yaml": text})

    assert response.status_code == 200
    assert "De YAML is niet leesbaar" in assert_dutch_form_error(response)
    assert not RouteDefinition.objects.exists()


@pytest.mark.parametrize("escaped", ["\\0", "\\x00", "\\ud800", "\\udfff"])
@pytest.mark.parametrize("where", ["name", "title", "description", "number", "condition"])
def test_an_escaped_nul_or_half_character_in_a_route_is_refused_not_stored(beheerder_client, client, world, escaped,
                                                                           where):
    """YAML and JSON escapes can put a NUL (PostgreSQL refuses it) or half a unicode character (no database takes
    it) in any text of a route: refused with a Dutch message, on every way in."""
    quoted = f'"x{escaped}y"'
    if where == "name":
        text = f"name: {quoted}\nsteps: [{{key: a, title: T, actor: af, action: pick_up}}]\n"
    elif where == "condition":
        text = f"name: N\nsteps: [{{key: a, title: T, actor: af, action: pick_up, when: {{side: {quoted}}}}}]\n"
    else:
        text = f"name: N\nsteps: [{{key: a, title: T, actor: af, action: pick_up, {where}: {quoted}}}]\n"
    decoded = yaml.safe_load(text)

    page = beheerder_client.post(EDIT, {"yaml": text})
    api = client.generic("POST", ROUTE_API, data=json.dumps(decoded).encode(), content_type="application/json",
                         **token_headers(world.beheerder))

    assert page.status_code == 200
    assert "niet kan worden opgeslagen" in assert_dutch_form_error(page)
    assert "niet kan worden opgeslagen" in assert_dutch_api_error(api, statuses=(400,))["detail"]
    assert not RouteDefinition.objects.exists()


# --- Unreadable JSON on every engine endpoint -----------------------------------------------------------------------

UNREADABLE = [b"[" * 100_000, b'{"a":' * 50_000, b"{kapot", b"\xff\xfe\x00\x01", b'{"reason": NaN}',
              b'{"note": ' + b"9" * 5000 + b"}", b"", b"null"]


@pytest.fixture
def engine(world, tables, registers):
    """One of everything an engine endpoint acts on: a signal on its route at a meeting, a referral, a route."""
    signal = make_signal(world.melder_a, kvk_number="99123456")
    meeting = meeting_services.next_meeting(tables.own, actor=world.af_a)
    meeting_services.compile_agenda(meeting, actor=world.af_a)
    referral = referral_services.create_referral(make_signal(world.melder_a), actor=world.af_a,
                                                 receiver_organisation=world.police, purpose="Onderzoek",
                                                 legal_ground=LegalGround.PUBLIC_TASK, categories=[])
    return SimpleNamespace(signal=signal, meeting=meeting, item=meeting.items.get(signal=signal), referral=referral)


ENGINE_TABLES = (RouteDefinition, RouteStep, Signal, SignalStatusChange, SignalRoute, SignalRouteStep, AgendaItem,
                 Meeting, Referral, ReferralStatusChange, EnrichmentNote, SignalLink)


@pytest.mark.parametrize("body", UNREADABLE, ids=lambda body: repr(body[:12]))
def test_an_unreadable_body_on_any_engine_endpoint_is_a_structured_dutch_400(client, world, engine, body):
    calls = [
        (ROUTE_API, world.beheerder),
        (f"/api/v1/referrals/{engine.referral.uuid}/reject/", world.partner),
        (f"/api/v1/referrals/{engine.referral.uuid}/complete/", world.partner),
        (f"/api/v1/meetings/{engine.meeting.uuid}/items/{engine.item.uuid}/decision/", world.af_a),
        (f"/api/v1/signals/{engine.signal.uuid}/lookups/", world.af_a),
        (f"/api/v1/signals/{engine.signal.uuid}/route/", world.af_a),
    ]
    before = snapshot(*ENGINE_TABLES)
    for url, user in calls:
        response = client.generic("POST", url, data=body, content_type="application/json", **token_headers(user))

        assert_dutch_api_error(response, statuses=(400,))
    assert snapshot(*ENGINE_TABLES) == before


# --- Meetings --------------------------------------------------------------------------------------------------------

MEETING_ROUTE = {
    "name": "Testroute met signaleringsoverleg",
    "steps": [
        {"key": "overleg", "position": 1, "title": "Signaleringsoverleg", "actor": "meeting", "action": "meeting",
         "target": "signaling"},
        {"key": "doorverwijzen", "position": 2, "title": "Doorverwijzen", "actor": "af", "action": "refer",
         "when": {"decision": "refer"}},
        {"key": "terugkoppeling", "position": 3, "title": "Terugkoppeling", "actor": "af", "action": "feedback"},
    ],
}
MEETING_TABLES = (AgendaItem, Meeting, CaseAgendaRequest, CaseAction, SignalRoute, SignalRouteStep, Signal,
                  SignalStatusChange)


@pytest.fixture
def tables(world):
    """Municipality A's own signaling table (A chairs: its AF decides; the police takes part), and region 2's."""
    ensure_default_sharing_rules()
    routing_services.install_route(world.region, MEETING_ROUTE, actor=world.beheerder)
    own = MeetingSeries.objects.create(region=world.region, municipality=world.a, kind=MeetingKind.SIGNALING,
                                       name="Signaleringsoverleg Aadorp", cadence=Cadence.WEEKLY,
                                       weekday=Weekday.THURSDAY, chair_organisation=world.a,
                                       shared_categories=[DataCategory.DESCRIPTION])
    own.participants.set([world.a, world.police])
    other = MeetingSeries.objects.create(region=world.region2, kind=MeetingKind.SCREENING, name="Overleg Regio Twee",
                                         chair_organisation=world.police2)
    other.participants.set([world.police2, world.c])
    return SimpleNamespace(own=own, other=other)


def item_on_agenda(world, series, *, case: bool) -> AgendaItem:
    """A fresh agenda item: a new signal waiting on its route for this table, or a new case brought to it."""
    chair = world.af_a
    if case:
        opened = case_services.open_case(actor=chair, signals=[concrete_signal(world)], title="Nagelsalon")
        meeting_services.bring_case_to_meeting(opened, actor=chair, series=series, reason="Voortgang bespreken")
    else:
        signal = make_signal(world.melder_a)
    meeting = meeting_services.next_meeting(series, actor=chair)
    meeting_services.compile_agenda(meeting, actor=chair)
    if case:
        return meeting.items.get(case=opened)
    return meeting.items.get(signal=signal)


def organisation_ids(world):
    """Participants of the table, organisations that are not (ZVH, another region, another municipality), junk."""
    return st.one_of(st.sampled_from([str(world.a.pk), str(world.police.pk)]),
                     st.sampled_from([str(world.zvh.pk), str(world.police2.pk), str(world.c.pk), "0", "-1",
                                      "99999999999999999999999"]), TEXT)


FUTURE = st.integers(0, 400).map(lambda days: (timezone.localdate() + timedelta(days=days)).isoformat())
PAST = st.integers(1, 400).map(lambda days: (timezone.localdate() - timedelta(days=days)).isoformat())


def _valid_decision(world, *, codes: bool):
    """A decision the chair may record: with an owner (a participant), an action and maybe a deadline ahead."""
    owners = ["GM8901", "POL-R1"] if codes else [str(world.a.pk), str(world.police.pk)]
    return st.sampled_from(Decision.values).flatmap(lambda decision: st.fixed_dictionaries({
        "decision": st.just(decision), "owner_organisation": st.sampled_from(owners),
        "action": st.just("De politie gaat langs bij de loods.")},
        optional={"deadline": FUTURE,
                  "refer_to": st.sampled_from(PartnerType.values) if decision == Decision.REFER else st.just("")}))


def decision_fields(world):
    junk = st.fixed_dictionaries({"decision": mostly(st.sampled_from(Decision.values), TEXT)}, optional={
        "refer_to": mostly(st.sampled_from(["", *PartnerType.values]), TEXT),
        "owner_organisation": mostly(st.sampled_from([str(world.a.pk), str(world.police.pk)]),
                                     organisation_ids(world)),
        "action": mostly(st.just("De politie gaat langs bij de loods."), TEXT),
        "deadline": st.one_of(FUTURE, FUTURE, PAST, DATE_TEXT, TEXT),
    })
    return st.one_of(_valid_decision(world, codes=False), junk)


def assert_decided_once(item: AgendaItem, before: dict, user) -> None:
    item.refresh_from_db()
    assert item.decision and item.decided_by == user and item.decided_at is not None
    assert AuditEvent.objects.filter(action="meeting.item_decided", details__item=str(item.uuid)).count() == 1
    others = [row for row in before[AgendaItem._meta.label] if row["id"] != item.pk]
    assert others == list(AgendaItem.objects.exclude(pk=item.pk).order_by("pk").values()), "only this item moved"


@pytest.fixture
def chair_client(client, world):
    client.force_login(world.af_a)
    return client


@FEW
@given(data=st.data())
def test_random_decisions_on_the_agenda_page_decide_one_item_completely_or_change_nothing(chair_client, world,
                                                                                        tables, data):
    item = item_on_agenda(world, tables.own, case=data.draw(st.booleans(), label="case item"))
    fields = data.draw(decision_fields(world), label="fields")
    prefix = data.draw(mostly(st.just(f"punt{item.position}"), st.sampled_from(["punt0", "", "punt-1"])),
                       label="prefix")
    payload = {f"{prefix}-{name}" if prefix else name: value for name, value in fields.items()}
    before = snapshot(*MEETING_TABLES)

    response = chair_client.post(reverse("meetings:decide", args=[item.meeting.uuid, item.uuid]), payload)

    event(f"status {response.status_code}")
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert_decided_once(item, before, world.af_a)
    else:
        assert snapshot(*MEETING_TABLES) == before
        body = assert_dutch_form_error(response)
        if prefix == f"punt{item.position}":
            assert_kept(body, fields.get("action"))


def decision_bodies(world):
    codes = st.sampled_from(["GM8901", "POL-R1", "ZVH-R1", "POL-R2", "GM8903", "", "onbekend"])
    junk = st.fixed_dictionaries({"decision": mostly(st.sampled_from(Decision.values), JSON_ANY)}, optional={
        "refer_to": mostly(st.sampled_from(["", *PartnerType.values]), JSON_ANY),
        "owner_organisation": mostly(st.sampled_from(["GM8901", "POL-R1"]), st.one_of(codes, JSON_ANY)),
        "action": mostly(st.just("De politie gaat langs."), st.one_of(TEXT, JSON_ANY)),
        "deadline": st.one_of(FUTURE, PAST, DATE_TEXT, JSON_ANY),
    })
    return st.one_of(_valid_decision(world, codes=True), junk, JSON_ANY)


@FEW
@given(data=st.data())
def test_random_decision_api_bodies_decide_one_item_completely_or_get_a_structured_4xx(client, world, tables, data):
    item = item_on_agenda(world, tables.own, case=data.draw(st.booleans(), label="case item"))
    wrong = data.draw(st.sampled_from(["none", "none", "none", "meeting", "item"]), label="wrong id")
    meeting_id, item_id = str(item.meeting.uuid), str(item.uuid)
    if wrong == "meeting":  # a meeting of region 2's table (the chair does not sit there), or none at all
        meeting_id = data.draw(uuids(meeting_services.next_meeting(tables.other, actor=None).uuid), label="meeting")
    elif wrong == "item":  # an item of another meeting, or none at all
        elsewhere = AgendaItem.objects.exclude(meeting=item.meeting).values_list("uuid", flat=True).first()
        item_id = data.draw(uuids(elsewhere or uuid.uuid4()), label="item")
    body = data.draw(decision_bodies(world), label="body")
    before = snapshot(*MEETING_TABLES)

    response = post_json(client, f"/api/v1/meetings/{quote(meeting_id, safe='')}/items/{quote(item_id, safe='')}"
                                 f"/decision/", body, world.af_a)

    event(f"status {response.status_code}")
    if response.status_code == 200:
        assert_decided_once(item, before, world.af_a)
        assert response.json()["id"] == str(item.meeting.uuid)
    else:
        assert_dutch_api_error(response)
        assert snapshot(*MEETING_TABLES) == before


@FEW
@given(data=st.data())
def test_random_case_requests_and_closing_notes_write_one_complete_step_or_nothing(chair_client, world, tables, data):
    # Bringing a new case to a table (series of the own table, another region's, junk) with a random reason.
    case = case_services.open_case(actor=world.af_a, signals=[concrete_signal(world)], title="Loods")
    reason = data.draw(mostly(st.just("Voortgang bespreken"), TEXT), label="reason")
    series = data.draw(st.sampled_from(["own", "own", "own", "other", "junk"]).flatmap(
        lambda kind: st.just(str(tables.own.pk)) if kind == "own" else st.just(str(tables.other.pk))
        if kind == "other" else TEXT), label="series")
    payload = data.draw(mostly(st.just({"agenderen-series": series, "agenderen-reason": reason}),
                               st.sampled_from([{"agenderen-reason": reason}, {"series": series, "reason": reason}])),
                        label="payload")
    before = snapshot(*MEETING_TABLES)

    response = chair_client.post(reverse("meetings:request_case", args=[case.uuid]), browser(payload))

    event(f"request {response.status_code}")
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert CaseAgendaRequest.objects.filter(case=case).count() == 1
        assert AuditEvent.objects.filter(action="meeting.case_requested", target_uuid=case.uuid).count() == 1
        assert AuditEvent.objects.count() == before["audit"] + 1
    else:
        assert snapshot(*MEETING_TABLES) == before
        body = assert_dutch_form_error(response)
        if "agenderen-reason" in payload:
            assert_kept(body, reason)

    # Closing a meeting, with or without undecided items, with random notes.
    meeting = meeting_services.next_meeting(tables.own, actor=world.af_a)
    meeting_services.compile_agenda(meeting, actor=world.af_a)
    if data.draw(st.booleans(), label="all decided"):
        for item in meeting.items.filter(decision=""):
            meeting_services.decide_item(item, actor=world.af_a, decision=Decision.NO_TRAFFICKING)
    notes = data.draw(st.one_of(st.just("Goed overleg."), TEXT), label="notes")
    before = snapshot(*MEETING_TABLES)

    response = chair_client.post(reverse("meetings:close", args=[meeting.uuid]), {"notes": notes})

    event(f"close {response.status_code}")
    assert response.status_code in (200, 302)
    meeting.refresh_from_db()
    if response.status_code == 302:
        assert meeting.status == MeetingStatus.HELD and meeting.notes == notes.strip()
        assert AuditEvent.objects.filter(action="meeting.held", target_uuid=meeting.uuid).count() == 1
        assert AuditEvent.objects.count() == before["audit"] + 1
    else:
        assert snapshot(*MEETING_TABLES) == before
        assert_kept(assert_dutch_form_error(response), notes)


def test_a_second_close_of_a_held_meeting_says_so_in_dutch(chair_client, world, tables, clock):
    """Two chairs, or a double click: the meeting is already held when the second close arrives."""
    meeting = meeting_services.next_meeting(tables.own, actor=world.af_a)
    meeting_day(clock, meeting)  # a meeting is held on or after its date
    chair_client.force_login(world.af_a)  # again: the session idled out while the clock moved
    meeting_services.close_meeting(meeting, actor=world.af_a, notes="Eerste keer.")
    before = snapshot(*MEETING_TABLES)

    response = chair_client.post(reverse("meetings:close", args=[meeting.uuid]), {"notes": "x" * 10_001})

    assert response.status_code == 302 and snapshot(*MEETING_TABLES) == before
    page = chair_client.get(response["Location"]).content.decode()
    assert "Dit overleg is al afgesloten of vervallen." in page


# --- Referrals -------------------------------------------------------------------------------------------------------

REFERRAL_TABLES = (Referral, ReferralStatusChange, ReferralLink, Signal, SignalStatusChange, SignalRouteStep)
PURPOSE = "Onderzoek naar mogelijke uitbuiting"


@pytest.fixture
def partners(world):
    """The national sharing rules, a SHOP entry in region 1's wegwijzer and one in region 2's."""
    ensure_default_sharing_rules()
    shop = DirectoryEntry.objects.create(region=world.region, partner_type=PartnerType.SHOP, name="SHOP Regio Een")
    elsewhere = DirectoryEntry.objects.create(region=world.region2, partner_type=PartnerType.FAIRWORK,
                                              name="FairWork Regio Twee")
    return SimpleNamespace(shop=shop, elsewhere=elsewhere)


def receivers(world, partners):
    valid = st.sampled_from([f"org:{world.police.uuid}", f"org:{world.zvh.uuid}", f"org:{world.riec.uuid}",
                             f"entry:{partners.shop.uuid}"])
    foreign = st.sampled_from([f"org:{world.police2.uuid}", f"org:{world.b.uuid}", f"org:{world.a.uuid}",
                               f"entry:{partners.elsewhere.uuid}", f"org:{uuid.uuid4()}", f"entry:{world.police.uuid}",
                               "org:", "entry:x"])
    return mostly(valid, st.one_of(foreign, TEXT))


def referral_forms(world, partners):
    valid = st.fixed_dictionaries({
        "receiver": st.sampled_from([f"org:{world.police.uuid}", f"org:{world.zvh.uuid}", f"org:{world.riec.uuid}"]),
        "purpose": st.just(PURPOSE), "legal_ground": st.sampled_from([LegalGround.PUBLIC_TASK, LegalGround.CONSENT]),
        "categories": st.lists(st.sampled_from(DataCategory.values), max_size=3)},
        optional={"note": st.just("Telefonisch afgestemd.")})
    return st.one_of(valid, st.fixed_dictionaries({
        "receiver": receivers(world, partners),
        "purpose": mostly(st.just(PURPOSE), TEXT),
        "legal_ground": mostly(st.sampled_from(LegalGround.values), TEXT),
    }, optional={
        "categories": st.lists(st.one_of(st.sampled_from(DataCategory.values), NASTY_TEXT), max_size=4),
        "note": TEXT,
    }))


@pytest.fixture
def af_client(client, world):
    client.force_login(world.af_a)
    return client


@FEW
@given(data=st.data())
def test_random_referral_forms_send_one_complete_referral_or_nothing(af_client, world, partners, data):
    signal = make_signal(world.melder_a, persons_description="Meisje van ongeveer zestien")
    extra = data.draw(st.dictionaries(FIELD_NAMES, TEXT, max_size=2), label="extra")
    payload = {**extra, **data.draw(referral_forms(world, partners), label="payload")}
    before = snapshot(*REFERRAL_TABLES)

    response = af_client.post(reverse("referrals:new", args=[signal.uuid]), browser(payload))

    event(f"status {response.status_code}")
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        referral = Referral.objects.get(signal=signal)
        assert response["Location"] == reverse("referrals:detail", args=[referral.uuid])
        assert referral.status_changes.count() == 1 and referral.purpose == payload["purpose"].strip()
        assert AuditEvent.objects.filter(action="referral.created", target_uuid=referral.uuid).count() == 1
        signal.refresh_from_db()
        assert signal.status == SignalStatus.FORWARDED
    else:
        refusals = AuditEvent.objects.filter(action="referral.share_refused", target_uuid=signal.uuid).count()
        assert refusals in (0, 1), "a refused share is on record, once; nothing else is written"
        assert {**snapshot(*REFERRAL_TABLES), "audit": before["audit"]} == before
        assert AuditEvent.objects.count() == before["audit"] + refusals
        body = assert_dutch_form_error(response)
        assert_kept(body, payload["purpose"])
        assert_kept(body, payload.get("note"))


def fresh_referral(world, *, state: str) -> Referral:
    referral = referral_services.create_referral(
        make_signal(world.melder_a), actor=world.af_a, receiver_organisation=world.police, purpose=PURPOSE,
        legal_ground=LegalGround.PUBLIC_TASK, categories=[DataCategory.DESCRIPTION])
    if state in ("accepted", "done"):
        referral_services.accept_referral(referral, actor=world.partner)
    if state == "done":
        referral_services.complete_referral(referral, actor=world.partner, outcome="Verhoord.")
    if state == "revoked":
        referral_services.revoke_referral(referral, actor=world.af_a, reason="Vergissing")
    referral.refresh_from_db()
    return referral


RECEIVER_FIELDS = st.fixed_dictionaries({}, optional={
    "reason": mostly(st.just("Geen capaciteit deze maand."), TEXT),
    "outcome": mostly(st.just("Gesprek gevoerd; geen aanwijzingen."), TEXT)})
ACTIONS_OF = {"partner": ["accepteren", "afwijzen", "afronden", "intrekken", "link", "verwijderen"],
              "af": ["intrekken", "link", "accepteren", "afronden", "bewerken"]}
STATES = st.sampled_from(["in_progress", "in_progress", "accepted", "done", "revoked"])
TYPED_IN = {"afwijzen": "reason", "afronden": "outcome", "intrekken": "reason"}  # the text field of each form


def typed_for(action: str, fields: dict) -> dict:
    name = TYPED_IN.get(action)
    return {name: fields[name]} if name in fields else {}


def test_revoking_a_referral_that_was_closed_meanwhile_says_why_at_the_form(af_client, world):
    """The partner returned the outcome while the AF was writing why to revoke: the refusal and the text stay."""
    ensure_default_sharing_rules()
    referral = fresh_referral(world, state="done")
    before = snapshot(*REFERRAL_TABLES)

    response = af_client.post(reverse("referrals:action", args=[referral.uuid, "intrekken"]),
                              {"intrekken-reason": "Toch niet nodig <b>meer</b>."})

    assert response.status_code == 200 and snapshot(*REFERRAL_TABLES) == before
    body = assert_dutch_form_error(response)
    assert "kan niet naar" in body
    assert_kept(body, "Toch niet nodig <b>meer</b>.")


def assert_one_referral_step_or_nothing(response, referral, before: dict, typed: dict) -> None:
    after = snapshot(*REFERRAL_TABLES)
    changes = len(after[ReferralStatusChange._meta.label]) - len(before[ReferralStatusChange._meta.label])
    links = len(after[ReferralLink._meta.label]) - len(before[ReferralLink._meta.label])
    if changes or links:
        assert response.status_code in (200, 302) and (changes, links) in ((1, 0), (0, 1))
        if changes:
            change = referral.status_changes.order_by("-id").first()
            assert Referral.objects.get(pk=referral.pk).status == change.to_status
            assert AuditEvent.objects.filter(action="referral.status_changed", target_uuid=referral.uuid,
                                             details__to=change.to_status).exists()
        else:
            assert AuditEvent.objects.filter(action="referral.link_created", target_uuid=referral.uuid).exists()
        return
    assert after == before, "a refused answer changes nothing"
    if response.status_code == 200:
        body = assert_dutch_form_error(response)
        for text in typed.values():
            assert_kept(body, text)


@FEW
@given(data=st.data())
def test_random_answers_in_the_app_change_the_referral_by_one_complete_step_or_not_at_all(client, world, data):
    ensure_default_sharing_rules()
    referral = fresh_referral(world, state=data.draw(STATES, label="state"))
    for _round in range(data.draw(st.integers(1, 3), label="rounds")):
        who = data.draw(st.sampled_from(["partner", "partner", "af", "partner2"]), label="who")
        user = {"partner": world.partner, "af": world.af_a, "partner2": world.partner2}[who]
        action = data.draw(st.sampled_from(ACTIONS_OF["af" if who == "af" else "partner"]), label="action")
        fields = data.draw(RECEIVER_FIELDS, label="fields")
        payload = {f"{action}-{name}": value for name, value in fields.items()}
        client.force_login(user)
        before = snapshot(*REFERRAL_TABLES)

        response = client.post(reverse("referrals:action", args=[referral.uuid, action]), payload)

        event(f"{who} {action} {response.status_code}")
        assert response.status_code in (200, 302, 404)
        if who == "partner2":
            assert response.status_code == 404
        assert_one_referral_step_or_nothing(response, referral, before, typed_for(action, fields))


@FEW
@given(data=st.data())
def test_random_answers_through_a_personal_link_change_the_referral_by_one_step_or_not_at_all(client, world, data):
    """The partner without an account answers through the link: junk tokens, revoked links, junk fields."""
    ensure_default_sharing_rules()
    referral = fresh_referral(world, state=data.draw(STATES, label="state"))
    if referral.is_open:
        link, token = referral_services.create_link(referral, actor=world.af_a)
        if data.draw(st.integers(0, 4), label="revoke") == 4:  # one in five links was revoked by the sender
            referral_services.revoke_link(link, actor=world.af_a)
    else:
        token = "a" * 43
    if data.draw(st.sampled_from(["real", "real", "real", "junk"]), label="token kind") == "junk":
        token = data.draw(st.one_of(st.just(token + "x"), st.just(token[:-1]), st.just("x" * 101),
                                    st.text(min_size=1, max_size=120)), label="token")
    for _round in range(data.draw(st.integers(1, 3), label="rounds")):
        action = data.draw(mostly(st.sampled_from(["accepteren", "afwijzen", "afronden"]),
                                  st.sampled_from(["intrekken", "link", "x", "accepteren-"])), label="action")
        fields = data.draw(RECEIVER_FIELDS, label="fields")
        payload = {f"{action}-{name}": value for name, value in fields.items()}
        before = snapshot(*REFERRAL_TABLES)

        response = client.post(f"/verwijzing/{quote(token, safe='')}/{action}/", payload)

        event(f"{action} {response.status_code}")
        assert response.status_code in (200, 302, 404)
        assert_one_referral_step_or_nothing(response, referral, before, typed_for(action, fields))
        if response.status_code == 302:
            assert response["Location"] == reverse("referrals:public", args=[token])
            change = referral.status_changes.order_by("-id").first()
            assert change.actor is None and change.actor_label  # nobody signed in: the link's receiver acted


@FEW
@given(data=st.data())
def test_random_referral_api_bodies_change_the_referral_by_one_step_or_get_a_structured_4xx(client, world, data):
    ensure_default_sharing_rules()
    referral = fresh_referral(world, state=data.draw(STATES, label="state"))
    to_zvh = referral_services.create_referral(make_signal(world.melder_a), actor=world.af_a,
                                               receiver_organisation=world.zvh, purpose=PURPOSE,
                                               legal_ground=LegalGround.PUBLIC_TASK, categories=[])
    referral_id = data.draw(mostly(st.just(str(referral.uuid)), uuids(to_zvh.uuid)), label="referral")
    action = data.draw(st.sampled_from(["accept", "reject", "complete"]), label="action")
    body = data.draw(st.one_of(st.fixed_dictionaries({}, optional={
        "reason": mostly(st.just("Geen capaciteit."), st.one_of(TEXT, JSON_ANY)),
        "outcome": mostly(st.just("Gesprek gevoerd."), st.one_of(TEXT, JSON_ANY))}), JSON_ANY), label="body")
    before = snapshot(*REFERRAL_TABLES)

    response = post_json(client, f"/api/v1/referrals/{quote(referral_id, safe='')}/{action}/", body, world.partner)

    event(f"{action} {response.status_code}")
    if response.status_code == 200:
        referral.refresh_from_db()
        assert response.json()["status"] == referral.status
        assert referral.status_changes.count() == len([
            r for r in before[ReferralStatusChange._meta.label] if r["referral_id"] == referral.pk]) + 1
        assert AuditEvent.objects.filter(action="referral.status_changed", target_uuid=referral.uuid,
                                         details__to=referral.status).exists()
    else:
        assert_dutch_api_error(response)
        assert snapshot(*REFERRAL_TABLES) == before


# --- Triage: register lookups, classification with route facts, route steps ----------------------------------------

TRIAGE_ROUTE = {
    "name": "Testroute met verrijking",
    "steps": [
        {"key": "oppakken", "position": 1, "title": "Oppakken", "actor": "af", "action": "pick_up"},
        {"key": "verrijken", "position": 2, "title": "Verrijken en classificeren", "actor": "af", "action": "enrich"},
        {"key": "politie", "position": 3, "title": "Politie informeren", "actor": "af", "action": "inform",
         "target": "police", "when": {"prostitution": True}},
        {"key": "besluit", "position": 3, "title": "Besluiten", "actor": "af", "action": "decide",
         "when": {"not_side": "perpetrator"}},
        {"key": "terugkoppeling", "position": 4, "title": "Terugkoppeling", "actor": "af", "action": "feedback"},
    ],
}
TRIAGE_TABLES = (Signal, SignalStatusChange, Classification, EnrichmentNote, SignalLink, SignalRoute,
                 SignalRouteStep)
LOOKUP_PURPOSE = "Nagaan wie er op dit adres woont"


@pytest.fixture
def triage_route(world):
    return routing_services.install_route(world.region, TRIAGE_ROUTE, actor=world.beheerder)


def _valid_brp():
    purpose, number = st.just(LOOKUP_PURPOSE), st.integers(1, 300).map(str)
    return st.one_of(
        st.fixed_dictionaries({"purpose": purpose, "bsn": st.integers(0, 50).map(fake_services.fake_bsn)}),
        st.fixed_dictionaries({"purpose": purpose, "postcode": st.sampled_from(["1234 AB", "9901aa"]),
                               "house_number": number}),
        st.fixed_dictionaries({"purpose": purpose, "street": st.sampled_from(["Kerkweg", "Havenkade"]),
                               "house_number": number}))


def _valid_kvk():
    return st.fixed_dictionaries({"purpose": st.just(LOOKUP_PURPOSE),
                                  "kvk_number": st.sampled_from(["99123456", "9912 3456", "99000001"])},
                                 optional={"name": st.just("Glansrijk")})


def brp_fields():
    junk = st.fixed_dictionaries({"purpose": mostly(st.just(LOOKUP_PURPOSE), TEXT)}, optional={
        "bsn": st.one_of(st.integers(0, 50).map(fake_services.fake_bsn), st.sampled_from(["111222333", "123456789",
                                                                                          "9999 0001 6", ""]), TEXT),
        "postcode": st.one_of(st.sampled_from(["1234 AB", "9901AA", "0123 AB", ""]), TEXT),
        "street": st.one_of(st.sampled_from(["Kerkweg", "Havenkade", ""]), TEXT),
        "house_number": st.one_of(st.integers(-1, 100_000).map(str), TEXT),
    })
    return st.one_of(_valid_brp(), junk)


def kvk_fields():
    junk = st.fixed_dictionaries({"purpose": mostly(st.just(LOOKUP_PURPOSE), TEXT)}, optional={
        "kvk_number": st.one_of(st.sampled_from(["99123456", "9912 3456", "12345678", "1234", ""]), TEXT),
        "name": st.one_of(st.sampled_from(["Glansrijk", "Kwekerij De Kas", "x", ""]), TEXT),
    })
    return st.one_of(_valid_kvk(), junk)


def assert_one_lookup_or_nothing(response, signal, before: dict, typed: dict) -> None:
    after = snapshot(*TRIAGE_TABLES)
    if response.status_code == 302:
        notes = EnrichmentNote.objects.filter(signal=signal)
        assert notes.count() == len([n for n in before[EnrichmentNote._meta.label] if n["signal_id"] == signal.pk]) + 1
        note = notes.order_by("-id").first()
        assert note.purpose == " ".join(typed["purpose"].split()) and note.retrieved_at is not None
        assert AuditEvent.objects.filter(action="signal.looked_up", target_uuid=signal.uuid).count() >= 1
        return
    assert after == before, "a refused lookup writes nothing"
    body = assert_dutch_form_error(response)
    for text in typed.values():
        assert_kept(body, text)


@FEW
@given(data=st.data())
def test_random_register_lookups_on_the_signal_page_add_one_complete_note_or_nothing(af_client, world, registers,
                                                                                    data):
    signal = make_signal(world.melder_a, address="Kerkweg 12, Aadorp", kvk_number="99123456")
    if data.draw(st.integers(0, 4), label="closed") == 4:  # one in five signals was closed meanwhile
        triage_services.close_signal(signal, actor=world.af_a, outcome=Outcome.NO_TRAFFICKING, text="Geen signaal.")
    source = data.draw(st.sampled_from(["brp", "kvk"]), label="source")
    fields = data.draw(brp_fields() if source == "brp" else kvk_fields(), label="fields")
    payload = {f"lookup_{source}-{name}": value for name, value in fields.items()}
    before = snapshot(*TRIAGE_TABLES)

    response = af_client.post(reverse("triage:action", args=[signal.uuid, f"lookup_{source}"]), payload)

    event(f"{source} {response.status_code}")
    assert response.status_code in (200, 302)
    assert_one_lookup_or_nothing(response, signal, before, fields)


def lookup_bodies():
    def typed(source, fields):
        return fields.map(lambda body: {"source": source, **body})
    valid = st.one_of(typed("brp", _valid_brp()), typed("kvk", _valid_kvk())).map(
        lambda body: {k: int(v) if k == "house_number" else v for k, v in body.items()})
    brp = st.fixed_dictionaries({"source": mostly(st.just("brp"), JSON_ANY),
                                 "purpose": mostly(st.just(LOOKUP_PURPOSE), st.one_of(TEXT, JSON_ANY))}, optional={
        "bsn": st.one_of(st.integers(0, 50).map(fake_services.fake_bsn), st.just("123456789"), JSON_ANY),
        "postcode": st.one_of(st.just("1234 AB"), JSON_ANY), "street": st.one_of(st.just("Kerkweg"), JSON_ANY),
        "house_number": st.one_of(st.integers(-1, 100_000), JSON_ANY)})
    kvk = st.fixed_dictionaries({"source": mostly(st.just("kvk"), JSON_ANY),
                                 "purpose": mostly(st.just(LOOKUP_PURPOSE), st.one_of(TEXT, JSON_ANY))}, optional={
        "kvk_number": st.one_of(st.sampled_from(["99123456", "1234"]), JSON_ANY),
        "name": st.one_of(st.just("Glansrijk"), JSON_ANY)})
    return st.one_of(valid, brp, kvk, JSON_ANY)


@FEW
@given(data=st.data())
def test_random_lookup_api_bodies_add_one_complete_note_or_get_a_structured_4xx(client, world, registers, data):
    signal = make_signal(world.melder_a, address="Kerkweg 12, Aadorp")
    other = make_signal(world.melder_b)  # another municipality of the region: a foreign id for an AF of A
    signal_id = data.draw(mostly(st.just(str(signal.uuid)), uuids(other.uuid)), label="signal")
    body = data.draw(lookup_bodies(), label="body")
    before = snapshot(*TRIAGE_TABLES)

    response = post_json(client, f"/api/v1/signals/{quote(signal_id, safe='')}/lookups/", body, world.af_a)

    event(f"status {response.status_code}")
    if response.status_code == 201:
        note = EnrichmentNote.objects.get(signal=signal)
        assert response.json()["id"] == str(note.uuid) and note.purpose
        assert AuditEvent.objects.filter(action="signal.looked_up", target_uuid=signal.uuid).count() == 1
    else:
        assert_dutch_api_error(response)
        assert snapshot(*TRIAGE_TABLES) == before


def classification_fields():
    def many(values):
        return st.lists(st.one_of(st.sampled_from(list(values)), NASTY_TEXT), max_size=3)
    return st.fixed_dictionaries({"assessment": mostly(st.sampled_from(Assessment.values), TEXT)}, optional={
        "exploitation_forms": mostly(st.lists(st.sampled_from(ExploitationForm.values), min_size=1, max_size=2),
                                     many(ExploitationForm.values)),
        "sector": st.one_of(st.sampled_from(["", *Sector.values]), TEXT),
        "means_of_control": many(MeansOfControl.values),
        "side": mostly(st.sampled_from(["", *Side.values]), TEXT),
        "prostitution": st.one_of(st.sampled_from(["on", "true", "1", "", "false", "0"]), TEXT),
        "minor": st.one_of(st.sampled_from(["on", ""]), TEXT), "meldcode": st.one_of(st.sampled_from(["on"]), TEXT),
    })


@FEW
@given(data=st.data())
def test_random_classifications_with_route_facts_and_step_completions_move_the_route_once_or_not_at_all(
        af_client, world, triage_route, data):
    signal = make_signal(world.melder_a)
    foreign = make_signal(world.melder_b)  # its steps are another municipality's
    for _round in range(data.draw(st.integers(1, 4), label="rounds")):
        route = SignalRoute.objects.get(signal=signal)
        current = {str(step.uuid) for step in route.steps.filter(state=StepState.ACTIVE)}
        action = data.draw(st.sampled_from(["classify", "complete_step"]), label="action")
        if action == "classify":
            fields = data.draw(classification_fields(), label="fields")
        else:
            steps = list(route.steps.all()) + list(SignalRouteStep.objects.filter(signal_route__signal=foreign))
            others = st.one_of(st.sampled_from([str(s.uuid) for s in steps]), uuids(uuid.uuid4()), NASTY_TEXT)
            step = data.draw(mostly(st.sampled_from(sorted(current)), others) if current else others, label="step")
            note = data.draw(st.one_of(st.just("Gebeld met de politie."), st.just("Besproken."), TEXT, st.none()),
                             label="note")
            fields = {"step": step} if note is None else {"step": step, "note": note}
        payload = {f"{action}-{name}": value for name, value in fields.items()}
        before = snapshot(*TRIAGE_TABLES)

        response = af_client.post(reverse("triage:action", args=[signal.uuid, action]), payload)

        event(f"{action} {response.status_code}")
        assert response.status_code in (200, 302, 404)
        if response.status_code == 302 and action == "classify":
            classification = Classification.objects.get(signal=signal)
            assert classification.assessment == fields["assessment"]
            facts = SignalRoute.objects.get(signal=signal).facts
            assert facts["side"] == (fields.get("side") or Side.UNKNOWN)
            assert facts["assessment"] == fields["assessment"]
            assert AuditEvent.objects.filter(action="signal.classified", target_uuid=signal.uuid).count() >= 1
        elif response.status_code == 302:
            step = SignalRouteStep.objects.get(uuid=fields["step"])
            assert step.state == StepState.DONE and step.note == fields["note"].strip()[:5000]
            assert AuditEvent.objects.filter(action="route.step_completed", target_uuid=signal.uuid,
                                             details__step=step.key).exists()
        else:
            assert snapshot(*TRIAGE_TABLES) == before
        if response.status_code == 200:
            body = assert_dutch_form_error(response)
            if fields.get("step") in current:  # a step that is not current has no note field to show it in
                assert_kept(body, fields.get("note"))


@FEW
@given(data=st.data())
def test_random_route_step_api_bodies_complete_one_step_or_get_a_structured_4xx(client, world, triage_route, data):
    signal = make_signal(world.melder_a)
    triage_services.classify_signal(signal, actor=world.af_a, assessment=Assessment.SUSPECTED, forms=["sexual"],
                                    route_facts={"prostitution": True})
    foreign = make_signal(world.melder_b)
    steps = list(SignalRouteStep.objects.filter(signal_route__signal__in=[signal, foreign]))
    body = data.draw(st.one_of(st.fixed_dictionaries({
        "step": st.one_of(st.sampled_from([str(s.uuid) for s in steps]), uuids(uuid.uuid4()), JSON_ANY)}, optional={
        "note": mostly(st.just("Gebeld met de politie."), st.one_of(TEXT, JSON_ANY))}), JSON_ANY), label="body")
    before = snapshot(*TRIAGE_TABLES)

    response = post_json(client, f"/api/v1/signals/{signal.uuid}/route/", body, world.af_a)

    event(f"status {response.status_code}")
    if response.status_code == 200:
        step = SignalRouteStep.objects.get(uuid=body["step"])
        assert step.state == StepState.DONE and step.signal_route.signal == signal
        assert AuditEvent.objects.filter(action="route.step_completed", target_uuid=signal.uuid).count() == 1
    else:
        assert_dutch_api_error(response)
        assert snapshot(*TRIAGE_TABLES) == before


@pytest.mark.parametrize("whose", ["b", "c", "random"])
def test_signals_of_another_municipality_or_region_are_404_on_every_triage_action(client, af_client, world, registers,
                                                                                triage_route, whose):
    signal = {"b": lambda: make_signal(world.melder_b), "c": lambda: make_signal(world.af_c),
              "random": lambda: SimpleNamespace(uuid=uuid.uuid4())}[whose]()
    step = SignalRouteStep.objects.filter(signal_route__signal__uuid=signal.uuid).first()
    before = snapshot(*TRIAGE_TABLES)
    pages = {"lookup_brp": {"lookup_brp-purpose": LOOKUP_PURPOSE, "lookup_brp-bsn": fake_services.fake_bsn(1)},
             "lookup_kvk": {"lookup_kvk-purpose": LOOKUP_PURPOSE, "lookup_kvk-kvk_number": "99123456"},
             "classify": {"classify-assessment": "none", "classify-side": "victim"},
             "complete_step": {"complete_step-step": str(step.uuid) if step else str(uuid.uuid4()),
                               "complete_step-note": "Gedaan."}}

    for action, payload in pages.items():
        assert af_client.post(reverse("triage:action", args=[signal.uuid, action]), payload).status_code == 404
    for method, path, body in [("POST", "lookups/", {"source": "kvk", "purpose": LOOKUP_PURPOSE,
                                                    "kvk_number": "99123456"}),
                               ("GET", "links/", None), ("GET", "route/", None),
                               ("POST", "route/", {"step": str(step.uuid) if step else str(uuid.uuid4()),
                                                   "note": "Gedaan."})]:
        response = client.generic(method, f"/api/v1/signals/{signal.uuid}/{path}",
                                  data=json.dumps(body).encode() if body else b"", content_type="application/json",
                                  **token_headers(world.af_a))
        assert response.json()["code"] == "not_found"
        assert_dutch_api_error(response, statuses=(404,))
    assert snapshot(*TRIAGE_TABLES) == before


# --- Partners: the wegwijzer only reads ------------------------------------------------------------------------------

@settings(FUZZ, max_examples=20)
@given(vorm=st.one_of(st.sampled_from(["", *ExploitationForm.values]), TEXT),
       extra=st.dictionaries(FIELD_NAMES, TEXT, max_size=2))
def test_junk_filters_on_the_wegwijzer_show_a_page_and_write_nothing(client, world, vorm, extra):
    ensure_default_sharing_rules()
    client.force_login(world.af_a)
    before = snapshot(DirectoryEntry, SharingRule)

    page = client.get(reverse("partners:directory"), {"vorm": vorm, **extra})
    posted = client.post(reverse("partners:directory"), {"vorm": vorm, **extra})
    api = client.get("/api/v1/partners/", {"vorm": vorm}, **token_headers(world.af_a))

    assert page.status_code == 200 and posted.status_code in (200, 405) and api.status_code == 200
    assert isinstance(api.json(), list)
    assert snapshot(DirectoryEntry, SharingRule) == before

