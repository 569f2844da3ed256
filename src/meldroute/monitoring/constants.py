"""The categories monitoring counts in: partitions of signals and victims, CoMensha's groupings, configuration."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from meldroute.intake.constants import Outcome
from meldroute.organisations.constants import Team
from meldroute.triage.constants import ExploitationForm, Sector

OTHER = "overig"
UNKNOWN = "unknown"
MULTIPLE = "multiple"
UNCLASSIFIED = "unclassified"
PARTNER_TEAM = "partner"

# Each dimension is a *partition*: every signal (or victim) falls in exactly one category, so tables add up and the
# suppression's equations hold (see suppression.py). A signal with several forms counts once, in "meerdere vormen".
FORM_LABELS = {
    ExploitationForm.SEXUAL: _("Seksuele uitbuiting"),
    ExploitationForm.LABOUR: _("Arbeidsuitbuiting"),
    ExploitationForm.CRIMINAL: _("Criminele uitbuiting"),
    ExploitationForm.ORGAN_REMOVAL: _("Gedwongen orgaanverwijdering"),
    MULTIPLE: _("Meerdere vormen"),
    OTHER: _("Overig"),
    UNCLASSIFIED: _("Nog niet geclassificeerd"),
}
# "Onbekend" once: a signal classified with sector "onbekend" counts with those without a sector (aggregates).
SECTOR_LABELS = {**{value: label for value, label in Sector.choices if value != Sector.UNKNOWN}, OTHER: _("Overig"),
                 "": _("Onbekend")}
TEAM_LABELS = {**{value: label for value, label in Team.choices}, PARTNER_TEAM: _("Ketenpartner"),
               "": _("Onbekend")}
OUTCOME_LABELS = {**{value: label for value, label in Outcome.choices}, "": _("Nog open")}
ACUTE_LABELS = {"acute": _("Acuut"), "regular": _("Niet acuut")}

# Victims (SPEC G1, seed 003 §2.3): sex, age band, nationality, CoMensha sector.
SEX_LABELS = {"female": _("Vrouw"), "male": _("Man"), OTHER: _("Anders / onbekend")}
AGE_BAND_LABELS = {"minor": _("Minderjarig"), "18-22": _("18–22 jaar"), "23-29": _("23–29 jaar"),
                   "30+": _("30 jaar of ouder"), UNKNOWN: _("Onbekend")}
NATIONALITY_LABELS = {"nl": _("Nederlands"), "non_nl": _("Niet-Nederlands"), "stateless": _("Staatloos"),
                      UNKNOWN: _("Onbekend")}
COMENSHA_SECTOR_LABELS = {
    "sexual_services": _("Seksuele dienstverlening"),
    "regulated_labour": _("Gereguleerde arbeid of dienstverlening"),
    "forced_criminality": _("Gedwongen criminaliteit"),
    "begging": _("Gedwongen bedelarij"),
    "organ_removal": _("Orgaanverwijdering"),
    MULTIPLE: _("Meerdere sectoren"),
    OTHER: _("Overig"),
    UNKNOWN: _("Onbekend"),
}

# The report kinds the AF produces (SPEC G4; seed 002 §1, seed 003 §7.2).
REPORT_HALF_YEAR = "halfjaar"
REPORT_YEAR = "jaar"
REPORT_KINDS = {REPORT_HALF_YEAR: _("Halfjaarrapportage aan de burgemeester"),
                REPORT_YEAR: _("Jaarlijkse evaluatie")}
# The four parts of the yearly evaluation (seed 003 §7.2); the half-yearly progress report uses the same headings.
REPORT_SECTIONS = [
    ("policy", _("Beleid")),
    ("execution", _("Uitvoering")),
    ("case_handling", _("Aanpak van casuïstiek")),
    ("chain_cooperation", _("Voortgang en resultaten ketensamenwerking")),
]


def _config() -> dict[str, Any]:
    return settings.MELDROUTE


def shared_threshold() -> int:
    return int(_config().get("SHARED_THRESHOLD", 5))


def publication_threshold() -> int:
    return int(_config().get("PUBLICATION_THRESHOLD", 10))


def rare_categories(dimension: str) -> frozenset[str]:
    return frozenset(_config().get("RARE_CATEGORIES", {}).get(dimension, ()))


def rare_footnote(dimension: str, labels: dict[str, Any]) -> str:
    """"Overig" names what it holds: rare categories are grouped, never silently dropped."""
    names = [str(labels.get(code, code)) for code in sorted(rare_categories(dimension))]
    if not names:
        return ""
    return str(_("“Overig” omvat ook: %(names)s (te zeldzaam om apart te tonen).")) % {"names": ", ".join(names)}
