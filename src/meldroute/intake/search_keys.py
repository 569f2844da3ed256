"""How a signal's encrypted location fields are normalised for their blind indexes, and how a search query meets them.

The inbox search matches whole normalised values (a postcode, a street, a street with house number, a KvK number, a
business name), each through its keyed hash: the database never sees the plaintext, and a search never decrypts a
table. Linking (triage.linking) uses the same normalisation.
"""

import re

from django.db.models import Q

from meldroute.core.crypto import blind_index

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


def normalise_text(value: str) -> str:
    """Case, accents of punctuation and spacing do not count: "De  Glimmer." and "de glimmer" are one name."""
    return " ".join(re.sub(r"[^\w ]", " ", (value or "").casefold()).split())


def normalise_street(address: str) -> str:
    """The street of an address, without its number: a search for "Kerkweg" finds every signal on a Kerkweg."""
    parts = split_address(address)
    street = parts[0] if parts else (address or "").split(",")[0]
    return normalise_text(street)


def normalise_street_number(address: str) -> str:
    parts = split_address(address)
    return f"{normalise_text(parts[0])} {parts[1]}" if parts else ""


def normalise_kvk(value: str) -> str:
    number = "".join((value or "").split())
    return number if re.fullmatch(r"\d{8}", number) else ""


def search_match(query: str) -> Q:
    """The blind-index lookups a search query can hit (each empty normalisation is skipped)."""
    match = Q()
    for field, purpose, normalise in (("postcode_index", "postcode", normalise_postcode),
                                      ("street_index", "street", normalise_text),
                                      ("address_index", "address", normalise_street_number),
                                      ("kvk_index", "kvk", normalise_kvk),
                                      ("business_index", "business", normalise_text)):
        if digest := blind_index(purpose, normalise(query)):
            match |= Q(**{field: digest})
    return match
