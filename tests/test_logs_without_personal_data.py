"""Log lines carry no personal data (issue 17), and every line of a request carries its request id.

A whole working day through the application — a melder files a signal with a person's name, BSN and address, the
AF searches the inbox for that address, opens the signal, hands it on, sends feedback, a partner submits through the
API and retries, an attacker probes — is run with every logger at DEBUG; no line may contain the person's data.
"""

import json
import logging

import pytest
from django.urls import reverse

from meldroute.core.logs import RequestIdFilter, request_id
from tests.factories import make_api_token, make_signal

pytestmark = pytest.mark.clock

NAME, BSN, STREET, POSTCODE = "Wiktor Zandbergen-Fictief", "123456782", "Klaproosweg 41", "9999 ZZ"
PERSONAL = (NAME, BSN, STREET, "Klaproosweg", POSTCODE, "9999ZZ")


def journey(client, world):
    signal = make_signal(world.melder_a, description=f"{NAME} (BSN {BSN}) woont op {STREET} en werkt 70 uur.",
                         address=STREET, postcode=POSTCODE, persons_description=NAME)
    client.force_login(world.melder_a)
    client.get(reverse("intake:mine"))
    client.get(reverse("intake:my_signal", args=[signal.uuid]))
    client.post(reverse("intake:report"), {"description": f"Nogmaals {NAME}", "postcode": "onzin " + POSTCODE})
    client.logout()

    client.force_login(world.af_a)
    assert client.get(reverse("triage:inbox"), {"q": POSTCODE}).status_code == 200
    client.get(reverse("triage:inbox"), {"q": STREET})
    assert client.get(reverse("triage:signal", args=[signal.uuid])).status_code == 200
    client.post(reverse("triage:action", args=[signal.uuid, "notitie"]), {"text": f"Gebeld met {NAME}"})
    client.get(f"/inbox/00000000-0000-0000-0000-000000000000/?naam={NAME}")
    client.logout()

    token = make_api_token(world.partner)
    body = {"municipality": world.a.code, "is_acute": False, "description": f"{NAME} op {STREET}",
            "external_reference": "LOG-1", "postcode": POSTCODE}
    statuses = [client.post("/api/v1/signals/", data=json.dumps(payload), content_type="application/json",
                            HTTP_AUTHORIZATION=f"Token {token}").status_code
                for payload in (body, body, {**body, "description": "anders"})]
    assert statuses == [201, 200, 409]
    client.post("/api/v1/signals/", data="{" + NAME, content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {token}")
    client.post(reverse("login"), {"username": NAME, "password": BSN})


def test_a_day_of_work_writes_no_personal_data_to_any_log(client, world, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.request")

    journey(client, world)

    lines = [record.getMessage() + " " + str(record.args or "") + " " + str(getattr(record, "exc_text", "") or "")
             for record in caplog.records]
    leaks = [line for line in lines for value in PERSONAL if value.lower() in line.lower()]
    assert not leaks, leaks


def test_every_response_and_log_line_of_a_request_carries_its_request_id(client, world, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.request")
    caplog.handler.addFilter(RequestIdFilter())
    client.force_login(world.af_a)

    response = client.get("/inbox/00000000-0000-0000-0000-000000000000/")
    given = client.get(reverse("triage:inbox"), HTTP_X_REQUEST_ID="lb-7f3a9c21")
    forged = client.get(reverse("triage:inbox"), HTTP_X_REQUEST_ID="<script>alert(1)</script>")

    assert len(response["X-Request-ID"]) == 32
    assert given["X-Request-ID"] == "lb-7f3a9c21"
    assert forged["X-Request-ID"] != "<script>alert(1)</script>" and len(forged["X-Request-ID"]) == 32
    not_found = [r for r in caplog.records if r.name == "django.request"]
    assert not_found and all(r.request_id == response["X-Request-ID"] for r in not_found)
    assert request_id.get() == "-"  # reset after the request


def test_production_log_lines_are_json_objects_with_the_request_id():
    from django.conf import settings
    from pythonjsonlogger.json import JsonFormatter

    spec = settings.LOGGING["formatters"]["json"]
    formatter = JsonFormatter(spec["fmt"], rename_fields=spec["rename_fields"])
    record = logging.LogRecord("meldroute.x", logging.WARNING, __file__, 1, "signal %s klaar", ("MR-1",), None)
    RequestIdFilter().filter(record)

    line = json.loads(formatter.format(record))
    assert line["level"] == "WARNING" and line["logger"] == "meldroute.x"
    assert line["message"] == "signal MR-1 klaar" and line["request_id"] == "-"


def test_the_gunicorn_access_log_leaves_the_query_string_out():
    from meldroute.conf import gunicorn

    assert "%(U)s" in gunicorn.access_log_format
    for field in ("%(r)s", "%(q)s", "%(u)s", "%(f)s"):
        assert field not in gunicorn.access_log_format
