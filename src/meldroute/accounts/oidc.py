"""Login through the organisation's identity provider (OpenID Connect, mozilla-django-oidc): the IdP proves who
someone is, matched on a stable claim to an existing Meldroute account; what they may do stays Meldroute's own.

mozilla-django-oidc runs the authorization code flow and checks state, nonce, PKCE (S256) and the id_token's
signature; this module adds what Meldroute needs on top: the issuer and audience of the id_token, the match on the
subject (never an automatic account), refusals with a Dutch message, the IdP's second factor, and the audit events.
See docs/privacy/login.md for the set-up.
"""

from dataclasses import dataclass
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from meldroute.core.exceptions import DomainError

from . import services
from .models import User

# Set in the session when the IdP asserted a second factor (`amr`/`acr`): RequireTwoFactorMiddleware then does not ask
# for TOTP again. Only this module's successful callback sets it; logging out flushes the session.
IDP_SECOND_FACTOR_SESSION_KEY = "meldroute_idp_second_factor"
# The id_token, kept only as the hint for RP-initiated logout (accounts.oidc_logout) and only when an end-session
# endpoint is configured: a secret, in the server-side session (database), never logged, gone when the session ends.
ID_TOKEN_SESSION_KEY = "meldroute_oidc_id_token"  # noqa: S105 — a session key's name, not a secret
_REFUSAL_ATTRIBUTE = "_meldroute_oidc_refusal"
_CLAIMS_ATTRIBUTE = "_meldroute_oidc_claims"
_ID_TOKEN_ATTRIBUTE = "_meldroute_oidc_id_token"  # noqa: S105 — an attribute name

REFUSAL_MESSAGES = {
    "unknown_account": _("Uw organisatie-account is niet bekend in Meldroute. Vraag de functioneel beheerder van uw "
                         "organisatie om een account voor u aan te maken."),
    "inactive": _("Uw account in Meldroute is niet actief. Neem contact op met de functioneel beheerder van uw "
                  "organisatie."),
    "organisation_mismatch": _("Uw organisatie-account hoort bij een andere organisatie dan uw account in Meldroute. "
                               "Neem contact op met de functioneel beheerder."),
    "ambiguous": _("Uw organisatie-account past bij meer dan één account in Meldroute. Neem contact op met de "
                   "functioneel beheerder."),
    "cancelled": _("Inloggen via uw organisatie is afgebroken. Probeer het opnieuw."),
    "provider_error": _("Inloggen via uw organisatie is niet gelukt. Probeer het opnieuw; lukt het weer niet, neem "
                        "dan contact op met de functioneel beheerder."),
    "local_login_off": _("Uw organisatie laat inloggen alleen toe met uw organisatie-account. Kies \"Inloggen met uw "
                         "organisatie-account\"."),
}


def _config() -> dict[str, Any]:
    """MELDROUTE_OIDC (conf.settings): issuer, subject claim, e-mail matching, accepted amr/acr, organisation claim."""
    config: dict[str, Any] = settings.MELDROUTE_OIDC
    return config


def oidc_enabled() -> bool:
    """Configured by environment (MELDROUTE_OIDC_*); without a client id, endpoints and the issuer (whose `iss` the
    id_token must carry) the login page has no IdP."""
    return bool(settings.OIDC_RP_CLIENT_ID and settings.OIDC_OP_AUTHORIZATION_ENDPOINT
                and settings.OIDC_OP_TOKEN_ENDPOINT and settings.OIDC_OP_USER_ENDPOINT and _config()["ISSUER"])


@dataclass(frozen=True)
class Refusal:
    reason: str
    user: User | None = None
    subject: str = ""


def idp_did_second_factor(claims: dict[str, Any]) -> bool:
    """True when the IdP says it asked a second factor: an accepted `amr` value, or an accepted `acr`."""
    config = _config()
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if set(map(str, amr)) & set(config["MFA_AMR"]):
        return True
    return bool(claims.get("acr")) and str(claims.get("acr")) in config["MFA_ACR"]


def _organisation_matches(user: User, claims: dict[str, Any]) -> bool:
    claim = _config()["ORGANISATION_CLAIM"]
    if not claim:
        return True
    value = claims.get(claim)
    values = [str(v) for v in value] if isinstance(value, list) else [str(value or "")]
    mapping: dict[str, str] = _config()["ORGANISATION_MAP"]
    codes = {mapping.get(v, v) for v in values if v}
    return user.organisation is not None and user.organisation.code in codes


class OIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]  # mozilla-django-oidc ships no types
    """Answers only the OIDC callback (it is listed after the password backends, which ignore it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()
        if oidc_enabled():  # the library refuses to start without endpoints; the password login must work without
            super().__init__(*args, **kwargs)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "nonce" not in kwargs or "username" in kwargs or not oidc_enabled():
            return None
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """Besides the library's signature and nonce check: the id_token comes from our issuer, for us, unexpired."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the id_token (a signed userinfo response is checked by signature only)
            if payload.get("iss") != _config()["ISSUER"]:
                raise SuspiciousOperation("id_token from another issuer")
            audience = payload.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if settings.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("id_token for another client")
            if "exp" not in payload:  # PyJWT checks exp only when present
                raise SuspiciousOperation("id_token without expiry")
        return payload

    def store_tokens(self, access_token: str, id_token: str) -> None:
        """Not into the session yet (the library would, before the account is matched): held on the request until the
        login succeeds (OIDCCallbackView.login_success). The access token is never kept."""
        setattr(self.request, _ID_TOKEN_ATTRIBUTE, id_token)

    def _refuse(self, refusal: Refusal) -> None:
        setattr(self.request, _REFUSAL_ATTRIBUTE, refusal)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        """Find the one account this identity belongs to; an unknown identity is refused, never created."""
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):  # OpenID Connect Core 5.3.2
            raise SuspiciousOperation("userinfo is about someone else")
        claims = {**userinfo, **payload}  # the signed id_token's amr, acr, iss win
        config = _config()
        subject = str(claims.get(config["SUBJECT_CLAIM"]) or "")
        if not subject:
            raise SuspiciousOperation("no subject claim")
        user: User | None = User.objects.select_related("organisation").filter(oidc_subject=subject).first()
        link = False
        if user is None and config["MATCH_VERIFIED_EMAIL"] and claims.get("email_verified") is True:
            email = str(claims.get("email") or "")
            candidates = list(User.objects.select_related("organisation").filter(
                email__iexact=email, oidc_subject__isnull=True, is_service_account=False)[:2]) if email else []
            if len(candidates) > 1:
                self._refuse(Refusal("ambiguous", subject=subject))
                return None
            user, link = (candidates[0], True) if candidates else (None, False)
        if user is None:
            self._refuse(Refusal("unknown_account", subject=subject))
            return None
        if not user.is_active or user.is_service_account:
            self._refuse(Refusal("inactive", user=user, subject=subject))
            return None
        if not _organisation_matches(user, claims):
            self._refuse(Refusal("organisation_mismatch", user=user, subject=subject))
            return None
        if link:
            try:
                services.link_oidc_subject(user, subject=subject)
            except DomainError:
                self._refuse(Refusal("ambiguous", user=user, subject=subject))
                return None
        setattr(self.request, _CLAIMS_ATTRIBUTE, claims)
        return user

    def get_user(self, user_id: Any) -> User | None:
        """A deactivated account's session ends at its next request (the library's own get_user does not check)."""
        user = User.objects.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None


class OIDCStartView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """"Inloggen met uw organisatie-account": off to the IdP with state, nonce and a PKCE challenge."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if oidc_enabled():
            super().__init__(*args, **kwargs)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not oidc_enabled():
            raise Http404
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response


class OIDCCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """Back from the IdP: log in, or say in Dutch why not; both audited."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not oidc_enabled():
            raise Http404
        try:
            response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError, ValueError, KeyError):
            # A wrong state, nonce, PKCE verifier, signature, issuer or audience; or the IdP unreachable.
            setattr(request, _REFUSAL_ATTRIBUTE, Refusal("provider_error"))
            return self._refused(request)
        return response

    def _refused(self, request: HttpRequest) -> HttpResponse:
        refusal: Refusal = getattr(request, _REFUSAL_ATTRIBUTE, None) or Refusal(
            "cancelled" if request.GET.get("error") else "provider_error")
        if not {"code", "state", "error"} & set(request.GET):  # a bare visit, no login attempt: nothing to record
            return redirect("login")
        services.record_login_refused(reason=refusal.reason, via="identiteitsprovider", user=refusal.user,
                                      subject=refusal.subject)
        messages.error(request, REFUSAL_MESSAGES[refusal.reason])
        return redirect("login")

    def login_failure(self) -> HttpResponse:
        return self._refused(self.request)

    def login_success(self) -> HttpResponseRedirect:
        claims: dict[str, Any] = getattr(self.request, _CLAIMS_ATTRIBUTE, {})
        second_factor = idp_did_second_factor(claims)
        response: HttpResponseRedirect = super().login_success()
        self.request.session[IDP_SECOND_FACTOR_SESSION_KEY] = second_factor
        if getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", ""):  # the hint for logging out at the IdP too
            self.request.session[ID_TOKEN_SESSION_KEY] = getattr(self.request, _ID_TOKEN_ATTRIBUTE, "")
        amr = claims.get("amr") or []
        services.record_oidc_login(self.user, second_factor_by_idp=second_factor,
                                   amr=amr if isinstance(amr, list) else [amr], acr=str(claims.get("acr") or ""))
        return response
