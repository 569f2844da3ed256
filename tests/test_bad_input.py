"""Bad input (SPEC §3): never a 500, never a half-stored signal, never lose what the user typed.

Hypothesis throws random and malformed payloads at the reporting form, the partner API and the AF's action
forms. Every request ends in one of two ways: a complete success (a signal with its status history row and its
audit event, or one triage step with its audit), or a 200/4xx that stored nothing at all.
"""

import json
import os
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from meldroute.audit.models import AuditEvent
from meldroute.intake.constants import Outcome, Phenomenon
from meldroute.intake.models import Attachment, Feedback, Indicator, InformationRequest, Signal, SignalStatusChange
from meldroute.organisations.constants import Team
from meldroute.triage.constants import Assessment, ExploitationForm, MeansOfControl, NoteSource, Sector
from meldroute.triage.models import Classification, EnrichmentNote
from tests.factories import PDF_BYTES, PNG_BYTES, make_api_token, make_signal

pytestmark = pytest.mark.clock  # reads the clock: run again at awkward moments (scripts/test.sh)

FUZZ = settings(max_examples=40, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

VALID_DESCRIPTION = "Jonge vrouw aan de balie; een man sprak voor haar en hield haar paspoort vast."
NASTY_TEXT = st.sampled_from([
    "", " ", "\x00", "a\x00b", "\t\r\n", "<script>alert('x')</script>", "' OR 1=1 --", "{{ 7|add:7 }}",
    "{% csrf_token %}", "${jndi:ldap://x/a}", "\u202eevil", "𝕳𝖊𝖑𝖑𝖔 Wörld ñ 漢字 🙂", "٣٤٥٦ AB", "１２３４ ＡＢ",
    "%00%ff", "\\x00", "null", "[]", "{}", "99999999999999999999999", "-1", "1e999", "NaN", "0", "true",
])
HUGE_TEXT = st.builds(lambda ch, n: ch * n, st.sampled_from(["x", "é", "漢", "🙂", "\x00"]),
                      st.integers(min_value=5_001, max_value=40_000))
TEXT = st.one_of(st.text(max_size=300), NASTY_TEXT, HUGE_TEXT)
DATE_TEXT = st.one_of(st.dates().map(date.isoformat), st.sampled_from(["2024-02-30", "31-12-2024", "0000-00-00",
                                                                       "99999-01-01", "2024-1-1", "gisteren"]))
FIELD_NAMES = st.text(min_size=1, max_size=30)


def counts() -> dict:
    return {"signals": Signal.objects.count(), "history": SignalStatusChange.objects.count(),
            "attachments": Attachment.objects.count(), "audit": AuditEvent.objects.count()}


def delta(before: dict) -> dict:
    return {key: value - before[key] for key, value in counts().items()}


NOTHING = {"signals": 0, "history": 0, "attachments": 0, "audit": 0}


def assert_one_complete_signal(before: dict, *, attachments: int = 0) -> Signal:
    assert delta(before) == {"signals": 1, "history": 1, "attachments": attachments, "audit": 1}
    signal = Signal.objects.order_by("-id").first()
    assert list(signal.status_changes.values_list("to_status", flat=True)) == ["received"]
    assert AuditEvent.objects.filter(target_uuid=signal.uuid, action="signal.registered").count() == 1
    assert signal.attachments.count() == attachments
    return signal


# --- The reporting form -------------------------------------------------------------------------

def mostly(valid, junk):
    """Two parts valid, one part junk: enough valid requests get through to exercise the success path too."""
    return st.one_of(valid, valid, junk)


def indicator_pks() -> list[str]:
    return [str(pk) for pk in Indicator.objects.filter(is_active=True).values_list("pk", flat=True)]


def form_payloads(pks):
    fields = st.fixed_dictionaries({
        "description": mostly(st.just(VALID_DESCRIPTION), TEXT),
        "is_acute": mostly(st.sampled_from(["yes", "no"]), TEXT),
        "reporter_team": mostly(st.sampled_from(Team.values), TEXT),
    }, optional={
        "address": TEXT,
        "postcode": st.one_of(st.sampled_from(["1234 AB", "9999zz", "0123 AB", "12345"]), TEXT),
        "business_name": TEXT,
        "kvk_number": st.one_of(st.sampled_from(["12345678", "1234 5678", "1234"]), TEXT),
        "location_description": TEXT,
        "observed_on": st.one_of(DATE_TEXT, TEXT),
        "observed_time": TEXT,
        "persons_description": TEXT,
        "indicators": st.lists(st.one_of(st.sampled_from(pks), st.integers().map(str), NASTY_TEXT), max_size=4),
    })
    extra = st.dictionaries(FIELD_NAMES, st.one_of(TEXT, st.lists(st.text(max_size=20), max_size=3)), max_size=3)
    return st.tuples(extra, fields).map(lambda pair: {**pair[0], **pair[1]})


# A name whose last path part is empty ("/", "a/..") never reaches the server: a browser sends the bare file name,
# and Django's test client refuses to build such an upload at all (SuspiciousFileOperation in the test itself).
UPLOAD_NAMES = st.text(min_size=1, max_size=60).filter(
    lambda name: os.path.basename(name) not in {"", ".", ".."})
UPLOADS = st.lists(st.tuples(
    st.one_of(st.sampled_from(["foto.png", "scan.pdf", "x", "../../etc/passwd", "a" * 300 + ".png"]),
              UPLOAD_NAMES),
    st.one_of(st.binary(max_size=3000), st.just(PNG_BYTES), st.just(PDF_BYTES), st.just(b""),
              st.binary(max_size=500).map(lambda tail: PNG_BYTES + tail),
              st.just(PNG_BYTES + b"\x00" * 250_000)),
), max_size=3)


@pytest.fixture
def melder_client(client, world):
    client.force_login(world.melder_a)
    return client


def test_a_plain_valid_report_is_accepted_as_one_complete_signal(melder_client, world):
    """The baseline for the property below: the success branch it checks is reachable."""
    before = counts()

    response = melder_client.post(reverse("intake:report"), {"description": VALID_DESCRIPTION, "is_acute": "no",
                                                             "reporter_team": "balie"})

    assert response.status_code == 302
    assert_one_complete_signal(before)


@FUZZ
@given(data=st.data())
def test_random_form_posts_store_one_complete_signal_or_nothing_and_keep_the_description(melder_client, world, data):
    payload = data.draw(form_payloads(indicator_pks()), label="payload")
    uploads = data.draw(UPLOADS, label="uploads")
    if uploads:
        payload["attachments"] = [SimpleUploadedFile(name, content) for name, content in uploads]
    before = counts()

    response = melder_client.post(reverse("intake:report"), payload)

    event(f"status {response.status_code}")
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:
        stored = Signal.objects.order_by("-id").first().attachments.count()  # nameless parts are no files
        signal = assert_one_complete_signal(before, attachments=stored)
        assert stored <= len(uploads)
        assert response["Location"] == reverse("intake:receipt", args=[signal.uuid])
        assert signal.description == payload["description"].strip()
        assert signal.reporter == world.melder_a and signal.municipality == world.a
    else:
        assert delta(before) == NOTHING, "a refused form must not leave a partial record"
    if response.status_code == 200:
        body = response.content.decode()
        assert escape(payload["description"]) in body, "the user's text is kept on error"
        assert "utrecht-form-field-error-message" in body or "mr-error-summary" in body


@FUZZ
@given(files=st.lists(st.one_of(
           st.binary(min_size=1, max_size=4000),
           st.binary(max_size=2000).map(lambda tail: PNG_BYTES + tail),  # right magic, junk after it
           st.binary(max_size=2000).map(lambda tail: b"%PDF-1.7\n" + tail),
           st.binary(max_size=2000).map(lambda tail: b"GIF89a" + tail),  # a real type, but not an allowed one
           st.binary(max_size=2000).map(lambda tail: b"MZ" + tail)), min_size=1, max_size=3),
       names=st.lists(st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=40), min_size=3, max_size=3))
