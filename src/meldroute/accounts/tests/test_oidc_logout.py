"""RP-initiated logout (docs/privacy/login.md): logging out of a session that came through the organisation's IdP ends
the IdP's session too, so the next person at a shared workstation is asked for a password again. The local OpenID
provider on loopback plays the IdP (its login session is a cookie, kept here by a `requests.Session` as the browser);
nothing is mocked."""

import json
import logging
import runpy
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from tests.factories import actions_since, audit_mark
from tests.oidc_support import IDP_PASSWORD, running_idp, start_at_idp

from meldroute.accounts.models import User
from meldroute.accounts.oidc import ID_TOKEN_SESSION_KEY
from meldroute.accounts.oidc_logout import content_security_policy_allowing
from meldroute.accounts.oidc_provider import AUTHORIZE_FIELDS, CLIENT_ID, KEY_ID, LocalIdp
from meldroute.accounts.safety_net import audited_by_service
from meldroute.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

BASE_URL = "https://meldroute.gemeente.test"
LOGIN_PAGE = f"{BASE_URL}/inloggen/"
SETTINGS_FILE = Path(__file__).resolve().parents[2] / "conf" / "settings.py"


@pytest.fixture
def idp(settings):
    settings.MELDROUTE = {**settings.MELDROUTE, "BASE_URL": BASE_URL}  # not the test client's Host (testserver)
    yield from running_idp(settings)


@pytest.fixture
def agent() -> Iterator[requests.Session]:  # the browser (pytest-playwright owns the name `browser`)
    """The browser's side at the IdP: its login-session cookie."""
    with requests.Session() as session:
        yield session


def link(user: User, subject: str) -> User:
    with audited_by_service():
        user.oidc_subject = subject
        user.save(update_fields=["oidc_subject"])
    return user


def authorize(agent: requests.Session, idp: LocalIdp, params: dict[str, str]) -> requests.Response:
    """The browser arrives at the IdP's authorize endpoint with Meldroute's request."""
    query = urllib.parse.urlencode({name: params[name] for name in AUTHORIZE_FIELDS if name in params})
    return agent.get(f"{idp.issuer}/authorize?{query}", allow_redirects=False, timeout=10)


def callback_of(response: requests.Response) -> str:
    assert response.status_code == 302, response.text
    location = urllib.parse.urlsplit(response.headers["Location"])
    return f"{location.path}?{location.query}"


def log_in_through_idp(client, agent: requests.Session, idp: LocalIdp, username: str) -> None:
    params = start_at_idp(client)
    form = {name: params.get(name, "") for name in AUTHORIZE_FIELDS}
    response = agent.post(f"{idp.issuer}/authorize", data={**form, "username": username, "password": IDP_PASSWORD},
                            allow_redirects=False, timeout=10)
    client.get(callback_of(response))


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).items()}


def test_logging_out_of_an_idp_session_ends_the_idps_session_too(client, world, idp, agent):
    link(world.af_a, "sub-af-a")
    log_in_through_idp(client, agent, idp, "af.a@aadorp.example")
    assert client.session[SESSION_KEY] == str(world.af_a.pk)
    id_token = client.session[ID_TOKEN_SESSION_KEY]
    # While the IdP's session lives, its authorize answers straight away (single sign-on): the gap this closes.
    assert authorize(agent, idp, start_at_idp(client)).status_code == 302
    assert idp.logged_in() == 1

    mark = audit_mark()
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    end_session = response["Location"]
    assert end_session.startswith(f"{idp.issuer}/end-session?")
    params = query_of(end_session)
    assert params["id_token_hint"] == id_token and params["client_id"] == CLIENT_ID
    assert params["post_logout_redirect_uri"] == LOGIN_PAGE and len(params["state"]) >= 16
    assert set(params) == {"id_token_hint", "client_id", "post_logout_redirect_uri", "state"}
    # Meldroute's own session ended as always, the browser told to clear what it kept; one audit event says the IdP
    # was asked to end its session, and holds no token.
    assert SESSION_KEY not in client.session and ID_TOKEN_SESSION_KEY not in client.session
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert actions_since(mark) == ["user.logout_oidc"]
    event = AuditEvent.objects.get(id__gt=mark)
    assert event.actor == world.af_a and event.target_uuid == world.af_a.uuid
    assert event.details == {"user": "af_a", "idp_asked_to_end_session": True}

    at_idp = agent.get(end_session, allow_redirects=False, timeout=10)
    assert at_idp.status_code == 302 and at_idp.headers["Location"] == f"{LOGIN_PAGE}?state={params['state']}"
    assert idp.logged_in() == 0
    # The next "Inloggen met uw organisatie-account" gets the provider's login form, not the previous person.
    again = authorize(agent, idp, start_at_idp(client))
    assert again.status_code == 200 and "Wachtwoord bij uw organisatie" in again.text
    assert SESSION_KEY not in client.session


