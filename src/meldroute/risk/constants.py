"""The registers an omgevingsscan imports, the risk sectors as SBI code ranges (with their source), the map's classes.

The sector ranges are configuration: a region may override them with MELDROUTE["RISK_SECTORS"] (same shape); each
range is a pair of SBI code prefixes of equal length, inclusive ("41"–"43" covers every code starting 41, 42 or 43).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegisterKind(models.TextChoices):
    AREAS = "gebieden", _("Wijk- en buurtkaart (GeoJSON van het CBS)")
    POSTCODES = "postcodes", _("Postcode per wijk of buurt (CSV)")
    KVK = "kvk", _("KvK-uittreksel met SBI-codes (CSV)")
    VACANCIES = "vacatures", _("Vacatures (CSV)")
    RNI = "rni", _("RNI-inschrijvingen per adres (CSV)")
    SEX_BUSINESSES = "seksbedrijven", _("Vergunde seksbedrijven (CSV)")


# Registers whose rows are personal data (an address with the number of people registered there).
PERSONAL_REGISTERS = frozenset({RegisterKind.RNI})

SBI_SOURCE = ("CBS, Standaard Bedrijfsindeling (SBI) 2008, versie 2024; sectorkeuze naar de risicosectoren voor "
              "arbeidsuitbuiting van het RIEC-handboek omgevingsscan en de Nationaal Rapporteur Mensenhandel")


@dataclass(frozen=True)
class RiskSector:
    key: str
    label: str
    ranges: tuple[tuple[str, str], ...]
    source: str

    def matches(self, code: str) -> bool:
        return any(low <= code[:len(low)] <= high for low, high in self.ranges if len(code) >= len(low))


DEFAULT_RISK_SECTORS: list[dict[str, Any]] = [
    {"key": "agriculture", "label": "Land- en tuinbouw", "ranges": [("01", "01")],
     "source": SBI_SOURCE + ": sectie A, afdeling 01 (teelt en fokkerij)"},
    {"key": "construction", "label": "Bouw", "ranges": [("41", "43")],
     "source": SBI_SOURCE + ": sectie F, afdelingen 41–43"},
    {"key": "hospitality", "label": "Horeca", "ranges": [("55", "56")],
     "source": SBI_SOURCE + ": sectie I, afdelingen 55–56"},
    {"key": "meat", "label": "Vleesverwerking", "ranges": [("101", "101")],
     "source": SBI_SOURCE + ": groep 10.1 (slachterijen en vleesverwerking)"},
    {"key": "cleaning", "label": "Schoonmaak", "ranges": [("812", "812")],
     "source": SBI_SOURCE + ": groep 81.2 (reiniging)"},
    {"key": "temp_work", "label": "Uitzendbureaus en arbeidsbemiddeling", "ranges": [("78", "78")],
     "source": SBI_SOURCE + ": afdeling 78 (arbeidsbemiddeling, uitzendbureaus, payrolling)"},
    {"key": "beauty", "label": "Schoonheid (kappers, nagelstudio's, massage)", "ranges": [("9602", "9602"),
                                                                                        ("9604", "9604")],
     "source": SBI_SOURCE + ": klassen 96.02 (kappers, schoonheidsverzorging) en 96.04 (sauna's, solaria)"},
    {"key": "automotive", "label": "Autobranche (reparatie, wasstraten)", "ranges": [("452", "452")],
     "source": SBI_SOURCE + ": groep 45.2 (onderhoud en reparatie van auto's, autowasserijen)"},
]


def _config() -> dict[str, Any]:
    config: dict[str, Any] = settings.MELDROUTE
    return config


def risk_sectors() -> list[RiskSector]:
    configured: list[dict[str, Any]] = _config().get("RISK_SECTORS") or DEFAULT_RISK_SECTORS
    return [RiskSector(key=str(item["key"]), label=str(item["label"]),
                      ranges=tuple((str(low), str(high)) for low, high in item["ranges"]),
                      source=str(item.get("source", ""))) for item in configured]


def sectors_of(codes: list[str], sectors: list[RiskSector] | None = None) -> list[str]:
    """The risk sectors (keys, in configuration order) any of these SBI codes falls in."""
    sectors = risk_sectors() if sectors is None else sectors
    return [sector.key for sector in sectors if any(sector.matches(code) for code in codes)]


def rni_flag_threshold() -> int:
    """From how many RNI registrations at one address (with a risk-sector business there) the AF sees a flag."""
    return int(_config().get("RISK_RNI_FLAG_THRESHOLD", 5))


# The map's measures: key → (label, whether the figure counts people or signals and is therefore suppressed).
MEASURES: dict[str, tuple[Any, bool]] = {
    "sectoren": (_("Bedrijven in risicosectoren"), False),
    "signalen": (_("Signalen"), True),
    "rni": (_("RNI-inschrijvingen"), True),
    "vacatures": (_("Vacatures"), False),
    "seksbedrijven": (_("Vergunde seksbedrijven"), False),
}
DEFAULT_MEASURE = "sectoren"

# Five sequential classes from the viridis scale: readable with every common colour-vision deficiency and in grey,
# light to dark. The text colour on each class keeps 4.5:1 contrast.
CLASS_COLOURS = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")
CLASS_TEXT = ("#000000", "#000000", "#ffffff", "#ffffff", "#ffffff")
ZERO_COLOUR = "#f2f2f2"
SUPPRESSED_COLOUR = "#bdbdbd"
