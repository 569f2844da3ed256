"""System checks of the login configuration: an OpenID Connect set-up that is half filled in is said at start-up,
since login through the IdP is then silently off (accounts.oidc.oidc_enabled)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register

OIDC_REQUIRED = {
    "OIDC_RP_CLIENT_SECRET": "MELDROUTE_OIDC_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "MELDROUTE_OIDC_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "MELDROUTE_OIDC_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT": "MELDROUTE_OIDC_USERINFO_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT": "MELDROUTE_OIDC_JWKS_ENDPOINT",
}


@register("security")
def oidc_configuration(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.OIDC_RP_CLIENT_ID:
        return []
    missing = [variable for name, variable in OIDC_REQUIRED.items() if not getattr(settings, name, "")]
    if not settings.MELDROUTE_OIDC.get("ISSUER"):
        missing.append("MELDROUTE_OIDC_ISSUER")
    if not missing:
        return []
    return [Warning(f"MELDROUTE_OIDC_CLIENT_ID is set, but not {', '.join(missing)}: login through the identity "
                    "provider is off.", hint="See docs/privacy/login.md.", id="meldroute.W101")]
