"""The meldroutes that ship with the product (seeds 000, 003, 002, and 004 as a concept), as YAML beside this module.

Every step of every preset cites its source: the plan, its paragraph and the sentence the step comes from."""

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext_lazy as _

from meldroute.core.exceptions import DomainError

PRESET_DIR = Path(__file__).resolve().parent / "presets"
PRESETS = {
    "west-friesland": _("West-Friesland"),
    "noord-midden-limburg": _("Noord- en Midden-Limburg"),
    "zoeterwoude": _("Zoeterwoude"),
    "rijswijk": _("Rijswijk (concept)"),
}
# Presets drawn from a plan without a step plan: a starting point for the municipality, not a finished route.
CONCEPT_PRESETS = frozenset({"rijswijk"})


@lru_cache(maxsize=8)
def _read(slug: str) -> str:
    return (PRESET_DIR / f"{slug}.yaml").read_text(encoding="utf-8")


def load_preset(slug: str) -> dict[str, Any]:
    if slug not in PRESETS:
        raise DomainError(str(_("Onbekende standaardroute.")), field="preset")
    preset: dict[str, Any] = yaml.safe_load(_read(slug))
    return preset
