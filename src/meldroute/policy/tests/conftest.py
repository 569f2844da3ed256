"""Fixtures of the policy tests: the seed plans' folder (../shared/seeds beside the repository)."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]


def seeds_dir() -> Path:
    return Path(os.environ.get("MELDROUTE_SEEDS_DIR") or REPO.parent / "shared" / "seeds")


@pytest.fixture
def seed_003() -> str:
    """Seed 003 (Noord- en Midden-Limburg) as the test reads it from ../shared/seeds: the done-criterion of issue 15
    names this file, so its absence is a failure, not a skip."""
    matches = sorted(seeds_dir().glob("003_*.txt"))
    assert matches, f"seed 003 not found in {seeds_dir()} (set MELDROUTE_SEEDS_DIR)"
    return matches[0].read_text(encoding="utf-8")