def test_random_file_bytes_are_stored_only_when_their_content_is_an_allowed_type(melder_client, world, files, names):
    import filetype
    from django.conf import settings as django_settings

    allowed = django_settings.MELDROUTE["ATTACHMENT_TYPES"]
    acceptable = all((kind := filetype.guess(content)) is not None and kind.mime in allowed for content in files)
    before = counts()

    response = melder_client.post(reverse("intake:report"), {
        "description": VALID_DESCRIPTION, "is_acute": "no", "reporter_team": "balie",
        "attachments": [SimpleUploadedFile(name, content) for name, content in zip(names, files, strict=False)]})

    event(f"status {response.status_code}")
    if acceptable:
        assert response.status_code == 302
        assert_one_complete_signal(before, attachments=len(files))
    else:
        assert response.status_code == 200
        assert delta(before) == NOTHING
        assert "niet is toegestaan" in response.content.decode()
        assert escape(VALID_DESCRIPTION) in response.content.decode()


def test_invalid_postcode_shows_the_dutch_message_at_the_field_and_keeps_what_was_typed(melder_client, world):
    typed = "Busje haalt 's ochtends vroeg mannen op bij de Kerkstraat & brengt ze 's avonds terug."

    response = melder_client.post(reverse("intake:report"), {
        "description": typed, "is_acute": "no", "reporter_team": "toezicht", "postcode": "123 ABC",
        "persons_description": "Zes mannen, werkkleding."})

    assert response.status_code == 200
    body = response.content.decode()
    assert ('<div class="utrecht-form-field-error-message" id="id_postcode_error">'
            "Vul een Nederlandse postcode in, bijvoorbeeld 1234 AB.</div>") in body
    assert 'aria-invalid="true"' in body
    assert escape(typed) in body
    assert 'value="123 ABC"' in body
    assert "Zes mannen, werkkleding." in body
    assert not Signal.objects.exists()


