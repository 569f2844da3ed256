"""Reads of the partner directory and of the sharing rules that apply in a region. Neither holds personal data."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from meldroute.organisations.models import Organisation, Region

from .constants import PARTNER_TYPE_OF_KIND, DataCategory, LegalGround, PartnerType, default_phenomenon_receivers
from .models import DirectoryEntry, DirectoryEntryQuerySet, PhenomenonReceiver, SharingRule

# A region is passed as itself, as its id, or as None (no region: the national rules and entries only).
RegionRef = Region | int | None


def _region_id(region: RegionRef) -> int | None:
    fallback: Any = region
    region_id: int | None = getattr(region, "pk", fallback)
    return region_id


def partner_type_of(organisation: Organisation | None) -> str:
    """The partner type of an organisation: its directory entry's, else derived from the kind of organisation."""
    if organisation is None:
        return PartnerType.OTHER
    entry = (DirectoryEntry.objects.active().filter(organisation=organisation)
             .values_list("partner_type", flat=True).first())
    return entry or PARTNER_TYPE_OF_KIND.get(organisation.kind, PartnerType.OTHER)


def rules_for(region: RegionRef, partner_type: str) -> dict[str, SharingRule]:
    """The rule per category that applies in the region: the region's own rule wins over the national default."""
    rules = (SharingRule.objects.filter(partner_type=partner_type)
             .filter(Q(region__isnull=True) | Q(region_id=_region_id(region))))
    effective: dict[str, SharingRule] = {}
    # NULLs sort differently on SQLite and PostgreSQL, so order in Python: national first, the region's rule last.
    for rule in sorted(rules, key=lambda r: r.region_id is not None):
        effective[rule.category] = rule
    return effective


def allowed_grounds(region: RegionRef, partner_type: str, category: str) -> set[str]:
    """The grounds on which this category may go to this partner type in this region (empty: never).

    The summary (code, dates, municipality, status) holds no personal data and may always go."""
    if category == DataCategory.SUMMARY:
        return set(LegalGround.values)
    rule = rules_for(region, partner_type).get(category)
    return set(rule.grounds) if rule else set()


@dataclass(frozen=True)
class RuleLine:
    category: str
    label: str
    text: str
    grounds: tuple[str, ...]
    is_regional: bool


def describe_rules(region: RegionRef, partner_type: str) -> list[RuleLine]:
    """The sharing rule for a partner type in plain Dutch, one line per category, as shown in the wegwijzer."""
    rules = rules_for(region, partner_type)
    every = set(LegalGround.values)
    lines = []
    for category in DataCategory:
        rule = rules.get(category.value)
        grounds = every if category == DataCategory.SUMMARY else set(rule.grounds if rule else ())
        if grounds >= every:
            text = _("altijd")
        elif not grounds:
            text = _("nooit")
        else:
            names = [str(LegalGround(g).label) for g in LegalGround.values if g in grounds]
            text = _("alleen op grond van: %(grounds)s") % {"grounds": "; ".join(names)}
        lines.append(RuleLine(category=category.value, label=str(category.label), text=text,
                              grounds=tuple(g for g in LegalGround.values if g in grounds),
                              is_regional=bool(rule and rule.region_id)))
    return lines


def directory_for(user: Any, form: str = "") -> list[DirectoryEntry]:
    """The wegwijzer a signed-in user sees: the partners of their organisation's region and the national ones."""
    region_id = user.organisation.region_id if getattr(user, "organisation", None) else None
    entries = DirectoryEntry.objects.active().select_related("organisation", "region")
    entries = entries.for_region(region_id) if region_id else entries.filter(region__isnull=True)
    if form:
        # JSON containment is not portable to SQLite; the directory is small, so filter in Python.
        return [entry for entry in entries if form in entry.forms]
    return list(entries)


def directory_entries_for_region(region: RegionRef) -> DirectoryEntryQuerySet:
    return DirectoryEntry.objects.active().for_region(_region_id(region)).order_by("name")


def phenomenon_receivers(region: RegionRef) -> dict[str, PhenomenonReceiver]:
    """The receiver per phenomenon that applies in the region: the region's own row wins over the national default
    (and a national default missing from the database is read from partners.constants)."""
    effective = {row["phenomenon"]: PhenomenonReceiver(**row) for row in default_phenomenon_receivers()}
    rows = PhenomenonReceiver.objects.filter(Q(region__isnull=True) | Q(region_id=_region_id(region)))
    for row in sorted(rows, key=lambda r: r.region_id is not None):
        effective[row.phenomenon] = row
    return effective


def phenomenon_receiver(region: RegionRef, phenomenon: str) -> PhenomenonReceiver | None:
    return phenomenon_receivers(region).get(phenomenon)