def test_the_post_logout_uri_comes_from_the_base_url_not_the_host_header(client, world, idp, agent, settings):
    settings.ALLOWED_HOSTS = ["testserver", "elders.example"]
    link(world.af_a, "sub-af-a")
    log_in_through_idp(client, agent, idp, "af.a@aadorp.example")
    response = client.post(reverse("logout"), HTTP_HOST="elders.example")
    assert query_of(response["Location"])["post_logout_redirect_uri"] == LOGIN_PAGE


def _end_session(idp: LocalIdp, agent: requests.Session, **params: str) -> requests.Response:
    return agent.get(f"{idp.issuer}/end-session", params=params, allow_redirects=False, timeout=10)


def _own_token(client) -> str:
    return str(client.session[ID_TOKEN_SESSION_KEY])


def test_the_provider_refuses_a_forged_or_unknown_id_token_hint_and_keeps_its_session(client, world, idp, agent):
    link(world.af_a, "sub-af-a")
    log_in_through_idp(client, agent, idp, "af.a@aadorp.example")
    claims = jwt.decode(_own_token(client), options={"verify_signature": False})
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": KEY_ID})  # same claims, not its key
    for_another_client = jwt.encode({**claims, "aud": "andere-client"}, idp.httpd.state.key, algorithm="RS256")
    for hint in (forged, for_another_client, "geen-token", ""):
        response = _end_session(idp, agent, id_token_hint=hint, post_logout_redirect_uri=LOGIN_PAGE, state="s")
        assert response.status_code == 400 and "Location" not in response.headers
        assert "id_token_hint is niet door deze identiteitsprovider uitgegeven" in response.text
        assert idp.logged_in() == 1
    assert authorize(agent, idp, start_at_idp(client)).status_code == 302  # still logged in at the IdP


def test_the_provider_never_redirects_to_an_unregistered_post_logout_uri(client, world, idp, agent):
    link(world.af_a, "sub-af-a")
    log_in_through_idp(client, agent, idp, "af.a@aadorp.example")
    for target in ("https://elders.example/inloggen/", f"{LOGIN_PAGE}extra", "//elders.example/"):
        response = _end_session(idp, agent, id_token_hint=_own_token(client), post_logout_redirect_uri=target)
        assert response.status_code == 400 and "Location" not in response.headers
        assert "terugkeer-URL na uitloggen is niet geregistreerd" in response.text
        assert idp.logged_in() == 1
    response = _end_session(idp, agent, id_token_hint=_own_token(client), client_id="andere-client",
                            post_logout_redirect_uri=LOGIN_PAGE)
    assert response.status_code == 400 and idp.logged_in() == 1


def test_a_password_session_logs_in_and_out_here_with_an_event_for_each(client, world, idp):
    mark = audit_mark()
    client.post(reverse("login"), {"username": "af_b", "password": "Test-wachtwoord-123"})
    assert client.session[SESSION_KEY] == str(world.af_b.pk)
    assert actions_since(mark) == ["user.login"]
    login = AuditEvent.objects.get(id__gt=mark)
    assert login.actor == world.af_b and login.details == {"user": "af_b", "via": "lokaal wachtwoord"}
    mark = audit_mark()
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session
    assert actions_since(mark) == ["user.logout"]


def test_a_wrong_password_writes_no_login_event(client, world, idp):
    mark = audit_mark()
    response = client.post(reverse("login"), {"username": "af_b", "password": "fout"})
    assert response.status_code == 200 and SESSION_KEY not in client.session
    assert "user.login" not in actions_since(mark)


