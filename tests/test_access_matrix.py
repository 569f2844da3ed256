"""The scoping matrix (SPEC F1/F2): every role × every view/endpoint × own/other municipality → 200 or 404.

Every 200 that shows personal data writes exactly one access-log entry for that user and object; every 404
writes none and shows nothing of the signal; every list shows exactly the signals its detail page would open.
"""

import json

import pytest
from django.db import transaction
from django.urls import reverse

from meldroute.accounts.models import User
from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.intake.constants import Channel, SignalStatus
from meldroute.intake.models import Attachment, Feedback, Signal, SignalStatusChange
from tests.factories import PNG_BYTES, build_world, make_api_token, make_signal, png_upload

pytestmark = pytest.mark.clock  # reads the clock: run again at awkward moments (scripts/test.sh)

# Three signals, each with a PNG attachment, all acute and still untouched (so the acute banner lists them):
#   A — filed by melder_a in municipality A (region 1)
#   B — filed by melder_b in municipality B (region 1)
#   P — submitted by `partner` (police, region 1) through the API, about municipality A
DESCRIPTIONS = {
    "A": "Signaal-A: vrouw aan de balie in Aadorp had haar paspoort niet zelf in handen",
    "B": "Signaal-B: in Beekstad staan twaalf mensen ingeschreven op een adres boven de nagelsalon",
    "P": "Signaal-P: politie trof in Aadorp arbeiders aan die hun loon moeten afdragen",
}

USERS = ["melder_a", "melder_a2", "af_a", "af_a2", "melder_b", "af_b", "af_c", "partner", "partner2",
         "zorgcoordinator", "procesregisseur", "casusregisseur", "ketenregisseur", "beheerder", "burgemeester"]

# Which of the signals A, B, P each user may open on each per-signal endpoint; every other cell is 404.
#   triage      the AF's signal page (triage:signal)          — the AF's own municipality only
#   reporter    the reporter's page (intake:my_signal)        — only what the user filed themselves
#   receipt     the receipt (intake:receipt)                  — idem
#   attachment  attachment download (intake:attachment)       — the scoping rule (signal_scope)
#   api_detail  GET /api/v1/signals/<id>/                     — the scoping rule (signal_scope)
SIGNAL_ENDPOINTS = ("triage", "reporter", "receipt", "attachment", "api_detail")
#                    triage  reporter receipt attachment api_detail
SIGNAL_ACCESS = {
    "melder_a":        ("",    "A",     "A",    "A",       "A"),
    "melder_a2":       ("",    "",      "",     "",        ""),
    "af_a":            ("AP",  "",      "",     "AP",      "AP"),
    "af_a2":           ("AP",  "",      "",     "AP",      "AP"),
    "melder_b":        ("",    "B",     "B",    "B",       "B"),
    "af_b":            ("B",   "",      "",     "B",       "B"),
    "af_c":            ("",    "",      "",     "",        ""),
    "partner":         ("",    "P",     "P",    "P",       "P"),
    "partner2":        ("",    "",      "",     "",        ""),
    "zorgcoordinator": ("",    "",      "",     "",        ""),
    "procesregisseur": ("",    "",      "",     "",        ""),
    "casusregisseur":  ("",    "",      "",     "",        ""),
    "ketenregisseur":  ("",    "",      "",     "",        ""),
    "beheerder":       ("",    "",      "",     "",        ""),
    "burgemeester":    ("",    "",      "",     "",        ""),
}
# Each 200 on these endpoints is a read of one object's personal data and is logged exactly once
# (the receipt reads through the same logged selector as the reporter's page). Target: the signal,
# or the attachment for a download.
LOGGED_ENDPOINTS = {"triage", "reporter", "receipt", "attachment", "api_detail"}
SHOWS_DESCRIPTION = {"triage", "reporter", "api_detail"}

