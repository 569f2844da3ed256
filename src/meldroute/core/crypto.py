"""Encryption at rest (Fernet under MELDROUTE["FIELD_ENCRYPTION_KEYS"]) and blind indexes (HMAC-SHA256 under
MELDROUTE["BLIND_INDEX_KEY"]) for every app: what a database or backup reader finds is ciphertext and keyed hashes.

The first encryption key encrypts and every key decrypts, so a key is rotated by putting a new one first and running
`meldroute rotate_keys`. The blind-index key is separate and stable: rotating the encryption key must not break
search, linking or duplicate detection, and a leaked encryption key must not let anyone test guesses against the
hashes without the second key either.
"""

import hashlib
import hmac
from functools import lru_cache
from typing import cast

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "MELDROUTE_FIELD_ENCRYPTION_KEY must be 32 url-safe base64-encoded bytes.") from error


@lru_cache(maxsize=4)
def _primary(key: str) -> Fernet:
    return Fernet(key.encode())


def encryption_keys() -> tuple[str, ...]:
    keys = tuple(cast(list[str], settings.MELDROUTE.get("FIELD_ENCRYPTION_KEYS") or []))
    if not keys:
        raise ImproperlyConfigured("No field encryption key configured (MELDROUTE_FIELD_ENCRYPTION_KEY).")
    return keys


def fernet() -> MultiFernet:
    return _fernet(encryption_keys())


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken as error:
        # A wrong or missing key must stop the read loudly, never hand out ciphertext as if it were the content.
        raise ImproperlyConfigured("Encrypted data could not be decrypted with the configured keys.") from error


def encrypt(text: str) -> str:
    return encrypt_bytes(text.encode()).decode()


def decrypt(token: str) -> str:
    return decrypt_bytes(token.encode()).decode()


def is_on_primary_key(token: bytes | str) -> bool:
    """Whether a token was made with the first (current) key: checks the MAC only, no decryption."""
    raw = token.encode() if isinstance(token, str) else token
    try:
        _primary(encryption_keys()[0]).extract_timestamp(raw)
    except InvalidToken:
        return False
    return True


def rotate_token(token: bytes | str) -> bytes:
    """The same content encrypted under the first key (any configured key may have made `token`)."""
    raw = token.encode() if isinstance(token, str) else token
    try:
        return fernet().rotate(raw)
    except InvalidToken as error:
        raise ImproperlyConfigured("Encrypted data could not be decrypted with the configured keys.") from error


def blind_index_key() -> bytes:
    key = str(settings.MELDROUTE.get("BLIND_INDEX_KEY") or "")
    if not key:
        raise ImproperlyConfigured("No blind index key configured (MELDROUTE_BLIND_INDEX_KEY).")
    return hashlib.sha256(b"meldroute-blind-index:" + key.encode()).digest()


def blind_index(purpose: str, normalised: str) -> str:
    """HMAC-SHA256 of a normalised value: equal inputs give equal hashes (search, linking, duplicates), but without
    the key nobody can test a guessed postcode, KvK number or BSN against the column. Empty stays empty."""
    if not normalised:
        return ""
    return hmac.new(blind_index_key(), f"{purpose}:{normalised}".encode(), hashlib.sha256).hexdigest()
