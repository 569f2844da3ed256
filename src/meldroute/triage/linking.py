"""Linking signals (SPEC B4): the normalised keys a signal carries, so the same address, business or person meets.

Keys are derived data, like a search index: they are built from the signal's own fields when it is registered and
added by the AF's register lookups, inside the transaction that wrote the signal or the lookup (whose audit event
covers them). A person is only ever linked through a keyed hash of a BSN, never the number itself.
"""

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from meldroute.core.crypto import blind_index
from meldroute.intake.models import Signal

# One normalisation for the inbox search and linking; re-exported for triage's services.
from meldroute.intake.search_keys import normalise_postcode as normalise_postcode
from meldroute.intake.search_keys import split_address as split_address

from .constants import LinkKind
from .models import SignalLink

ORIGIN_SIGNAL = "signal"


def address_key(*, postcode: str, address: str, municipality_code: str) -> tuple[str, str] | None:
    """(key, label) of an address, or None when there is no house number to pin it down.

    Postcode + house number is unique in the country, so it links across municipalities. Without a postcode the
    street name is only trusted within the municipality (the same street name exists in many towns).
    """
    parts = split_address(address)
    if parts is None:
        return None
    street, number = parts
    pc = normalise_postcode(postcode)
    if pc:
        return f"pc:{pc}:{number}", f"{street} {number}, {pc[:4]} {pc[4:]}".strip()
    street_norm = re.sub(r"[^\w ]", "", street.lower())
    return f"adr:{municipality_code.upper()}:{' '.join(street_norm.split())} {number}"[:255], f"{street} {number}"


def business_key(kvk_number: str) -> tuple[str, str] | None:
    number = (kvk_number or "").replace(" ", "")
    return (number, f"KvK {number}") if re.fullmatch(r"\d{8}", number) else None


def person_key(bsn: str) -> str:
    """A keyed hash under the stable blind-index key: equal BSNs meet, but without that key nobody can test a guessed
    number against it (and a new SECRET_KEY or encryption key does not break the links)."""
    return blind_index("person-link", bsn)


def keys_from_fields(*, address: str, postcode: str, kvk_number: str,
                     municipality_code: str) -> list[tuple[str, str, str]]:
    """(kind, key, label) for a signal's own fields."""
    keys = []
    if found := address_key(postcode=postcode, address=address, municipality_code=municipality_code):
        keys.append((LinkKind.ADDRESS.value, *found))
    if found := business_key(kvk_number):
        keys.append((LinkKind.BUSINESS.value, *found))
    return keys


def _rows(signal: Signal, keys: Iterable[tuple[str, str, str]], origin: str) -> list[SignalLink]:
    # `value` is encrypted and `key`, its blind index, is computed on save: the plaintext key never reaches the table.
    return [SignalLink(signal=signal, municipality_id=signal.municipality_id, kind=kind, value=key, label=label[:255],
                       origin=origin, received_at=signal.received_at) for kind, key, label in keys]


def index_signal(signal: Signal, *, created: bool = False) -> None:
    """(Re)build the keys that come from the signal's own fields; keys added by lookups stay."""
    keys = keys_from_fields(address=signal.address, postcode=signal.postcode, kvk_number=signal.kvk_number,
                            municipality_code=signal.municipality.code)
    with transaction.atomic():
        if not created:
            SignalLink.objects.filter(signal=signal, origin=ORIGIN_SIGNAL).delete()
        if keys:
            SignalLink.objects.bulk_create(_rows(signal, keys, ORIGIN_SIGNAL), ignore_conflicts=True)


def add_link(signal: Signal, *, kind: str, key: str, label: str, origin: str) -> None:
    """A key found by a lookup (a BSN's hash, a KvK number found by name). Call inside the lookup's transaction."""
    SignalLink.objects.bulk_create(_rows(signal, [(kind, key, label)], origin), ignore_conflicts=True)


def on_signal_registered(sender: Any, *, instance: Signal, **kwargs: Any) -> None:
    """intake's signal_registered event, inside the registering transaction: a new signal gets its keys at once."""
    index_signal(instance, created=True)