def test_out_of_range_indicator_key_is_a_field_error_not_a_crash(melder_client, world):
    response = melder_client.post(reverse("intake:report"), {
        "description": VALID_DESCRIPTION, "is_acute": "no", "reporter_team": "balie",
        "indicators": ["99999999999999999999999"]})

    assert response.status_code == 200
    assert "99999999999999999999999" in response.content.decode()
    assert not Signal.objects.exists()


# --- The partner API ----------------------------------------------------------------------------

JSON_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=2**63, max_value=2**80),
                        st.floats(), st.text(max_size=40), NASTY_TEXT)
JSON_ANY = st.recursive(JSON_LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=12)


def api_payloads(codes):
    required = st.fixed_dictionaries({
        "municipality": mostly(st.sampled_from(["GM8901", "GM8902"]),
                               st.one_of(st.sampled_from(["GM8903", "GM0000", "POL-R1", ""]), JSON_ANY)),
        "is_acute": mostly(st.booleans(), JSON_ANY),
        "description": mostly(st.just(VALID_DESCRIPTION), st.one_of(TEXT, JSON_ANY)),
    })
    dropped = st.sets(st.sampled_from(["municipality", "is_acute", "description"]), max_size=1)
    fields = st.fixed_dictionaries({}, optional={
        "postcode": st.one_of(st.sampled_from(["1234 AB", "0123AB"]), TEXT, JSON_ANY),
        "kvk_number": st.one_of(st.sampled_from(["12345678"]), TEXT, JSON_ANY),
        "observed_on": st.one_of(DATE_TEXT, st.datetimes().map(lambda d: d.isoformat()), JSON_ANY),
        "persons_description": st.one_of(TEXT, JSON_ANY),
        "external_reference": st.one_of(TEXT, JSON_ANY),
        "indicators": st.one_of(st.lists(st.one_of(st.sampled_from(codes), JSON_LEAVES), max_size=4), JSON_ANY),
    })
    extra = st.dictionaries(FIELD_NAMES, JSON_ANY, max_size=3)
    objects = st.tuples(extra, required, fields, dropped).map(
        lambda parts: {k: v for k, v in {**parts[0], **parts[1], **parts[2]}.items() if k not in parts[3]})
    return st.one_of(objects, objects, JSON_ANY)


@pytest.fixture
def partner_headers(world):
    return {"HTTP_AUTHORIZATION": f"Token {make_api_token(world.partner)}"}


def assert_structured_error(response, status: int):
    body = response.json()
    assert set(body) == {"status", "code", "detail", "errors"}
    assert body["status"] == status and isinstance(body["code"], str) and isinstance(body["errors"], dict)
    assert isinstance(body["detail"], str) and body["detail"]


def test_a_plain_valid_api_submission_is_accepted_as_one_complete_signal(client, world, partner_headers):
    before = counts()

    response = client.post("/api/v1/signals/", data=json.dumps({
        "municipality": "GM8901", "is_acute": True, "description": VALID_DESCRIPTION}),
        content_type="application/json", **partner_headers)

    assert response.status_code == 201
    assert_one_complete_signal(before)


