"""Issue 11 §7, the smaller holes, each written as the attack: a page that could run injected script, the API
contract read without credentials, a signal flooded with attachments, and a password sprayed over many accounts."""

import re
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from meldroute.intake.exceptions import AttachmentRejected
from meldroute.intake.models import Attachment
from meldroute.intake.services import add_attachments
from tests.factories import make_signal, png_upload

pytestmark = pytest.mark.django_db

PASSWORD = "Test-wachtwoord-123"
TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "meldroute"


# --- Content-Security-Policy and Permissions-Policy ----------------------------------------------------------------

def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize("who", [None, "af_a"])
def test_every_page_forbids_inline_script_and_style_and_framing(client, world, who):
    if who:
        client.force_login(getattr(world, who))
    response = client.get(reverse("home") if who else reverse("login"), follow=True)

    policy = _policy(response)
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["base-uri"] == "base-uri 'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_no_template_has_inline_script_or_style_that_the_policy_would_block():
    """The policy is only strict if the pages work under it: no <script> without src, no <style>, no style=""
    (a *_pdf.html template — the report, the minutes — is drawn by WeasyPrint, not a browser, and keeps its
    stylesheet)."""
    offenders = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        if template.name.endswith("_pdf.html"):
            continue
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or "<style" in text or re.search(r"\sstyle=", text):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []


def test_charts_are_sized_without_a_style_attribute():
    from meldroute.monitoring.charts import Bar, bar_chart

    svg = bar_chart("Signalen per vorm", [Bar("Arbeid", 12, "12")])
    assert "style=" not in svg and 'class="mr-chart"' in svg


# --- The API contract is for its users -------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_the_api_schema_and_docs_are_closed_to_anonymous_visitors(client, world, url):
    response = client.get(url)

    assert response.status_code == 401
    assert b"/api/v1/signals/" not in response.content


def test_a_signed_in_user_reads_the_docs_page_whose_script_comes_from_a_url(client, world):
    client.force_login(world.af_a)

    page = client.get("/api/docs/")
    script = client.get("/api/docs/", {"script": ""})

    assert page.status_code == 200 and script.status_code == 200
    assert re.search(rb"<script>", page.content) is None  # every script has a src: the CSP holds here too
    assert b"SwaggerUIBundle" in script.content


# --- Attachments per signal -----------------------------------------------------------------------------------------

def test_attachments_added_in_several_turns_still_stop_at_the_limit(world, settings):
    settings.MELDROUTE = {**settings.MELDROUTE, "ATTACHMENT_MAX_COUNT": 3}
    signal = make_signal(world.melder_a, uploads=[png_upload("een.png"), png_upload("twee.png")])
    add_attachments(signal, actor=world.melder_a, uploads=[png_upload("drie.png")])

    with pytest.raises(AttachmentRejected):
        add_attachments(signal, actor=world.melder_a, uploads=[png_upload("vier.png")])

    assert Attachment.objects.filter(signal=signal).count() == 3


# --- Password spraying -----------------------------------------------------------------------------------------

def _login(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_one_address_spraying_one_password_over_many_accounts_is_locked_out(client, world, settings):
    settings.MELDROUTE_LOGIN_LIMITS = {"per_address": 6, "overall": 1000}
    for n in range(6):  # each account sees a single failure: far below the per-account limit of 5
        _login(client, f"medewerker{n}", "Zomer2026!zomer", "203.0.113.7")

    response = _login(client, world.af_a.username, PASSWORD, "203.0.113.7")

    assert response.status_code == 429 and not _logged_in(client)
    assert AccessAttempt.objects.filter(ip_address="203.0.113.7").count() == 7  # six sprayed, one refused
    assert _login(client, world.af_a.username, PASSWORD, "198.51.100.20").status_code == 302  # others may log in
    assert _logged_in(client)


def test_a_spray_spread_over_many_addresses_is_stopped_by_the_overall_limit(client, world, settings):
    settings.MELDROUTE_LOGIN_LIMITS = {"per_address": 1000, "overall": 8}
    for n in range(8):
        _login(client, f"medewerker{n}", "Zomer2026!zomer", f"203.0.113.{n + 1}")

    response = _login(client, world.af_a.username, PASSWORD, "198.51.100.20")

    assert response.status_code == 429 and not _logged_in(client)


@pytest.mark.clock
def test_the_spray_lock_lifts_after_the_cool_off_time(client, world, settings, clock):
    from datetime import timedelta

    settings.MELDROUTE_LOGIN_LIMITS = {"per_address": 3, "overall": 1000}
    for n in range(3):
        _login(client, f"medewerker{n}", "Zomer2026!zomer", "203.0.113.7")
    assert _login(client, world.af_a.username, PASSWORD, "203.0.113.7").status_code == 429

    clock.shift(timedelta(minutes=16))

    assert _login(client, world.af_a.username, PASSWORD, "203.0.113.7").status_code == 302
