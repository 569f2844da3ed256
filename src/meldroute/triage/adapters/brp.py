"""Haal Centraal BRP Personen bevragen (v2): look up a person by BSN, or who is registered at an address."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from meldroute.core.language import recorded

from .http import AdapterError, NotConfigured, request_json

SERVICE = "De BRP"
# What the AF needs to judge a signal: who, born when, living where since when. Nothing more (data minimisation).
PERSON_FIELDS = ["burgerservicenummer", "naam", "geboorte", "verblijfplaats"]


def is_valid_bsn(value: str) -> bool:
    """The elfproef: nine ASCII digits (isdigit() alone takes other scripts' digits), weights 9..2 and -1, sum
    divisible by 11 (and not all zeros)."""
    if len(value) != 9 or not (value.isascii() and value.isdigit()) or value == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(value[:8], range(9, 1, -1), strict=True)) - int(value[8])
    return total % 11 == 0


@dataclass(frozen=True)
class Residence:
    street: str
    house_number: str
    postcode: str
    city: str
    since: str  # ISO date, or "" when unknown

    def __str__(self) -> str:
        return " ".join(p for p in (f"{self.street} {self.house_number}".strip(), self.postcode, self.city) if p)


@dataclass(frozen=True)
class Person:
    bsn: str
    name: str
    birth_date: str
    residence: Residence | None
    first_names: str = ""  # the parts persons.Person keeps (issue 14: a BRP person taken into a case)
    last_name: str = ""  # voorvoegsel and geslachtsnaam: "van der Berg"


def _date(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("datum") or value.get("langFormaat") or "")
    return str(value or "")


def _person(raw: dict[str, Any]) -> Person:
    naam = raw.get("naam") or {}
    name = naam.get("volledigeNaam") or " ".join(
        p for p in (naam.get("voornamen"), naam.get("voorvoegsel"), naam.get("geslachtsnaam")) if p)
    place = raw.get("verblijfplaats") or {}
    address = place.get("verblijfadres") or {}
    residence = None
    if address:
        number = "".join(str(address.get(k) or "") for k in ("huisnummer", "huisletter"))
        if address.get("huisnummertoevoeging"):
            number += f"-{address['huisnummertoevoeging']}"
        residence = Residence(street=address.get("officieleStraatnaam") or address.get("korteStraatnaam") or "",
                              house_number=number, postcode=address.get("postcode") or "",
                              city=address.get("woonplaats") or "", since=_date(place.get("datumVan")))
    last_name = " ".join(p for p in (naam.get("voorvoegsel"), naam.get("geslachtsnaam")) if p)
    return Person(bsn=str(raw.get("burgerservicenummer") or ""), name=name or recorded("(naam onbekend)"),
                  birth_date=_date((raw.get("geboorte") or {}).get("datum")), residence=residence,
                  first_names=str(naam.get("voornamen") or ""), last_name=last_name)


class BrpClient:
    def __init__(self, base_url: str, api_key: str = "", timeout: float = 5.0):
        if not base_url:
            raise NotConfigured(_("De koppeling met de BRP is niet ingesteld. Vraag de beheerder."))
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> "BrpClient":
        config = settings.MELDROUTE
        return cls(str(config.get("BRP_API_URL") or ""), str(config.get("BRP_API_KEY") or ""),
                   float(str(config.get("LOOKUP_TIMEOUT_SECONDS") or 5)))

    def _personen(self, query: dict[str, Any]) -> list[Person]:
        body = {**query, "fields": PERSON_FIELDS}
        headers = {"X-API-KEY": self.api_key} if self.api_key else {}
        data = request_json("POST", f"{self.base_url}/personen", headers=headers, body=body, timeout=self.timeout,
                            service=SERVICE, not_found=_("De BRP kent deze zoekvraag niet."))
        if not isinstance(data, dict) or not isinstance(data.get("personen"), list):
            raise AdapterError(_("De BRP gaf een onverwacht antwoord. Probeer het later opnieuw."))
        return [_person(p) for p in data["personen"] if isinstance(p, dict)]

    def person_by_bsn(self, bsn: str) -> Person | None:
        if not is_valid_bsn(bsn):
            raise AdapterError(_("Dit is geen geldig burgerservicenummer (elfproef)."))
        people = self._personen({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn]})
        return people[0] if people else None

    def residents_by_postcode(self, postcode: str, house_number: int) -> list[Person]:
        return self._personen({"type": "ZoekMetPostcodeEnHuisnummer", "postcode": postcode.replace(" ", "").upper(),
                               "huisnummer": house_number})

    def residents_by_street(self, street: str, house_number: int, municipality_code: str) -> list[Person]:
        """`municipality_code` is the four-digit CBS code (GM0363 → 0363) of the gemeente van inschrijving."""
        return self._personen({"type": "ZoekMetStraatHuisnummerEnGemeenteVanInschrijving", "straat": street,
                               "huisnummer": house_number,
                               "gemeenteVanInschrijving": municipality_code.upper().removeprefix("GM")})
