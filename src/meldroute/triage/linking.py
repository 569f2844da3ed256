"""Linking signals (SPEC B4): the normalised keys a signal carries, so the same address, business or person meets.

Keys are derived data, like a search index: they are built from the signal's own fields when it is registered and
added by the AF's register lookups, inside the transaction that wrote the signal or the lookup (whose audit event
covers them). A person is only ever linked through a keyed hash of a BSN, never the number itself.
"""

import re
from collections.abc import Iterable

from django.db import transaction
from django.utils.crypto import salted_hmac

from meldroute.intake.models import Signal

from .constants import LinkKind
from .models import SignalLink

ORIGIN_SIGNAL = "signal"
POSTCODE_RE = re.compile(r"^\s*([1-9]\d{3})\s*([A-Za-z]{2})\s*$")
# "Kerkweg 12", "Kerkweg 12a", "Kerkweg 12 A", "Kerkweg 12-2", "Kerkweg 12 bis": a street, then a house number.
STREET_NUMBER_RE = re.compile(
    r"^(?P<street>.*?[^\d\s])\s*(?P<number>\d{1,5})\s*(?P<suffix>[A-Za-z]{1,3}\b|-\s*\w{1,4})?")


def normalise_postcode(value: str) -> str:
    match = POSTCODE_RE.match(value or "")
    return f"{match.group(1)}{match.group(2).upper()}" if match else ""


def split_address(address: str) -> tuple[str, str] | None:
    """(street as written, house number with letter or addition, upper case) of an address's first part."""
    first = (address or "").split(",")[0].strip()
    match = STREET_NUMBER_RE.match(first)
    if not match:
        return None
    suffix = re.sub(r"[\s-]", "", match.group("suffix") or "").upper()
    return " ".join(match.group("street").split()).strip(" .,"), f"{int(match.group('number'))}{suffix}"


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
    """A keyed hash: equal BSNs meet, but the key cannot be turned back into the number without the secret."""
    return salted_hmac("meldroute.triage.person-link", bsn, algorithm="sha256").hexdigest()


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
    return [SignalLink(signal=signal, municipality_id=signal.municipality_id, kind=kind, key=key, label=label[:255],
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


def on_signal_registered(sender, *, instance: Signal, **kwargs) -> None:
    """intake's signal_registered event, inside the registering transaction: a new signal gets its keys at once."""
    index_signal(instance, created=True)