def test_without_an_end_session_endpoint_an_idp_session_logs_out_as_before(client, world, idp, agent, settings):
    settings.OIDC_OP_LOGOUT_ENDPOINT = ""
    link(world.af_a, "sub-af-a")
    log_in_through_idp(client, agent, idp, "af.a@aadorp.example")
    assert client.session[SESSION_KEY] == str(world.af_a.pk)
    assert ID_TOKEN_SESSION_KEY not in client.session  # no endpoint, no reason to keep the token
    mark = audit_mark()
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session and actions_since(mark) == ["user.logout"]
    assert idp.logged_in() == 1  # the IdP's session is untouched, as before


def test_logging_out_is_post_only_and_an_anonymous_post_goes_to_the_login_page(client, world, idp):
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_a_refused_login_keeps_no_id_token(client, world, idp, agent):
    log_in_through_idp(client, agent, idp, "onbekend@aadorp.example")
    assert SESSION_KEY not in client.session and ID_TOKEN_SESSION_KEY not in client.session


def test_the_id_token_appears_in_no_log_line_and_no_audit_event(client, world, idp, agent, caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("mozilla_django_oidc", "meldroute", "django", "django.request", "urllib3"):
        caplog.set_level(logging.DEBUG, logger=name)
    link(world.af_a, "sub-af-a")
    log_in_through_idp(client, agent, idp, "af.a@aadorp.example")
    id_token = _own_token(client)
    client.post(reverse("logout"))
    # Meldroute's side only: the browser then carries the token to the IdP that issued it, in the URL (the protocol).
    assert caplog.records  # the flow did log (urllib3, axes): the check below has something to look at
    for record in caplog.records:
        assert id_token not in record.getMessage() and id_token not in str(record.__dict__), record.name
    signature = id_token.rsplit(".", 1)[1]
    assert signature not in json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))


# --- the Content-Security-Policy: the end-session endpoint's origin in form-action only when configured


def _form_action(response) -> str:
    header = response["Content-Security-Policy"]
    return next(part.strip() for part in header.split(";") if part.strip().startswith("form-action"))


def test_without_an_end_session_endpoint_forms_post_only_here(client, world):
    assert _form_action(client.get(reverse("login"))) == "form-action 'self'"
    client.force_login(world.af_a)
    assert _form_action(client.get(reverse("home"), follow=True)) == "form-action 'self'"


def test_with_an_end_session_endpoint_its_origin_and_nothing_wider_joins_form_action(client, world, idp):
    assert _form_action(client.get(reverse("login"))) == f"form-action 'self' {idp.issuer}"
    client.force_login(world.af_a)
    assert _form_action(client.get(reverse("home"), follow=True)) == f"form-action 'self' {idp.issuer}"


def test_the_policy_helper_adds_only_the_origin_once_and_leaves_the_given_policy_alone():
    policy = {"DIRECTIVES": {"form-action": ["'self'"], "script-src": ["'self'"]}}
    endpoint = "https://login.microsoftonline.com/tenant/oauth2/v2.0/logout?x=1"
    allowed = content_security_policy_allowing(policy, endpoint)
    assert allowed["DIRECTIVES"]["form-action"] == ["'self'", "https://login.microsoftonline.com"]
    assert content_security_policy_allowing(allowed, endpoint) == allowed
    assert policy["DIRECTIVES"]["form-action"] == ["'self'"]  # pytest-django's settings restore the original object


def test_the_settings_add_the_configured_endpoints_origin_from_the_environment(monkeypatch):
    monkeypatch.setenv("MELDROUTE_ENVIRONMENT", "test")
    monkeypatch.setenv("MELDROUTE_OIDC_END_SESSION_ENDPOINT",
                       "https://adfs.gemeente.example:8443/adfs/oauth2/logout")
    configured = runpy.run_path(str(SETTINGS_FILE))
    assert configured["OIDC_OP_LOGOUT_ENDPOINT"] == "https://adfs.gemeente.example:8443/adfs/oauth2/logout"
    assert configured["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["form-action"] == [
        "'self'", "https://adfs.gemeente.example:8443"]
    assert configured["OIDC_STORE_ID_TOKEN"] is False
    monkeypatch.delenv("MELDROUTE_OIDC_END_SESSION_ENDPOINT")
    assert runpy.run_path(str(SETTINGS_FILE))["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["form-action"] == ["'self'"]
    monkeypatch.setenv("MELDROUTE_OIDC_END_SESSION_ENDPOINT", "adfs/oauth2/logout")
    with pytest.raises(ImproperlyConfigured):
        runpy.run_path(str(SETTINGS_FILE))
