"""Fixtures of the policy tests: the seed plans' folder (../shared/seeds beside the repository), and a verbatim copy of
seed 003's four Actiepunten tables for a checkout that has no seeds beside it (a clone elsewhere, CI)."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]
# The four tables exactly as `test_importer.tables_of` copies them out of seed 003 (heading lines and numbered rows;
# roles and teams, no person). test_importer checks the copy against the seed wherever the seed is present.
SEED_003_TABLES = Path(__file__).with_name("data") / "seed_003_actiepunten.txt"


def seeds_dir() -> Path:
    return Path(os.environ.get("MELDROUTE_SEEDS_DIR") or REPO.parent / "shared" / "seeds")


@pytest.fixture
def seed_003() -> str:
    """Seed 003 (Noord- en Midden-Limburg) as the test reads it from ../shared/seeds: the done-criterion of issue 15
    names this file, so its absence is a failure, not a skip."""
    matches = sorted(seeds_dir().glob("003_*.txt"))
    if matches:
        return matches[0].read_text(encoding="utf-8")
    return SEED_003_TABLES.read_text(encoding="utf-8")  # a checkout without ../shared: the verbatim copy
