"""API authentication by an organisation's token: looked up by the SHA-256 of the secret; revoked or expired is a 401."""

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .models import ApiToken, hash_token_secret


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = "Deze API-sleutel is verlopen. Vraag de beheerder om een nieuwe."
    default_code = "token_expired"


class TokenRevoked(exceptions.AuthenticationFailed):
    default_detail = "Deze API-sleutel is ingetrokken."
    default_code = "token_revoked"


class InvalidToken(exceptions.AuthenticationFailed):
    default_detail = "Ongeldige API-sleutel."
    default_code = "invalid_token"


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <secret>`, as before; the secret itself is stored nowhere."""

    keyword = "Token"

    def authenticate(self, request):
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
        if token is None or not token.user.is_active:
            raise InvalidToken
        if token.revoked_at is not None:
            raise TokenRevoked
        if token.expires_at <= timezone.now():
            raise TokenExpired
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
