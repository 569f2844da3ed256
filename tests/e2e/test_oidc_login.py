"""Browser journey: logging in through the organisation's identity provider — the local OpenID provider on loopback,
real HTTP, real Chromium, the authorization code flow with PKCE — the local login switched off per organisation, and
logging out, which ends the IdP's session too (RP-initiated logout), under the real Content-Security-Policy."""

import pytest
from playwright.sync_api import Page, expect

from meldroute.accounts import services
from meldroute.accounts.safety_net import audited_by_service
from meldroute.audit.models import AuditEvent
from tests.e2e.conftest import PASSWORD, assert_no_violations, login
from tests.oidc_support import IDP_PASSWORD, running_idp, use_idp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def idp(settings, live_server):
    # The IdP sends the browser back after logging out only to the login page at MELDROUTE_BASE_URL: the live server's.
    settings.MELDROUTE = {**settings.MELDROUTE, "BASE_URL": live_server.url}
    for provider in running_idp(settings):
        use_idp(settings, provider, f"{live_server.url}/inloggen/organisatie/terug/")
        yield provider


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.MELDROUTE = {**settings.MELDROUTE, "REQUIRE_2FA": True}


def link(user, subject: str) -> None:
    with audited_by_service():
        user.oidc_subject = subject
        user.save(update_fields=["oidc_subject"])


def sign_in_at_the_idp(page: Page, username: str) -> None:
    page.get_by_role("link", name="Inloggen met uw organisatie-account").click()
    expect(page.get_by_role("heading", name="Demo-identiteitsprovider (fictief)")).to_be_visible()
    page.get_by_label("Gebruikersnaam bij uw organisatie").fill(username)
    page.get_by_label("Wachtwoord bij uw organisatie").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Inloggen bij uw organisatie").click()


def test_an_af_logs_in_with_the_organisation_account_and_the_idps_second_factor(live_server, page: Page, world,
                                                                                idp):
    link(world.af_a, "sub-af-a")
    page.goto(f"{live_server.url}/inbox/")
    expect(page.get_by_role("heading", name="Inloggen bij Meldroute")).to_be_visible()
    expect(page.get_by_role("link", name="Inloggen met uw organisatie-account")).to_be_visible()
    assert_no_violations(page)
    sign_in_at_the_idp(page, "af.a@aadorp.example")
    # Back at Meldroute, logged in: the IdP asked a second factor (amr mfa), so no TOTP page.
    expect(page.get_by_role("heading", name="Inbox signalen — Gemeente Aadorp")).to_be_visible()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    assert AuditEvent.objects.filter(action="user.login_oidc", actor=world.af_a).count() == 1


def test_without_the_idps_second_factor_meldroute_asks_its_own(live_server, page: Page, world, idp):
    link(world.melder_a, "sub-melder-a")
    page.goto(f"{live_server.url}/inloggen/")
    sign_in_at_the_idp(page, "melder.a@aadorp.example")
    expect(page.get_by_role("heading", name="Tweestapsverificatie instellen")).to_be_visible()


def test_an_unknown_organisation_account_is_refused_in_dutch(live_server, page: Page, world, idp):
    page.goto(f"{live_server.url}/inloggen/")
    sign_in_at_the_idp(page, "onbekend@aadorp.example")
    expect(page.get_by_text("Uw organisatie-account is niet bekend in Meldroute")).to_be_visible()
    expect(page.get_by_role("button", name="Uitloggen")).to_have_count(0)
    assert_no_violations(page)


def test_with_local_login_off_the_password_is_refused_and_the_organisation_account_works(live_server, page: Page,
                                                                                         world, idp):
    services.set_local_login(world.a, actor=world.beheerder, allowed=False, reason="Aadorp logt in via Entra ID")
    link(world.af_a, "sub-af-a")
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("af_a")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_text("Uw organisatie laat inloggen alleen toe met uw organisatie-account")).to_be_visible()
    expect(page.get_by_label("Gebruikersnaam")).to_have_value("af_a")
    sign_in_at_the_idp(page, "af.a@aadorp.example")
    expect(page.get_by_role("heading", name="Inbox signalen — Gemeente Aadorp")).to_be_visible()


def test_logging_out_ends_the_idps_session_so_the_next_login_asks_the_password_again(live_server, page: Page, world,
                                                                                     idp):
    link(world.af_a, "sub-af-a")
    page.goto(f"{live_server.url}/inloggen/")
    sign_in_at_the_idp(page, "af.a@aadorp.example")
    expect(page.get_by_role("heading", name="Inbox signalen — Gemeente Aadorp")).to_be_visible()
    assert idp.logged_in() == 1

    # The logout form's POST, Meldroute's redirect to the IdP's end-session endpoint (allowed by form-action; the
    # autouse no_csp_violations fixture fails the test on any blocked step) and the IdP's redirect back.
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", name="Inloggen bij Meldroute")).to_be_visible()
    assert page.url.startswith(f"{live_server.url}/inloggen/?state=")
    assert idp.logged_in() == 0
    event = AuditEvent.objects.get(action="user.logout_oidc", actor=world.af_a)
    assert event.details["idp_asked_to_end_session"] is True
    assert_no_violations(page)

    # A next person at this workstation: the IdP asks for a password instead of logging the previous one back in.
    page.get_by_role("link", name="Inloggen met uw organisatie-account").click()
    expect(page.get_by_role("heading", name="Demo-identiteitsprovider (fictief)")).to_be_visible()
    expect(page.get_by_label("Wachtwoord bij uw organisatie")).to_be_visible()
    expect(page.get_by_role("button", name="Uitloggen")).to_have_count(0)


def test_a_password_login_logs_out_to_meldroutes_login_page_as_before(live_server, page: Page, world, idp):
    login(page, live_server.url, "af_b")
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", name="Inloggen bij Meldroute")).to_be_visible()
    assert page.url == f"{live_server.url}/inloggen/"
    assert idp.logged_in() == 0 and not AuditEvent.objects.filter(action="user.logout_oidc").exists()
