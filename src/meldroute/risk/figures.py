"""The omgevingsscan's figures per wijk or buurt, and the map drawn from them. Reads only; who may see them is
decided in selectors.py.

Each register row is placed in an area by its coordinates (point in polygon) when it has them, else by the postcode
table (six positions first, then the four-digit area). Signals are counted per area without decrypting a single
postcode: each six-position postcode of the table is matched through the signals' keyed postcode index (the same
blind index the inbox search uses). Signal and RNI counts are people: they go through monitoring's disclosure
control (suppression.protect, shared threshold) before anyone sees them; business counts are public register data.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from meldroute.core.crypto import blind_index
from meldroute.intake.models import Signal
from meldroute.monitoring.aggregates import Period
from meldroute.monitoring.constants import shared_threshold
from meldroute.monitoring.suppression import protect
from meldroute.organisations.models import Organisation

from .constants import (
    CLASS_COLOURS,
    CLASS_TEXT,
    MEASURES,
    SUPPRESSED_COLOUR,
    ZERO_COLOUR,
    RiskSector,
    risk_sectors,
    sectors_of,
)
from .geometry import LegendEntry, MapArea, MultiPolygon, contains, render_map
from .models import Area, Business, PostcodeArea, RniAddress, SexBusiness, Vacancy

UNASSIGNED = ""


class Locator:
    """Which area a register row lies in: its point if it has one, else its postcode."""

    def __init__(self, areas: list[tuple[str, MultiPolygon]], postcodes: dict[str, str]):
        self.areas = areas
        self.postcodes = postcodes

    def area_of(self, postcode: str, x: float | None = None, y: float | None = None) -> str:
        if x is not None and y is not None:
            for code, geometry in self.areas:
                if contains(geometry, (x, y)):
                    return code
        return self.postcodes.get(postcode) or self.postcodes.get(postcode[:4]) or UNASSIGNED


@dataclass
class AreaRow:
    code: str
    name: str
    sectors: Counter[str] = field(default_factory=Counter)
    risk_businesses: int = 0
    vacancies: int = 0
    sex_businesses: int = 0
    rni: int = 0
    signals: int = 0
    rni_shown: str = ""
    signals_shown: str = ""
    signals_hidden: bool = False
    rni_hidden: bool = False
    sector_values: list[int] = field(default_factory=list)  # per configured sector, in order (the table's columns)


@dataclass
class ScanFigures:
    municipality: Organisation
    year: int
    sectors: list[RiskSector]
    rows: list[AreaRow]  # the areas, then "not in an area"; the total separately
    total: AreaRow
    threshold: int
    geometries: dict[str, MultiPolygon]
    has_registers: bool

    def value(self, row: AreaRow, measure: str) -> tuple[int | None, str]:
        """(the number to colour by, or None when hidden; the text shown)."""
        if measure == "signalen":
            return (None if row.signals_hidden else row.signals), row.signals_shown
        if measure == "rni":
            return (None if row.rni_hidden else row.rni), row.rni_shown
        number = {"sectoren": row.risk_businesses, "vacatures": row.vacancies,
                  "seksbedrijven": row.sex_businesses}[measure]
        return number, str(number)


    def measure_rows(self, measure: str) -> list[tuple[str, str]]:
        """The map's text alternative: (area, shown value) for every row and the total."""
        return [(row.name, self.value(row, measure)[1]) for row in [*self.rows, self.total]]


def signal_counts_by_postcode_index(municipality: Organisation, year: int) -> Counter[str]:
    period = Period.year(year)
    rows = (Signal.objects.filter(municipality=municipality, received_at__gte=period.start_at,
                                  received_at__lt=period.end_at)
            .values("postcode_index").annotate(n=Count("id")).order_by())
    return Counter({row["postcode_index"]: row["n"] for row in rows})


def scan_figures(municipality: Organisation, year: int | None = None) -> ScanFigures:
    year = year or timezone.localdate().year
    sectors = risk_sectors()
    areas = list(Area.objects.filter(municipality=municipality).order_by("code"))
    postcodes = dict(PostcodeArea.objects.filter(municipality=municipality).values_list("postcode", "area__code"))
    locator = Locator([(area.code, area.geometry) for area in areas], postcodes)
    rows = {area.code: AreaRow(area.code, area.name) for area in areas}
    rows[UNASSIGNED] = AreaRow(UNASSIGNED, _("Niet in een wijk of buurt"))
    has_registers = False

    for business in Business.objects.filter(municipality=municipality).only("postcode", "sbi_codes", "x", "y"):
        has_registers = True
        keys = sectors_of(list(business.sbi_codes), sectors)
        if keys:
            row = rows[locator.area_of(business.postcode, business.x, business.y)]
            row.sectors.update(keys)
            row.risk_businesses += 1
    for vacancy in Vacancy.objects.filter(municipality=municipality).only("postcode", "count"):
        has_registers = True
        rows[locator.area_of(vacancy.postcode)].vacancies += vacancy.count
    for sex_business in SexBusiness.objects.filter(municipality=municipality).only("postcode"):
        has_registers = True
        rows[locator.area_of(sex_business.postcode)].sex_businesses += 1
    # Counted per area, never shown per address here (the address flags are the AF's, selectors.risk_flags_for).
    for rni in RniAddress.objects.filter(municipality=municipality).only("postcode", "registrations"):
        has_registers = True
        rows[locator.area_of(rni.postcode)].rni += rni.registrations

    by_digest = {blind_index("postcode", postcode): code for postcode, code in postcodes.items()
                 if len(postcode) == 6}
    for digest, count in signal_counts_by_postcode_index(municipality, year).items():
        rows[by_digest.get(digest, UNASSIGNED)].signals += count

    ordered = [rows[area.code] for area in areas] + [rows[UNASSIGNED]]
    total = AreaRow(UNASSIGNED, _("Totaal"))
    for row in ordered:
        total.sectors.update(row.sectors)
        total.risk_businesses += row.risk_businesses
        total.vacancies += row.vacancies
        total.sex_businesses += row.sex_businesses
        total.rni += row.rni
        total.signals += row.signals
    for row in [*ordered, total]:
        row.sector_values = [row.sectors[sector.key] for sector in sectors]
    threshold = shared_threshold()
    for attribute in ("signals", "rni"):
        protected = protect([[getattr(row, attribute)] for row in ordered], threshold)
        for index, row in enumerate([*ordered, total]):
            setattr(row, f"{attribute}_shown", protected.display(index, 0))
            setattr(row, f"{attribute}_hidden", protected.published(index, 0) is None)
    return ScanFigures(municipality=municipality, year=year, sectors=sectors, rows=ordered, total=total,
                       threshold=threshold, geometries={area.code: area.geometry for area in areas},
                       has_registers=has_registers)