# Status of the pages that are not about one signal.
PAGE_ENDPOINTS = ("inbox", "acute_banner", "report_form", "mine", "api_list")
#                    inbox acute_banner report_form mine api_list
PAGE_ACCESS = {
    "melder_a":        (404,  404,        200,        200,  200),
    "melder_a2":       (404,  404,        200,        200,  200),
    "af_a":            (200,  200,        200,        200,  200),
    "af_a2":           (200,  200,        200,        200,  200),
    "melder_b":        (404,  404,        200,        200,  200),
    "af_b":            (200,  200,        200,        200,  200),
    "af_c":            (200,  200,        200,        200,  200),
    "partner":         (404,  404,        404,        200,  200),
    "partner2":        (404,  404,        404,        200,  200),
    "zorgcoordinator": (404,  404,        404,        200,  200),
    "procesregisseur": (404,  404,        404,        200,  200),
    "casusregisseur":  (404,  404,        404,        200,  200),
    "ketenregisseur":  (404,  404,        404,        200,  200),
    "beheerder":       (404,  404,        404,        200,  200),
    "burgemeester":    (404,  404,        404,        200,  200),
}
# A list shows exactly the signals that its detail page lets the user open — never more.
LIST_MIRRORS = {"inbox": "triage", "acute_banner": "triage", "mine": "reporter", "api_list": "api_detail"}

API_ENDPOINTS = {"api_detail", "api_list"}


def test_the_matrix_covers_every_user_of_the_world(world):
    users_in_world = {name for name, value in vars(world).items() if isinstance(value, User)}
    assert users_in_world == set(USERS) == set(SIGNAL_ACCESS) == set(PAGE_ACCESS)


@pytest.fixture(scope="module")
def matrix_data(django_db_setup, django_db_blocker):
    """The world and its three signals, built once for the ~400 cells below and rolled back after the module.

    Each test still runs in its own savepoint (pytest-django's `db`), so what one test writes never leaks.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        signal_ids = {
            "A": make_signal(world.melder_a, is_acute=True, description=DESCRIPTIONS["A"], uploads=[png_upload()]).pk,
            "B": make_signal(world.melder_b, is_acute=True, description=DESCRIPTIONS["B"], uploads=[png_upload()]).pk,
            "P": make_signal(world.partner, municipality=world.a, channel=Channel.PARTNER, is_acute=True,
                             description=DESCRIPTIONS["P"], uploads=[png_upload("bewijs.png")]).pk,
        }
        yield world, signal_ids
        transaction.set_rollback(True)


@pytest.fixture
def world(matrix_data, db):
    return matrix_data[0]


@pytest.fixture
def signals(matrix_data, db):
    """Fresh instances per test: a test that changes a signal must not change the next test's object."""
    return {key: Signal.objects.get(pk=pk) for key, pk in matrix_data[1].items()}


def _get(client, user, endpoint, signal=None):
    """GET the endpoint as `user`: the web pages through a session, the API through a token."""
    if endpoint in API_ENDPOINTS:
        url = "/api/v1/signals/" if signal is None else f"/api/v1/signals/{signal.uuid}/"
        return client.get(url, HTTP_AUTHORIZATION=f"Token {make_api_token(user)}")
    client.force_login(user)
    url = {
        "triage": lambda: reverse("triage:signal", args=[signal.uuid]),
        "reporter": lambda: reverse("intake:my_signal", args=[signal.uuid]),
        "receipt": lambda: reverse("intake:receipt", args=[signal.uuid]),
        "attachment": lambda: reverse("intake:attachment", args=[signal.attachments.get().uuid]),
        "inbox": lambda: reverse("triage:inbox") + "?weergave=all",
        "acute_banner": lambda: reverse("triage:acute_banner"),
        "report_form": lambda: reverse("intake:report"),
        "mine": lambda: reverse("intake:mine"),
    }[endpoint]()
    return client.get(url)


