"""Encrypted model fields for identity data (SPEC F3), and keyed hashes to find duplicates without decrypting.

The mechanism lives in meldroute.core (crypto, fields) so every app encrypts with the same key set; these names stay
so the persons' models and migrations keep their import path. Look persons up by their keyed hash (`keyed_hash`, a
blind index under its own stable key MELDROUTE_BLIND_INDEX_KEY), never by decrypting a table.
"""

from meldroute.core import fields as core_fields
from meldroute.core.crypto import blind_index, decrypt, encrypt

__all__ = ["EncryptedDateField", "EncryptedTextField", "decrypt", "encrypt", "keyed_hash"]


def keyed_hash(purpose: str, normalised: str) -> str:
    """HMAC-SHA256 of a normalised value under the blind-index key: equal inputs give equal hashes (duplicate
    detection), but without the key nobody can test a guessed BSN against the column. Rotating the encryption keys
    leaves it unchanged."""
    return blind_index(purpose, normalised)


class EncryptedTextField(core_fields.EncryptedTextField):
    pass


class EncryptedDateField(core_fields.EncryptedDateField):
    pass