def class_ranges(maximum: int, classes: int = len(CLASS_COLOURS)) -> list[tuple[int, int]]:
    """Equal-width classes of whole numbers from 1 to `maximum` (at most five; fewer when the numbers are small)."""
    if maximum < 1:
        return []
    count = min(classes, maximum)
    width = math.ceil(maximum / count)
    ranges = [(1 + i * width, min(maximum, (i + 1) * width)) for i in range(count)]
    return [(low, high) for low, high in ranges if low <= high]


def class_colour(index: int, classes: int) -> tuple[str, str]:
    """(fill, text colour) of class `index` of `classes`: spread over the scale, so the highest is always darkest."""
    position = round(index * (len(CLASS_COLOURS) - 1) / (classes - 1)) if classes > 1 else len(CLASS_COLOURS) - 1
    return CLASS_COLOURS[position], CLASS_TEXT[position]


def _range_label(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def scan_map(figures: ScanFigures, measure: str) -> SafeString | None:
    """The choropleth of one measure, or None when no map has been imported."""
    if not figures.geometries:
        return None
    label = str(MEASURES[measure][0])
    area_rows = [row for row in figures.rows if row.code in figures.geometries]
    values = [figures.value(row, measure) for row in area_rows]
    maximum = max((number for number, _shown in values if number is not None), default=0)
    ranges = class_ranges(maximum)
    areas = []
    for row, (number, shown) in zip(area_rows, values, strict=True):
        if number is None:
            fill, text = "hatch", "#000000"
        elif number == 0:
            fill, text = ZERO_COLOUR, "#000000"
        else:
            index = next(i for i, (low, high) in enumerate(ranges) if low <= number <= high)
            fill, text = class_colour(index, len(ranges))
        areas.append(MapArea(code=row.code, name=row.name, geometry=figures.geometries[row.code], fill=fill,
                             text_colour=text, label=shown))
    legend = [LegendEntry(ZERO_COLOUR, "0")]
    legend += [LegendEntry(class_colour(i, len(ranges))[0], _range_label(low, high))
               for i, (low, high) in enumerate(ranges)]
    if any(number is None for number, _shown in values):
        legend.append(LegendEntry(SUPPRESSED_COLOUR, _("verborgen (minder dan %(t)s of terug te rekenen)")
                                  % {"t": figures.threshold}, hatched=True))
    title = _("Kaart: %(measure)s per wijk of buurt in %(municipality)s") % {
        "measure": label.lower(), "municipality": figures.municipality.name}
    if measure == "signalen":
        title += " " + _("(%(year)s)") % {"year": figures.year}
    description = _("Donkerder is meer. De tabel naast de kaart geeft dezelfde aantallen per gebied.")
    return render_map(areas, legend, title=title, description=description)


def region_map(all_figures: list[ScanFigures], region_name: str) -> SafeString | None:
    """The region's wijken together, coloured by risk-sector businesses (public register data, nothing hidden)."""
    rows = [(figures, row) for figures in all_figures for row in figures.rows if row.code in figures.geometries]
    if not rows:
        return None
    ranges = class_ranges(max(row.risk_businesses for _figures, row in rows))
    areas = []
    for figures, row in rows:
        number = row.risk_businesses
        index = next((i for i, (low, high) in enumerate(ranges) if low <= number <= high), None)
        fill, text = (ZERO_COLOUR, "#000000") if index is None else class_colour(index, len(ranges))
        areas.append(MapArea(code=row.code, name=f"{figures.municipality.name}, {row.name}",
                             geometry=figures.geometries[row.code], fill=fill, text_colour=text, label=str(number)))
    legend = [LegendEntry(ZERO_COLOUR, "0")]
    legend += [LegendEntry(class_colour(i, len(ranges))[0], _range_label(low, high))
               for i, (low, high) in enumerate(ranges)]
    return render_map(areas, legend, element_id="risk-region-map",
                      title=_("Kaart: bedrijven in risicosectoren per wijk in %(region)s") % {"region": region_name},
                      description=_("Donkerder is meer. De tabel onder de kaart geeft de totalen per gemeente."))


def available_years(today: date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return [today.year - offset for offset in range(5)]