def _last_access_entry_id() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _body(response) -> bytes:
    if response.streaming:
        # Exhausting the stream lets the test client close the response with its connection guard in place;
        # a second response.close() would fire request_finished unguarded and close the PostgreSQL connection.
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("target", ["A", "B", "P"])
@pytest.mark.parametrize("endpoint", SIGNAL_ENDPOINTS)
@pytest.mark.parametrize("username", USERS)
def test_signal_endpoint_answers_200_only_within_scope_and_logs_each_read(client, world, signals, username,
                                                                          endpoint, target):
    user, signal = getattr(world, username), signals[target]
    allowed = target in SIGNAL_ACCESS[username][SIGNAL_ENDPOINTS.index(endpoint)]
    last_entry = _last_access_entry_id()

    response = _get(client, user, endpoint, signal)
    body = _body(response)
    new_entries = AccessLogEntry.objects.filter(id__gt=last_entry).order_by("id")

    if not allowed:
        assert response.status_code == 404, f"{username} must not reach {endpoint} of signal {target}"
        assert not new_entries.exists(), "a refused read must not be logged as a read"
        assert DESCRIPTIONS[target].encode() not in body
        assert signal.reference.encode() not in body
        return

    assert response.status_code == 200, f"{username} must reach {endpoint} of signal {target}"
    log_target = signal.attachments.get().uuid if endpoint == "attachment" else signal.uuid
    if endpoint in LOGGED_ENDPOINTS:
        assert [(e.actor_id, e.target_uuid) for e in new_entries] == [(user.pk, log_target)]
    if endpoint in SHOWS_DESCRIPTION:
        assert DESCRIPTIONS[target] in body.decode()
    if endpoint == "attachment":
        assert body == PNG_BYTES
        assert response["Content-Disposition"].startswith("attachment;")
    if endpoint == "receipt":
        assert signal.reference in body.decode()
        assert DESCRIPTIONS[target] not in body.decode(), "a receipt shows the code, not what was reported"


def _references_in(endpoint, response, signals) -> set[str]:
    if endpoint == "api_list":
        listed = {item["reference"] for item in response.json()["results"]}
        assert listed <= {s.reference for s in signals.values()}
        return {key for key, s in signals.items() if s.reference in listed}
    text = response.content.decode()
    return {key for key, s in signals.items() if s.reference in text}


@pytest.mark.parametrize("endpoint", PAGE_ENDPOINTS)
@pytest.mark.parametrize("username", USERS)
def test_page_answers_200_or_404_and_lists_nothing_outside_scope(client, world, signals, username, endpoint):
    user = getattr(world, username)
    expected_status = PAGE_ACCESS[username][PAGE_ENDPOINTS.index(endpoint)]
    log_before = AccessLogEntry.objects.count()

    response = _get(client, user, endpoint)

    assert response.status_code == expected_status, f"{username} on {endpoint}"
    assert AccessLogEntry.objects.count() == log_before, "lists and forms show no personal data: nothing to log"
    text = response.content.decode()
    for description in DESCRIPTIONS.values():
        assert description not in text
    if endpoint in LIST_MIRRORS and expected_status == 200:
        detail_column = SIGNAL_ENDPOINTS.index(LIST_MIRRORS[endpoint])
        assert _references_in(endpoint, response, signals) == set(SIGNAL_ACCESS[username][detail_column])
    if expected_status == 404:
        assert not any(s.reference in text for s in signals.values())


@pytest.mark.parametrize("endpoint", SIGNAL_ENDPOINTS + PAGE_ENDPOINTS)
def test_anonymous_visitor_is_sent_to_login_and_the_api_answers_401(client, world, signals, endpoint):
    signal = signals["A"]
    if endpoint in API_ENDPOINTS:
        url = "/api/v1/signals/" if endpoint == "api_list" else f"/api/v1/signals/{signal.uuid}/"
        response = client.get(url)
        assert response.status_code == 401
        assert response.json()["status"] == 401
    else:
        url = {
            "triage": reverse("triage:signal", args=[signal.uuid]),
            "reporter": reverse("intake:my_signal", args=[signal.uuid]),
            "receipt": reverse("intake:receipt", args=[signal.uuid]),
            "attachment": reverse("intake:attachment", args=[signal.attachments.get().uuid]),
            "inbox": reverse("triage:inbox"),
            "acute_banner": reverse("triage:acute_banner"),
            "report_form": reverse("intake:report"),
            "mine": reverse("intake:mine"),
        }[endpoint]
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert DESCRIPTIONS["A"].encode() not in response.content
    assert not AccessLogEntry.objects.exists()


# --- Writes by someone outside the scope ---------------------------------------------------------

VALID_ACTION_DATA = {
    "assign": lambda w: {"assign-assignee": str(w.af_a.pk)},
    "enrich": lambda w: {"enrich-source": "brp", "enrich-text": "Twaalf personen ingeschreven."},
    "classify": lambda w: {"classify-assessment": "none"},
    "request_info": lambda w: {"request_info-question": "Wanneer was dit precies?", "request_info-days": "7"},
    "route": lambda w: {"route-partner": str(w.police.pk), "route-text": "Naar AVIM."},
    "close": lambda w: {"close-outcome": "no_trafficking", "close-phenomenon": "", "close-text": "Niets aan de hand."},
    "feedback": lambda w: {"feedback-text": "Dank voor uw melding; wij hebben het opgepakt."},
    "cancel": lambda w: {"cancel-text": "Dubbel gemeld."},
}