@FUZZ
@given(data=st.data())
def test_random_json_payloads_get_201_with_one_complete_signal_or_a_structured_400(client, world, partner_headers,
                                                                                    data):
    codes = list(Indicator.objects.filter(is_active=True).values_list("code", flat=True))
    payload = data.draw(api_payloads(codes), label="payload")
    before = counts()

    response = client.post("/api/v1/signals/", data=json.dumps(payload), content_type="application/json",
                           **partner_headers)

    event(f"status {response.status_code}")
    assert response.status_code in (201, 400), response.content[:500]
    if response.status_code == 201:
        signal = assert_one_complete_signal(before)
        assert response.json()["reference"] == signal.reference
        assert signal.municipality.region_id == world.region.pk
    else:
        assert_structured_error(response, 400)
        assert delta(before) == NOTHING


DEEP = st.integers(min_value=2_000, max_value=300_000).flatmap(
    lambda n: st.sampled_from([b"[" * n, b'{"a":' * n, b"[" * n + b"]" * n]))
TRUNCATED = st.integers(min_value=0, max_value=60).map(
    lambda n: json.dumps({"municipality": "GM8901", "is_acute": False, "description": VALID_DESCRIPTION}).encode()[:n])
CONTENT_TYPES = st.one_of(st.sampled_from([
    "application/json", "application/json; charset=latin-1", "application/json; charset=bogus", "text/plain",
    "application/x-www-form-urlencoded", "multipart/form-data; boundary=zzz", "multipart/form-data",
    "application/xml", "", "*/*", "application/json; charset=utf-16"]), st.text(max_size=40))


@FUZZ
@given(body=st.one_of(st.binary(max_size=3000), st.text(max_size=500).map(str.encode), DEEP, TRUNCATED),
       content_type=CONTENT_TYPES)
def test_raw_non_json_bodies_get_a_structured_4xx_and_store_nothing(client, world, partner_headers, body,
                                                                   content_type):
    before = counts()

    response = client.generic("POST", "/api/v1/signals/", data=body, content_type=content_type, **partner_headers)

    event(f"status {response.status_code}")
    assert 400 <= response.status_code < 500, response.content[:500]
    assert_structured_error(response, response.status_code)
    assert delta(before) == NOTHING


def test_json_nested_too_deep_is_a_structured_400_not_a_crash(client, world, partner_headers):
    response = client.generic("POST", "/api/v1/signals/", data=b"[" * 100_000, content_type="application/json",
                              **partner_headers)

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert not Signal.objects.exists()


def test_body_that_is_not_json_is_a_structured_415(client, world, partner_headers):
    response = client.post("/api/v1/signals/", data="municipality=GM8901&description=x",
                           content_type="application/x-www-form-urlencoded", **partner_headers)

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert not Signal.objects.exists()


# --- The AF's action forms ----------------------------------------------------------------------

def action_payloads(world, pks):
    def choice(values):
        return st.one_of(st.sampled_from(list(values)), TEXT)

    def many(values):
        return st.lists(st.one_of(st.sampled_from(list(values)), NASTY_TEXT, st.integers().map(str)), max_size=3)

    per_action = {
        "assign": {"assignee": st.one_of(st.sampled_from([str(world.af_a.pk), str(world.af_a2.pk),
                                                          str(world.af_b.pk), str(world.melder_a.pk)]), TEXT)},
        "enrich": {"source": choice(NoteSource.values), "text": TEXT},
        "classify": {"assessment": choice(Assessment.values), "exploitation_forms": many(ExploitationForm.values),
                     "sector": choice(["", *Sector.values]), "indicators": many(pks),
                     "means_of_control": many(MeansOfControl.values)},
        "request_info": {"question": TEXT, "days": st.one_of(st.integers(-5, 100).map(str), TEXT)},
        "route": {"partner": st.one_of(st.sampled_from([str(world.police.pk), str(world.police2.pk),
                                                        str(world.a.pk)]), TEXT), "text": TEXT},
        "close": {"outcome": choice(Outcome.values), "phenomenon": choice(["", *Phenomenon.values]), "text": TEXT},
        "feedback": {"text": TEXT},
        "reopen": {"text": TEXT},
        "cancel": {"text": TEXT},
    }

    def for_action(action):
        fields = st.fixed_dictionaries({}, optional={f"{action}-{name}": strategy
                                                     for name, strategy in per_action[action].items()})
        extra = st.dictionaries(FIELD_NAMES, TEXT, max_size=2)
        return st.tuples(st.just(action), st.tuples(extra, fields).map(lambda pair: {**pair[0], **pair[1]}))

    unknown = st.tuples(st.from_regex(r"[a-z_-]{1,20}", fullmatch=True).filter(lambda a: a not in per_action),
                        st.just({}))
    return st.one_of(*(for_action(action) for action in per_action), unknown)


