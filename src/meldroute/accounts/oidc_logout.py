"""RP-initiated logout: logging out of a session that came through the organisation's IdP also ends the IdP's session
(OpenID Connect RP-Initiated Logout 1.0), so on a shared workstation the next person is asked for a password again.

Meldroute's own logout view (accounts.views.LogoutView) ends Meldroute's session as always and then sends the browser
to the end-session endpoint built here. mozilla-django-oidc's OIDC_OP_LOGOUT_URL_METHOD hook belongs to its own logout
view, which would send every session (a local password's too) through the hook and has no place for the audit event;
so this is a small function of our own (docs/privacy/login.md).
"""

import secrets
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest
from django.urls import reverse

from .oidc import ID_TOKEN_SESSION_KEY, OIDCBackend, oidc_enabled

OIDC_BACKEND_PATH = f"{OIDCBackend.__module__}.{OIDCBackend.__qualname__}"


def end_session_endpoint() -> str:
    """MELDROUTE_OIDC_END_SESSION_ENDPOINT, when an IdP login is configured at all; else empty (logout as before)."""
    endpoint: str = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "") or ""
    return endpoint if endpoint and oidc_enabled() else ""


def post_logout_redirect_uri() -> str:
    """Meldroute's login page, absolute, from MELDROUTE_BASE_URL (never the request's Host header: the IdP compares
    it with the registered URI, and a forged Host must not choose where the browser lands)."""
    base_url = str(settings.MELDROUTE["BASE_URL"]).rstrip("/")
    return f"{base_url}{reverse('login')}"


def came_through_idp(request: HttpRequest) -> bool:
    """The signed-in session was started by the OIDC callback (and kept its id_token for the hint)."""
    session = request.session
    return (request.user.is_authenticated and session.get(BACKEND_SESSION_KEY) == OIDC_BACKEND_PATH
            and bool(session.get(ID_TOKEN_SESSION_KEY)))


def end_session_url(request: HttpRequest) -> str:
    """Where to send the browser after Meldroute's own logout: the IdP's end-session endpoint with `id_token_hint`,
    `client_id`, `post_logout_redirect_uri` and a `state`; empty for a local password session, without an endpoint,
    or for a session that holds no id_token (started before the endpoint was configured). Call it before the logout
    flushes the session. The URL carries the id_token: it is a secret, so it is returned, never logged."""
    endpoint = end_session_endpoint()
    if not endpoint or not came_through_idp(request):
        return ""
    query = urlencode({"id_token_hint": str(request.session[ID_TOKEN_SESSION_KEY]),
                       "client_id": settings.OIDC_RP_CLIENT_ID, "post_logout_redirect_uri": post_logout_redirect_uri(),
                       "state": secrets.token_urlsafe(16)})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def end_session_origin(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy_allowing(policy: dict[str, Any], endpoint: str) -> dict[str, Any]:
    """The policy with the end-session endpoint's origin, and only it, added to `form-action` (Chrome enforces
    form-action on the redirect after the logout form's POST). conf.settings does the same from the environment; the
    demo and the tests, which start their provider at run time, use this. Returns a new dict."""
    directives = {name: list(values) for name, values in policy.get("DIRECTIVES", {}).items()}
    origin = end_session_origin(endpoint)
    form_action = directives.get("form-action", ["'self'"])
    directives["form-action"] = form_action if origin in form_action else [*form_action, origin]
    return {**policy, "DIRECTIVES": directives}
