"""The partner API (SPEC A4, F1, F2, §3): submit and read back signals; structured Dutch 4xx on bad input."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from meldroute.accounts.safety_net import audited_by_service
from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.intake.constants import Channel, SignalStatus
from meldroute.intake.models import Indicator, Signal, SignalStatusChange
from tests.factories import make_api_token, make_signal

pytestmark = pytest.mark.clock  # reads the clock: run again at awkward moments (scripts/test.sh)

SIGNALS_URL = "/api/v1/signals/"
INVALID_INPUT = "De invoer is niet geldig."


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {make_api_token(user)}"}


def post_json(client, payload, user=None, **headers):
    return client.post(SIGNALS_URL, data=json.dumps(payload), content_type="application/json",
                       **(auth(user) if user else {}), **headers)


def valid_payload(**changes) -> dict:
    payload = {
        "municipality": "GM8901",
        "is_acute": False,
        "description": "Bij controle van een uitzendbureau bleken vier arbeiders hun paspoort te hebben ingeleverd.",
        "address": "Dorpsstraat 12, Aadorp",
        "postcode": "1234ab",
        "business_name": "Uitzendbureau De Snelle Hand",
        "kvk_number": "1234 5678",
        "observed_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "observed_time": "dinsdagochtend",
        "persons_description": "Vier mannen, Oost-Europees, spreken geen Nederlands.",
        "external_reference": "PL0900-2026-1234",
    }
    payload.update(changes)
    return {key: value for key, value in payload.items() if value is not ...}


def nothing_stored():
    return not (Signal.objects.exists() or AuditEvent.objects.exists() or SignalStatusChange.objects.exists())


# --- Submitting ---------------------------------------------------------------------------------

def test_partner_submits_a_signal_and_gets_201_with_reference_id_and_status(client, world):
    codes = list(Indicator.objects.filter(is_active=True).values_list("code", flat=True)[:2])

    response = post_json(client, valid_payload(indicators=codes), world.partner)

    assert response.status_code == 201, response.content
    body = response.json()
    signal = Signal.objects.get()
    assert body["id"] == str(signal.uuid)
    assert body["reference"] == signal.reference and body["reference"].startswith("MR-")
    assert body["status"] == SignalStatus.RECEIVED
    assert body["municipality"] == "GM8901"
    assert sorted(body["indicators"]) == sorted(codes)
    assert body["postcode"] == "1234 AB" and body["kvk_number"] == "12345678"
    assert body["external_reference"] == "PL0900-2026-1234"
    assert signal.channel == Channel.PARTNER
    assert signal.reporter == world.partner and signal.source_organisation == world.police
    assert signal.municipality == world.a


def test_submitted_signal_is_complete_with_history_and_exactly_one_registration_event(client, world):
    response = post_json(client, valid_payload(), world.partner)

    signal = Signal.objects.get(uuid=response.json()["id"])
    assert list(signal.status_changes.values_list("from_status", "to_status")) == [("", SignalStatus.RECEIVED)]
    events = AuditEvent.objects.filter(target_uuid=signal.uuid)
    assert [(e.action, e.actor_id) for e in events] == [("signal.registered", world.partner.pk)]
    assert events.get().details["channel"] == Channel.PARTNER
    assert "description" in events.get().fields
    assert signal.deadline_at is not None, "the triage clock starts at registration"


def test_the_confirmation_shows_personal_data_back_so_it_is_access_logged(client, world):
    response = post_json(client, valid_payload(), world.partner)

    entries = AccessLogEntry.objects.filter(target_uuid=response.json()["id"])
    assert [(e.actor_id, e.purpose) for e in entries] == [(world.partner.pk, "ontvangstbevestiging via API")]


def test_acute_signal_via_api_alerts_the_municipality_afs_by_mail_after_commit(
        client, world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(client, valid_payload(is_acute=True), world.partner)

    assert response.status_code == 201
    signal = Signal.objects.get()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert set(mail.to) == {world.af_a.email, world.af_a2.email}
    assert "ACUUT" in mail.subject and signal.reference in mail.subject
    assert str(signal.uuid) in mail.body
    assert valid_payload()["description"] not in mail.body and "Dorpsstraat" not in mail.body, \
        "an alert mail carries no personal data"
    signal.refresh_from_db()
    assert signal.acute_alert_sent_at is not None
    assert AuditEvent.objects.filter(target_uuid=signal.uuid, action="signal.acute_alert_sent").count() == 1


def test_non_acute_signal_via_api_sends_no_alert(client, world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_json(client, valid_payload(is_acute=False), world.partner)

    assert mailoutbox == []


# --- Reading back -------------------------------------------------------------------------------

@pytest.fixture
def mixed_signals(world):
    return {
        "partner_a": make_signal(world.partner, municipality=world.a, channel=Channel.PARTNER),
        "partner_b": make_signal(world.partner, municipality=world.b, channel=Channel.PARTNER),
        "partner2_c": make_signal(world.partner2, municipality=world.c, channel=Channel.PARTNER),
        "melder_a": make_signal(world.melder_a),
        "melder_b": make_signal(world.melder_b),
    }


def listed_references(client, user):
    response = client.get(SIGNALS_URL, **auth(user))
    assert response.status_code == 200
    return {item["reference"] for item in response.json()["results"]}


@pytest.mark.parametrize(("username", "expected"), [
    ("partner", {"partner_a", "partner_b"}),
    ("partner2", {"partner2_c"}),
    ("melder_a", {"melder_a"}),
    ("af_a", {"melder_a", "partner_a"}),
    ("zorgcoordinator", set()),
])
def test_list_shows_only_the_signals_within_the_users_scope(client, world, mixed_signals, username, expected):
    assert listed_references(client, getattr(world, username)) == {mixed_signals[k].reference for k in expected}


def test_list_carries_no_personal_data_and_is_not_access_logged(client, world, mixed_signals):
    response = client.get(SIGNALS_URL, **auth(world.partner))

    for item in response.json()["results"]:
        assert set(item) == {"id", "reference", "external_reference", "status", "status_label", "is_acute",
                             "received_at"}
    assert mixed_signals["partner_a"].description not in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_detail_of_own_organisations_signal_returns_it_and_logs_the_read(client, world, mixed_signals):
    signal = mixed_signals["partner_b"]

    response = client.get(f"{SIGNALS_URL}{signal.uuid}/", **auth(world.partner))

    assert response.status_code == 200
    assert response.json()["description"] == signal.description
    assert response.json()["municipality"] == "GM8902"
    entries = AccessLogEntry.objects.all()
    assert [(e.actor_id, e.target_uuid, e.purpose) for e in entries] == [
        (world.partner.pk, signal.uuid, "terugzoeken via API")]
    assert "description" in entries.get().fields


@pytest.mark.parametrize("key", ["partner2_c", "melder_a"])
def test_detail_outside_the_partners_scope_is_a_structured_404_without_log(client, world, mixed_signals, key):
    signal = mixed_signals[key]

    response = client.get(f"{SIGNALS_URL}{signal.uuid}/", **auth(world.partner))

    assert response.status_code == 404
    assert response.json() == {"status": 404, "code": "not_found", "detail": "Niet gevonden.", "errors": {}}
    assert signal.description not in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_melder_token_reads_own_signals_only(client, world, mixed_signals):
    own, other = mixed_signals["melder_a"], mixed_signals["melder_b"]

    assert listed_references(client, world.melder_a) == {own.reference}
    assert client.get(f"{SIGNALS_URL}{own.uuid}/", **auth(world.melder_a)).status_code == 200
    assert client.get(f"{SIGNALS_URL}{other.uuid}/", **auth(world.melder_a)).status_code == 404
    assert client.get(f"{SIGNALS_URL}{mixed_signals['partner_a'].uuid}/", **auth(world.melder_a)).status_code == 404


# --- Refusals: structured 4xx with Dutch messages -----------------------------------------------

TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()
POSTCODE_MESSAGE = "Vul een Nederlandse postcode in, bijvoorbeeld 1234 AB."


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"municipality": "GM0000"}, "municipality", "Onbekende gemeentecode: GM0000."),
    ({"municipality": "GM8903"}, "municipality", "Deze gemeente hoort niet bij de regio van uw organisatie."),
    ({"municipality": "POL-R1"}, "municipality", "Onbekende gemeentecode: POL-R1."),
    ({"postcode": "12345"}, "postcode", POSTCODE_MESSAGE),
    ({"postcode": "0123 AB"}, "postcode", POSTCODE_MESSAGE),
    ({"observed_on": TOMORROW}, "observed_on", "De datum van de waarneming kan niet in de toekomst liggen."),
    ({"observed_on": "1989-12-31"}, "observed_on", "Vul een datum na 1990 in."),
    ({"indicators": ["bestaat-niet"]}, "indicators", "Onbekende indicator: bestaat-niet."),
    ({"kvk_number": "1234"}, "kvk_number", "Een KvK-nummer bestaat uit 8 cijfers."),
    ({"description": ...}, "description", "Dit veld is vereist."),
    ({"description": ""}, "description", "Dit veld mag niet leeg zijn."),
    ({"is_acute": ...}, "is_acute", "Dit veld is vereist."),
], ids=["unknown-municipality", "municipality-other-region", "police-is-no-municipality", "postcode-digits",
        "postcode-leading-zero", "future-date", "date-before-1990", "unknown-indicator", "kvk-too-short",
        "missing-description", "blank-description", "missing-acute"])
def test_bad_input_is_a_structured_400_naming_the_field_in_dutch_and_stores_nothing(client, world, changes, field,
                                                                                   message):
    response = post_json(client, valid_payload(**changes), world.partner)

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"status", "code", "detail", "errors"}
    assert body["status"] == 400 and body["code"] == "invalid"
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["errors"] == {field: [message]}
    assert nothing_stored()


def test_several_bad_fields_are_reported_together(client, world):
    response = post_json(client, valid_payload(postcode="AB 1234", observed_on=TOMORROW, description=...),
                         world.partner)

    assert response.status_code == 400
    assert response.json()["detail"] == INVALID_INPUT
    assert set(response.json()["errors"]) == {"postcode", "observed_on", "description"}


@pytest.mark.parametrize(("body", "detail"), [
    (b'{"description": "x",', "De inhoud is geen leesbare JSON (regel 1, kolom 21)."),
    ("{\"description\": \"caf\u00e9\"}".encode("latin-1"), "De inhoud is geen tekst in UTF-8."),
    (b"[" * 100_000 + b"]" * 100_000, "De JSON is te diep genest."),
])
def test_an_unreadable_body_is_a_structured_dutch_400_and_stores_nothing(client, world, body, detail):
    response = client.post(SIGNALS_URL, data=body, content_type="application/json", **auth(world.partner))
    assert response.status_code == 400
    assert response.json()["detail"] == detail and response.json()["code"] == "parse_error"
    assert not Signal.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/signals/not-a-uuid/", "/api/v1/cases/12345/", "/api/v1/nothing-here/",
                                  "/api/v1/signals/00000000-0000-0000-0000-000000000000/route/extra/"])
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_api_address_is_a_structured_404(client, world, path, method):
    response = getattr(client, method)(path, **auth(world.partner))
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"status": 404, "code": "not_found", "detail": response.json()["detail"], "errors": {}}


def test_an_api_address_without_its_slash_still_redirects(client, world):
    assert client.get("/api/v1/signals", **auth(world.partner)).status_code == 301


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"description": ["een", "lijst"]}, "description", "Vul tekst in (geen getal, lijst of object)."),
    ({"description": "Tekst met een half teken \ud800 erin."}, "description",
     "De tekst bevat een ongeldig teken (U+D800)."),
    ({"is_acute": "misschien"}, "is_acute", "Vul ja of nee in (true of false)."),
])
def test_what_drfs_own_dutch_leaves_in_english_is_dutch_too(client, world, changes, field, message):
    response = post_json(client, valid_payload(**changes), world.partner)
    assert response.status_code == 400 and response.json()["errors"][field] == [message]
    assert not Signal.objects.exists()


def test_request_without_token_is_a_structured_401(client, world):
    response = post_json(client, valid_payload())

    assert response.status_code == 401
    assert response.json() == {"status": 401, "code": "not_authenticated",
                               "detail": "Authenticatiegegevens zijn niet opgegeven.", "errors": {}}
    assert response["WWW-Authenticate"].startswith("Token")
    assert nothing_stored()


def test_request_with_unknown_token_is_a_structured_401(client, world):
    response = post_json(client, valid_payload(), HTTP_AUTHORIZATION="Token " + "0" * 40)

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed" and response.json()["errors"] == {}
    assert nothing_stored()


@pytest.mark.parametrize("username", ["melder_a", "af_a", "beheerder"])
def test_non_partner_token_may_not_submit_a_signal_403(client, world, username):
    response = post_json(client, valid_payload(), getattr(world, username))

    assert response.status_code == 403
    assert response.json() == {"status": 403, "code": "permission_denied",
                               "detail": "Je hebt geen toestemming om deze actie uit te voeren.", "errors": {}}
    assert nothing_stored()


def test_inactive_partner_token_is_refused(client, world):
    headers = auth(world.partner)
    world.partner.is_active = False
    with audited_by_service():  # setting the scene, not the request under test
        world.partner.save(update_fields=["is_active"])

    response = client.post(SIGNALS_URL, data=json.dumps(valid_payload()), content_type="application/json",
                           **headers)

    assert response.status_code == 401
    assert nothing_stored()


# --- The contract -------------------------------------------------------------------------------

def test_schema_is_an_openapi_3_document_describing_the_signal_endpoints(client, world):
    client.force_login(world.partner)
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/signals/"])
    assert "get" in schema["paths"]["/api/v1/signals/{id}/"]
    create = schema["components"]["schemas"]["SignalCreateRequest"]
    assert {"municipality", "is_acute", "description"} <= set(create["required"])
    assert "tokenAuth" in schema["components"]["securitySchemes"]