def triage_snapshot(signal) -> dict:
    signal = Signal.objects.get(pk=signal.pk)
    classification = Classification.objects.filter(signal=signal).first()
    return {
        "row": {f.attname: getattr(signal, f.attname) for f in Signal._meta.concrete_fields},
        "classification": None if classification is None else (
            classification.assessment, classification.forms, classification.sector, classification.means_of_control,
            sorted(classification.indicators.values_list("pk", flat=True))),
        "history": SignalStatusChange.objects.count(), "audit": AuditEvent.objects.count(),
        "feedback": Feedback.objects.count(), "notes": EnrichmentNote.objects.count(),
        "requests": InformationRequest.objects.count(), "signals": Signal.objects.count(),
        "attachments": Attachment.objects.count(),
    }


@pytest.fixture
def af_client(client, world):
    client.force_login(world.af_a)
    return client


@FUZZ
@given(data=st.data())
def test_random_triage_action_posts_either_do_one_step_or_change_nothing_and_keep_the_input(af_client, world, data):
    signal = make_signal(world.melder_a, is_acute=data.draw(st.booleans(), label="acute"))
    # A sequence of posts on one fresh signal: accepted steps move it on, so later posts meet other states.
    steps = data.draw(st.lists(action_payloads(world, indicator_pks()), min_size=1, max_size=4), label="steps")
    for action, payload in steps:
        before = triage_snapshot(signal)

        response = af_client.post(reverse("triage:action", args=[signal.uuid, action]), payload)

        after = triage_snapshot(signal)
        event(f"status {response.status_code}")
        assert response.status_code in (200, 302, 404)
        assert (after["signals"], after["attachments"]) == (before["signals"], before["attachments"])
        if response.status_code == 302:
            assert response["Location"] == reverse("triage:signal", args=[signal.uuid])
            assert after["audit"] > before["audit"], "every step writes its audit event"
        else:
            assert after == before, "a refused or unknown action changes nothing"
        if response.status_code == 200 and action == "feedback":
            assert escape(payload.get("feedback-text", "")) in response.content.decode()


def test_out_of_range_indicator_key_in_classification_is_a_field_error_not_a_crash(client, world):
    signal = make_signal(world.melder_a)
    client.force_login(world.af_a)
    before = triage_snapshot(signal)

    response = client.post(reverse("triage:action", args=[signal.uuid, "classify"]), {
        "classify-assessment": "none", "classify-indicators": ["99999999999999999999999"]})

    assert response.status_code == 200
    assert triage_snapshot(signal) == before


def test_feedback_text_is_kept_when_the_form_is_refused(client, world):
    signal = make_signal(world.melder_a)
    client.force_login(world.af_a)
    typed = "Wij hebben uw signaal <b>opgepakt</b> & " + "x" * 5_000  # one over the maximum

    response = client.post(reverse("triage:action", args=[signal.uuid, "feedback"]), {"feedback-text": typed})

    assert response.status_code == 200
    assert escape(typed) in response.content.decode()
    assert not Feedback.objects.exists()


def test_information_request_with_days_out_of_range_is_refused_in_dutch(client, world):
    signal = make_signal(world.melder_a)
    client.force_login(world.af_a)

    response = client.post(reverse("triage:action", args=[signal.uuid, "request_info"]), {
        "request_info-question": "Welke dag was het?", "request_info-days": "61"})

    assert response.status_code == 200
    assert "Maximaal 60 dagen." in response.content.decode()
    assert not InformationRequest.objects.exists()


def test_observed_date_in_the_future_on_the_form_is_refused_in_dutch(melder_client, world):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = melder_client.post(reverse("intake:report"), {
        "description": VALID_DESCRIPTION, "is_acute": "no", "reporter_team": "balie", "observed_on": tomorrow})

    assert response.status_code == 200
    assert "De datum van de waarneming kan niet in de toekomst liggen." in response.content.decode()
    assert not Signal.objects.exists()
