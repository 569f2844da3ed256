"""Browser journey: first login links an authenticator app, the next login asks for its code."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.MELDROUTE = {**settings.MELDROUTE, "REQUIRE_2FA": True}


def code_for(secret_text: str) -> str:
    return f"{totp(b32decode(secret_text.replace(' ', ''))):06d}"


def test_first_login_links_an_app_and_the_next_login_asks_for_its_code(live_server, page: Page, world):
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("af_a")
    page.get_by_label("Wachtwoord").fill("Test-wachtwoord-123")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Tweestapsverificatie instellen")).to_be_visible()
    expect(page.locator("svg").first).to_be_visible()  # the QR code
    assert_no_violations(page)
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code uit uw authenticator-app").fill(code_for(secret))
    page.get_by_role("button", name="Koppelen").click()
    expect(page.get_by_role("heading", name="Inbox signalen — Gemeente Aadorp")).to_be_visible()

    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", name="Inloggen bij Meldroute")).to_be_visible()
    page.get_by_label("Gebruikersnaam").fill("af_a")
    page.get_by_label("Wachtwoord").fill("Test-wachtwoord-123")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Tweestapsverificatie", exact=True)).to_be_visible()
    page.get_by_label("Code uit uw authenticator-app").fill("000000" if code_for(secret) != "000000" else "111111")
    page.get_by_role("button", name="Doorgaan").click()
    expect(page.get_by_text("Deze code klopt niet of is verlopen.").first).to_be_visible()
