"""Sections a higher app adds to the evaluation report (issue 15: basisniveau, actiepunten, trainings, effort).

Monitoring is below the apps that know the policy follow-up, so it never imports them: they register a builder here
when they start, and `tables.build_report` asks every builder for its section. A builder returns figures and labels
only, never personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from meldroute.organisations.models import Organisation

    from .aggregates import Period


@dataclass
class ReportSection:
    key: str
    heading: str
    text: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


SectionBuilder = Callable[["Organisation", "Period", str], "ReportSection | None"]
_BUILDERS: dict[str, SectionBuilder] = {}


def register_report_section(key: str, builder: SectionBuilder) -> None:
    """Add (or replace) the section `key`; sections appear in the order they were first registered."""
    _BUILDERS[key] = builder


def report_sections(municipality: Organisation, period: Period, kind: str) -> list[ReportSection]:
    sections = []
    for builder in _BUILDERS.values():
        section = builder(municipality, period, kind)
        if section is not None:
            sections.append(section)
    return sections
