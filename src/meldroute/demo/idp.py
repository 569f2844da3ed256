"""The demo's identity provider: the local OpenID provider (accounts.oidc_provider) with a fictional organisation
account for each Veenhorst demo user, so "Inloggen met uw organisatie-account" works in the demo as it would against
the municipality's Entra ID, ADFS or Keycloak — logging out included: Meldroute's logout ends the provider's session
too (RP-initiated logout, accounts.oidc_logout), so the next demo login asks for the password again."""

from typing import Any

from django.conf import settings

from meldroute.accounts.models import User
from meldroute.accounts.oidc_logout import content_security_policy_allowing, post_logout_redirect_uri
from meldroute.accounts.oidc_provider import IdpAccount, LocalIdp, start_local_idp

IDP_PASSWORD = "Veenhorst-idp-2026"  # noqa: S105 — fictional accounts at the demo's own provider, printed at start
IDP_MUNICIPALITY = "GM9901"  # Veenhorst logs in through its IdP; the other demo organisations keep local accounts
WITHOUT_MFA = frozenset({"melder2.veenhorst"})  # the IdP asks no second factor: Meldroute asks its own TOTP


def subject_for(username: str) -> str:
    """The stable identity of a Veenhorst demo user at the demo IdP (stored as User.oidc_subject by the seed)."""
    return f"veenhorst-{username}"


def idp_accounts() -> list[IdpAccount]:
    users = (User.objects.filter(organisation__code=IDP_MUNICIPALITY, oidc_subject__isnull=False, is_active=True)
             .order_by("username"))
    return [IdpAccount(f"{user.username}@veenhorst.example", IDP_PASSWORD, str(user.oidc_subject),
                       user.get_full_name(), user.email, mfa=user.username not in WITHOUT_MFA) for user in users]


def start_demo_idp(addrport: str, target: Any = settings) -> LocalIdp:
    """Start the provider on loopback and point Meldroute's OIDC login and logout at it (this process's `target`
    settings; a test passes pytest-django's `settings`, which undoes the change afterwards)."""
    host, _sep, port = addrport.rpartition(":")
    names = dict.fromkeys([host or "127.0.0.1", "127.0.0.1", "localhost"])
    callbacks = [f"http://{name}:{port}/inloggen/organisatie/terug/" for name in names]
    idp = start_local_idp(idp_accounts(), callbacks)
    for name, value in idp.settings().items():
        setattr(target, name, value)
    target.MELDROUTE_OIDC = {**target.MELDROUTE_OIDC, "ISSUER": idp.issuer}
    # Logging out ends the provider's session too: its end-session endpoint may take the logout form's redirect (CSP
    # form-action), and it sends the browser back only to the demo's login page.
    target.CONTENT_SECURITY_POLICY = content_security_policy_allowing(target.CONTENT_SECURITY_POLICY,
                                                                      target.OIDC_OP_LOGOUT_ENDPOINT)
    idp.httpd.state.post_logout_redirect_uris.extend(
        dict.fromkeys([post_logout_redirect_uri(), *(f"http://{name}:{port}/inloggen/" for name in names)]))
    return idp
