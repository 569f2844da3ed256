"""API authentication by an organisation's token, looked up by the SHA-256 of its secret; revoked or expired: 401."""

from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from .models import ApiToken, hash_token_secret


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = "Deze API-sleutel is verlopen. Vraag de beheerder om een nieuwe."
    default_code = "token_expired"


class TokenRevoked(exceptions.AuthenticationFailed):
    default_detail = "Deze API-sleutel is ingetrokken."
    default_code = "token_revoked"


class InvalidToken(exceptions.AuthenticationFailed):
    default_detail = "Ongeldige API-sleutel."
    default_code = "authentication_failed"  # the code partner systems already handle for a wrong token


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <secret>`, as before; the secret itself is stored nowhere."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:  # noqa: PLR2004 — the keyword and the secret
            raise InvalidToken
        try:
            secret = parts[1].decode()
        except UnicodeError as error:
            raise InvalidToken from error
        token = ApiToken.objects.select_related("user", "user__organisation").filter(
            key_hash=hash_token_secret(secret)).first()
        if token is None or not token.user.is_active or token.user.organisation_id != token.organisation_id:
            raise InvalidToken
        if not token.user.is_service_account and settings.MELDROUTE["REQUIRE_2FA"]:
            # A person signs in with a session and the second factor; a token would skip it. Only the services make
            # tokens, always for a service account; a person's token can only come from a shell (and is audited).
            raise InvalidToken
        if token.revoked_at is not None:
            raise TokenRevoked
        if token.expires_at <= timezone.now():
            raise TokenExpired
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # drf-spectacular
    """How the OpenAPI schema describes the token (as DRF's TokenAuthentication was: `tokenAuth`)."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <sleutel>`: de API-sleutel van het systeem van uw organisatie. Een sleutel "
                               "verloopt altijd; verlopen of ingetrokken geeft 401."}