def _snapshot(signal):
    signal = Signal.objects.get(pk=signal.pk)
    return {
        "signal": {f: getattr(signal, f) for f in ("status", "assigned_to_id", "outcome", "phenomenon", "closed_at",
                                                   "deadline_at", "feedback_due_at", "feedback_sent_at",
                                                   "updated_at")},
        "history": SignalStatusChange.objects.count(),
        "feedback": Feedback.objects.count(),
        "notes": signal.enrichment_notes.count(),
        "requests": signal.information_requests.count(),
        "attachments": Attachment.objects.count(),
        "audit": AuditEvent.objects.count(),
        "access_log": AccessLogEntry.objects.count(),
    }


@pytest.mark.parametrize("action", sorted(VALID_ACTION_DATA))
@pytest.mark.parametrize("username", ["af_b", "af_c", "melder_a", "partner", "beheerder"])
def test_triage_action_on_signal_outside_own_scope_is_404_and_changes_nothing(client, world, signals, username,
                                                                               action):
    signal = signals["A"]
    before = _snapshot(signal)
    client.force_login(getattr(world, username))

    response = client.post(reverse("triage:action", args=[signal.uuid, action]), VALID_ACTION_DATA[action](world))

    assert response.status_code == 404
    assert _snapshot(signal) == before
    assert DESCRIPTIONS["A"] not in response.content.decode()


@pytest.mark.parametrize("action", sorted(VALID_ACTION_DATA))
def test_same_action_by_the_municipality_af_succeeds_so_the_refusals_above_are_about_scope(client, world, signals,
                                                                                           action):
    signal = signals["A"]
    before = _snapshot(signal)
    client.force_login(world.af_a)

    response = client.post(reverse("triage:action", args=[signal.uuid, action]), VALID_ACTION_DATA[action](world))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert _snapshot(signal)["audit"] > before["audit"]


@pytest.mark.parametrize("username", ["melder_a2", "af_a", "melder_b", "partner", "beheerder"])
def test_adding_an_attachment_to_someone_elses_signal_is_404_and_stores_nothing(client, world, signals, username):
    signal = signals["A"]
    before = _snapshot(signal)
    client.force_login(getattr(world, username))

    response = client.post(reverse("intake:add_attachment", args=[signal.uuid]), {"attachments": [png_upload()]})

    assert response.status_code == 404
    assert _snapshot(signal) == before


@pytest.mark.parametrize("username", ["melder_a2", "af_a", "melder_b", "partner"])
def test_answering_a_question_on_someone_elses_signal_is_404(client, world, signals, username):
    from meldroute.triage.services import request_information

    signal = signals["A"]
    request_information(signal, actor=world.af_a, question="Welke dag was het?")
    before = _snapshot(signal)
    client.force_login(getattr(world, username))

    response = client.post(reverse("intake:my_signal", args=[signal.uuid]), {"answer": "Dinsdag."})

    assert response.status_code == 404
    assert _snapshot(signal) == before
    assert signal.information_requests.get().answered_at is None


@pytest.mark.parametrize("username", ["melder_a", "af_a", "af_b", "zorgcoordinator", "partner2"])
def test_api_refuses_to_create_for_anyone_but_a_partner_and_stores_nothing(client, world, signals, username):
    secret = make_api_token(getattr(world, username))
    before = (Signal.objects.count(), AuditEvent.objects.count())

    response = client.post("/api/v1/signals/", data=json.dumps({
        "municipality": "GM8901", "is_acute": False, "description": "Poging van buiten de scope."}),
        content_type="application/json", HTTP_AUTHORIZATION=f"Token {secret}")

    if username == "partner2":  # a partner, but municipality A is outside its region
        assert response.status_code == 400
        assert "municipality" in response.json()["errors"]
    else:
        assert response.status_code == 403
    assert (Signal.objects.count(), AuditEvent.objects.count()) == before
    assert signals["A"].status == SignalStatus.RECEIVED
