"""Victim records for counting: one row per victim with its categorisable facts, never an identity.

The only door from monitoring to persons (SPEC G1, G3): monitoring reads victims through victim_records and
categorises the facts itself (monitoring.aggregates); names, BSN, birth date and address are never selected here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from django.db.models import Count
from django.utils import timezone

from .constants import ConsentKind, PersonRole
from .models import Consent, ConsentOverride, Person


@dataclass(frozen=True)
class VictimRecord:
    """One victim as monitoring may know them: facts to count by, no identity (SPEC G1, G3)."""

    # An export that holds this record access-logs it as its person (audit.targets), without monitoring
    # importing persons.models.
    audit_target: ClassVar[str] = Person.audit_target

    municipality_id: int
    registered_on: date
    gender: str
    age_band: str
    is_minor: bool  # minor now, at the time of exploitation, or by age band
    citizenship: str
    forms: tuple[str, ...]
    labour_sector: str
    export_basis: str  # "consent", "statutory" or "" (may not be exported)
    # Never shown or exported: only so an export can access-log each person it contains (services.export_comensha).
    person_uuid: UUID | None = None


# The only Person fields monitoring ever reads: categories, never identity (names, BSN, birth date, address).
VICTIM_FIELDS = ("gender", "age_band", "is_minor", "minor_at_exploitation", "citizenship", "exploitation_forms",
                 "labour_sector")


def victim_records(municipality_ids: Iterable[int], start_at: datetime, end_at: datetime) -> list[VictimRecord]:
    """Victims registered in [start_at, end_at) on cases of these municipalities, as facts only (one query + two for
    the export basis)."""
    victims = Person.objects.filter(role=PersonRole.VICTIM, case__municipality_id__in=list(municipality_ids),
                                    created_at__gte=start_at, created_at__lt=end_at)
    ids = victims.values("pk")
    consented = set(Consent.objects.active().filter(person__in=ids, kind=ConsentKind.STATISTICS, given=True)
                    .values_list("person_id", flat=True))
    statutory = set(ConsentOverride.objects.filter(person__in=ids, kind=ConsentKind.STATISTICS)
                    .values_list("person_id", flat=True))
    out = []
    for row in victims.values("pk", "uuid", "case__municipality_id", "created_at", *VICTIM_FIELDS).order_by(
            "created_at", "pk"):
        is_minor = bool(row["is_minor"] or row["minor_at_exploitation"]) or row["age_band"] == "minor"
        basis = "consent" if row["pk"] in consented else ("statutory" if row["pk"] in statutory else "")
        out.append(VictimRecord(
            municipality_id=row["case__municipality_id"], registered_on=timezone.localtime(row["created_at"]).date(),
            gender=row["gender"], age_band=row["age_band"], is_minor=is_minor, citizenship=row["citizenship"],
            forms=tuple(row["exploitation_forms"] or ()), labour_sector=row["labour_sector"], export_basis=basis,
            person_uuid=row["uuid"]))
    return out


@dataclass(frozen=True)
class VictimFactGroup:
    """Victims with the same countable facts, and how many they are: what the figures need, in one grouped query."""

    municipality_id: int
    gender: str
    age_band: str
    is_minor: bool
    citizenship: str
    forms: tuple[str, ...]
    labour_sector: str
    count: int


def victim_fact_groups(municipality_ids: Iterable[int], start_at: datetime, end_at: datetime,
                       ) -> list[VictimFactGroup]:
    """The victims of victim_records grouped by their facts in the database (one query, a row per distinct
    combination): for counting only, so no person's uuid, registration day or export basis."""
    victims = Person.objects.filter(role=PersonRole.VICTIM, case__municipality_id__in=list(municipality_ids),
                                    created_at__gte=start_at, created_at__lt=end_at)
    rows = victims.values("case__municipality_id", *VICTIM_FIELDS).annotate(n=Count("pk")).order_by()
    return [VictimFactGroup(
        municipality_id=row["case__municipality_id"], gender=row["gender"], age_band=row["age_band"],
        is_minor=bool(row["is_minor"] or row["minor_at_exploitation"]) or row["age_band"] == "minor",
        citizenship=row["citizenship"], forms=tuple(row["exploitation_forms"] or ()),
        labour_sector=row["labour_sector"], count=row["n"]) for row in rows]
