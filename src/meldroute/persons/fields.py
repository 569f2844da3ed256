"""Encrypted model fields for identity data (SPEC F3), and keyed hashes to find duplicates without decrypting.

Values are Fernet tokens (AES-128-CBC + HMAC-SHA256) under MELDROUTE["FIELD_ENCRYPTION_KEYS"]; the first key
encrypts and every key decrypts, so a key can be rotated by putting the new one first. An encrypted column can not
be searched: look persons up by their keyed hash (`keyed_hash`) instead.
"""

import hashlib
import hmac
from datetime import date
from functools import lru_cache
from typing import cast

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "MELDROUTE_FIELD_ENCRYPTION_KEY must be 32 url-safe base64-encoded bytes.") from error


def _keys() -> tuple[str, ...]:
    keys = tuple(cast(list[str], settings.MELDROUTE.get("FIELD_ENCRYPTION_KEYS") or []))
    if not keys:
        raise ImproperlyConfigured("No field encryption key configured (MELDROUTE_FIELD_ENCRYPTION_KEY).")
    return keys


def encrypt(text: str) -> str:
    return _fernet(_keys()).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(_keys()).decrypt(token.encode()).decode()
    except InvalidToken as error:
        # A wrong or missing key must stop the read loudly, never show ciphertext as a name.
        raise ImproperlyConfigured("An encrypted field could not be decrypted with the configured keys.") from error


def keyed_hash(purpose: str, normalised: str) -> str:
    """HMAC-SHA256 of a normalised value under a key derived from the primary encryption key: equal inputs give equal
    hashes (duplicate detection), but without the key nobody can test a guessed BSN against the column."""
    if not normalised:
        return ""
    secret = hashlib.sha256(b"meldroute-person-hash:" + _keys()[0].encode()).digest()
    return hmac.new(secret, f"{purpose}:{normalised}".encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Text stored encrypted. Empty stays empty (nothing to hide); lookups other than isnull/empty make no sense."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)


class EncryptedDateField(EncryptedTextField):
    """A date stored as encrypted ISO text (a birth date is identifying; statistics use the age band in clear)."""

    def to_python(self, value):
        if value is None or value == "" or isinstance(value, date):
            return value or None
        return date.fromisoformat(str(value))

    def get_prep_value(self, value):
        if isinstance(value, date):
            value = value.isoformat()
        return super().get_prep_value(value or None)

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        return date.fromisoformat(text) if text else None
