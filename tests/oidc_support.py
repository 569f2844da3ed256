"""The local OpenID provider (accounts.oidc_provider) as a fixture, and a login through it with Django's test client:
real HTTP to the provider on loopback (its login form, token, userinfo and JWKS endpoints), nothing mocked."""

import urllib.parse
from collections.abc import Iterator

import requests

from meldroute.accounts.oidc_logout import content_security_policy_allowing, post_logout_redirect_uri
from meldroute.accounts.oidc_provider import AUTHORIZE_FIELDS, IdpAccount, LocalIdp, start_local_idp

IDP_PASSWORD = "Idp-wachtwoord-123"  # noqa: S105 — fictional accounts at the local provider
CALLBACK = "http://testserver/inloggen/organisatie/terug/"

IDP_ACCOUNTS = [
    IdpAccount("af.a@aadorp.example", IDP_PASSWORD, "sub-af-a", "Fictieve AF Aadorp", "af_a@test.example", mfa=True),
    IdpAccount("melder.a@aadorp.example", IDP_PASSWORD, "sub-melder-a", "Fictieve melder", "melder_a@test.example",
               mfa=False),
    IdpAccount("onbekend@aadorp.example", IDP_PASSWORD, "sub-onbekend", "Niet in Meldroute", "niemand@test.example"),
    IdpAccount("af.b@beekstad.example", IDP_PASSWORD, "sub-af-b", "Fictieve AF Beekstad", "af_b@test.example",
               extra_claims={"gemeentecode": "GM8901"}),
]


def use_idp(settings, idp: LocalIdp, *redirect_uris: str) -> None:
    for name, value in idp.settings().items():
        setattr(settings, name, value)
    settings.MELDROUTE_OIDC = {**settings.MELDROUTE_OIDC, "ISSUER": idp.issuer}
    # RP-initiated logout: the end-session endpoint's origin may take the logout form's redirect (CSP form-action), and
    # the provider sends the browser back only to Meldroute's login page at MELDROUTE_BASE_URL.
    settings.CONTENT_SECURITY_POLICY = content_security_policy_allowing(
        settings.CONTENT_SECURITY_POLICY, settings.OIDC_OP_LOGOUT_ENDPOINT)
    idp.httpd.state.redirect_uris.extend(redirect_uris)
    idp.httpd.state.post_logout_redirect_uris.append(post_logout_redirect_uri())


def running_idp(settings) -> Iterator[LocalIdp]:
    """For a test module's own `idp` fixture: `yield from running_idp(settings)`."""
    provider = start_local_idp(IDP_ACCOUNTS, [])
    use_idp(settings, provider, CALLBACK)
    yield provider
    provider.stop()


def start_at_idp(client) -> dict[str, str]:
    """Meldroute's "Inloggen met uw organisatie-account": the authorization request it sends the browser to."""
    response = client.get("/inloggen/organisatie/")
    assert response.status_code == 302
    query = urllib.parse.urlsplit(response["Location"]).query
    return {key: values[0] for key, values in urllib.parse.parse_qs(query).items()}


def sign_in_at_idp(idp: LocalIdp, params: dict[str, str], username: str, password: str = IDP_PASSWORD) -> str:
    """Fill in the provider's login form; returns the callback URL (path and query) it redirects to."""
    form = {name: params.get(name, "") for name in AUTHORIZE_FIELDS}
    response = requests.post(f"{idp.issuer}/authorize", data={**form, "username": username, "password": password},
                             allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    location = urllib.parse.urlsplit(response.headers["Location"])
    return f"{location.path}?{location.query}"


def oidc_login(client, idp: LocalIdp, username: str):
    """The whole authorization code flow with PKCE; returns Meldroute's answer to the callback."""
    return client.get(sign_in_at_idp(idp, start_at_idp(client), username))
