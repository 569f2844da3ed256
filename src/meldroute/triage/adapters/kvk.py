"""KvK Handelsregister: the Zoeken API (v2) and the Basisprofiel API (v1)."""

import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from .http import AdapterError, NotConfigured, NotFound, request_json

SERVICE = "De KvK"
PROFILE_FIELDS = ["kvkNummer", "naam", "handelsnamen", "sbiActiviteiten", "materieleRegistratie",
                  "totaalWerkzamePersonen", "hoofdvestiging.adressen"]


@dataclass(frozen=True)
class SearchHit:
    kvk_number: str
    name: str
    place: str


@dataclass(frozen=True)
class Profile:
    kvk_number: str
    name: str
    trade_names: list[str] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)  # "8121 Algemene reiniging van gebouwen"
    started_on: str = ""  # ISO date
    employees: int | None = None
    address: str = ""


def _iso(yyyymmdd: str) -> str:
    value = (yyyymmdd or "").strip()
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}" if len(value) == 8 and value.isdigit() else value


class KvkClient:
    def __init__(self, base_url: str, api_key: str = "", timeout: float = 5.0):
        if not base_url:
            raise NotConfigured(_("De koppeling met de KvK is niet ingesteld. Vraag de beheerder."))
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> "KvkClient":
        config = settings.MELDROUTE
        return cls(str(config.get("KVK_API_URL") or ""), str(config.get("KVK_API_KEY") or ""),
                   float(str(config.get("LOOKUP_TIMEOUT_SECONDS") or 5)))

    def _get(self, path: str, params: dict[str, Any] | None = None, *, not_found: str) -> Any:
        url = f"{self.base_url}{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        headers = {"apikey": self.api_key} if self.api_key else {}
        return request_json("GET", url, headers=headers, timeout=self.timeout, service=SERVICE, not_found=not_found)

    def search(self, *, kvk_number: str = "", name: str = "") -> list[SearchHit]:
        params = {k: v for k, v in (("kvkNummer", kvk_number), ("naam", name)) if v}
        if not params:
            raise AdapterError(_("Geef een KvK-nummer of een bedrijfsnaam."))
        try:
            data = self._get("/v2/zoeken", params, not_found="")
        except NotFound:
            return []  # the Zoeken API answers "no results" with a 404
        if not isinstance(data, dict):
            raise AdapterError(_("De KvK gaf een onverwacht antwoord. Probeer het later opnieuw."))
        hits = []
        for row in data.get("resultaten") or []:
            address = ((row.get("adres") or {}).get("binnenlandsAdres") or {})
            hits.append(SearchHit(kvk_number=str(row.get("kvkNummer") or ""), name=row.get("naam") or "",
                                  place=address.get("plaats") or ""))
        return hits

    def profile(self, kvk_number: str) -> Profile:
        data = self._get(f"/v1/basisprofielen/{urllib.parse.quote(kvk_number)}",
                         not_found=_("De KvK kent geen bedrijf met KvK-nummer %(n)s.") % {"n": kvk_number})
        if not isinstance(data, dict) or not data.get("kvkNummer"):
            raise AdapterError(_("De KvK gaf een onverwacht antwoord. Probeer het later opnieuw."))
        addresses = ((data.get("_embedded") or {}).get("hoofdvestiging") or {}).get("adressen") or []
        visit = next((a for a in addresses if a.get("type") == "bezoekadres"), addresses[0] if addresses else {})
        employees = data.get("totaalWerkzamePersonen")
        return Profile(
            kvk_number=str(data["kvkNummer"]), name=data.get("naam") or "",
            trade_names=[h.get("naam", "") for h in data.get("handelsnamen") or [] if h.get("naam")],
            activities=[f"{a.get('sbiCode', '')} {a.get('sbiOmschrijving', '')}".strip()
                        for a in data.get("sbiActiviteiten") or []],
            started_on=_iso((data.get("materieleRegistratie") or {}).get("datumAanvang", "")),
            employees=employees if isinstance(employees, int) else None,
            address=visit.get("volledigAdres") or "")
