"""The figures as shown: tables beside their charts, the municipal dashboard, the regional view, CoMensha's rows,
the report's content, and CSV. Reads only; who may see them is decided in selectors.py, exports are audited in
services.py.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meldroute.core.exceptions import DomainError
from meldroute.organisations.models import Organisation, Region
from meldroute.persons.aggregates import VictimRecord
from meldroute.persons.constants import Citizenship

from . import aggregates, charts, statements
from .aggregates import Period
from .constants import (
    ACUTE_LABELS,
    AGE_BAND_LABELS,
    COMENSHA_SECTOR_LABELS,
    FORM_LABELS,
    NATIONALITY_LABELS,
    OTHER,
    OUTCOME_LABELS,
    REPORT_HALF_YEAR,
    REPORT_SECTIONS,
    REPORT_YEAR,
    SECTOR_LABELS,
    SEX_LABELS,
    TEAM_LABELS,
    publication_threshold,
    rare_categories,
    rare_footnote,
    shared_threshold,
)
from .report_sections import ReportSection, report_sections
from .selectors import (
    comensha_region_for,
    dashboard_municipality_for,
    municipalities_of,
    regional_view_region_for,
)
from .suppression import ProtectedTable, protect, protect_regional

QUARTER_LABELS = {"q1": "Q1", "q2": "Q2", "q3": "Q3", "q4": "Q4"}
DIMENSIONS: dict[str, tuple[Any, dict[str, Any], str]] = {
    # key: (title, labels, rare-category dimension)
    "form": (gettext_lazy("Vorm van uitbuiting"), FORM_LABELS, "form"),
    "sector": (gettext_lazy("Sector"), SECTOR_LABELS, "sector"),
    "team": (gettext_lazy("Meldend team"), TEAM_LABELS, ""),
    "acute": (gettext_lazy("Acuut"), ACUTE_LABELS, ""),
    "outcome": (gettext_lazy("Uitkomst"), OUTCOME_LABELS, ""),
    "quarter": (gettext_lazy("Kwartaal"), QUARTER_LABELS, ""),
    "sex": (gettext_lazy("Geslacht"), SEX_LABELS, ""),
    "age_band": (gettext_lazy("Leeftijd"), AGE_BAND_LABELS, ""),
    "nationality": (gettext_lazy("Nationaliteit"), NATIONALITY_LABELS, ""),
    "comensha_sector": (gettext_lazy("Sector (CoMensha)"), COMENSHA_SECTOR_LABELS, "comensha_sector"),
}
SIGNAL_DIMENSION_KEYS = ("form", "sector", "team", "acute", "outcome", "quarter")
VICTIM_DIMENSION_KEYS = ("sex", "age_band", "nationality", "comensha_sector")


def dimension_title(key: str) -> str:
    return str(DIMENSIONS[key][0])


def dimension_in_sentence(key: str) -> str:
    """The title inside a sentence: first letter lower case, names such as CoMensha or NL untouched."""
    title = dimension_title(key)
    return title[:1].lower() + title[1:]


def columns_for(key: str) -> list[tuple[str, str]]:
    """The fixed columns of a dimension: rare categories are folded into "overig" (which is then always shown)."""
    _title, labels, rare_key = DIMENSIONS[key]
    rare = rare_categories(rare_key) if rare_key else frozenset()
    columns = [(code, str(label)) for code, label in labels.items() if code not in rare and code != "other"]
    if rare and all(code != OTHER for code, _label in columns):
        columns.insert(len(columns) - 1, (OTHER, str(labels.get(OTHER, _("Overig")))))
    return columns



def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # Dutch spreadsheets expect semicolons
    writer.writerows(rows)
    return out.getvalue()


# --------------------------------------------------------------------------- tables


@dataclass
class FigureTable:
    """A table as shown beside its chart: rows of (label, displayed values), the total, and what it means."""

    key: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    chart: str = ""
    footnotes: list[str] = field(default_factory=list)
    # In place of the chart when it would show nothing: every figure hidden by disclosure control, or none at all.
    chart_note: str = ""
    # A second view of the same figures: the small multiples under the stacked columns, one SVG per category.
    extra_charts: list[str] = field(default_factory=list)
    wide: bool = False  # chart and table one under the other, the full width of the page (many columns)

    def csv_rows(self) -> list[list[str]]:
        return [["", *self.columns], *[[label, *values] for label, values in self.rows]]


def breakdown_table(key: str, counts: Counter[Any], *, chart_title: str | None = None,
                    threshold: int | None = None) -> FigureTable:
    """A one-dimensional table (category → count, with total); suppressed when `threshold` is given."""
    columns = columns_for(key)
    values = [counts.get(code, 0) for code, _label in columns]
    footnotes = []
    if threshold is not None:
        protected = protect([values], threshold, bands=_bands())
        shown = [protected.display(0, j) for j in range(len(values))]
        # The extended table is the data row and its copy as column totals; the row total is the grand total.
        total = protected.display(0, len(values))
        bars = [charts.Bar(label, protected.published(0, j), shown[j]) for j, (_c, label) in enumerate(columns)]
        footnotes += _suppression_notes(protected)
    else:
        shown = [str(v) for v in values]
        total = str(sum(values))
        bars = [charts.Bar(label, v, str(v)) for (_c, label), v in zip(columns, values, strict=True)]
    title = chart_title or dimension_title(key)
    rows = [(label, [shown[j]]) for j, (_c, label) in enumerate(columns)] + [(_("Totaal"), [total])]
    note = rare_footnote(DIMENSIONS[key][2], DIMENSIONS[key][1]) if DIMENSIONS[key][2] else ""
    if note:
        footnotes.append(note)
    chart_note = empty_chart_note(bars)
    chart = "" if chart_note else charts.bar_chart(title, bars)
    return FigureTable(key, title, [_("Aantal")], rows, chart, footnotes, chart_note=chart_note)


def empty_chart_note(bars: list[charts.Bar]) -> str:
    """One sentence instead of a chart that would draw no bar: all its figures hidden, or all zero."""
    if any(bar.value for bar in bars):
        return ""
    if any(bar.value is None for bar in bars):
        return _("Geen grafiek: alle aantallen in deze figuur zijn te klein om te tonen (zie de tabel).")
    return _("Geen grafiek: er zijn in deze periode geen aantallen.")


def _bands() -> tuple[int, ...]:
    return (shared_threshold(), publication_threshold())


def _suppression_notes(protected: ProtectedTable) -> list[str]:
    notes = []
    if protected.withheld:
        notes.append(_("Deze tabel kan niet veilig worden getoond: te weinig aantallen."))
    elif protected.primary:
        notes.append(_("“<%(t)s”: minder dan %(t)s, niet getoond om herleidbaarheid te voorkomen.")
                     % {"t": protected.threshold})
    if (protected.complementary or protected.sensitive) and not protected.withheld:
        notes.append(_("“×”: verborgen zodat een klein aantal niet uit de totalen terug te rekenen is."))
    return notes


# --------------------------------------------------------------------------- municipal dashboard


@dataclass
class Dashboard:
    municipality: Organisation
    period: Period
    previous: Period
    form: str | None
    signals: aggregates.SignalFigures
    previous_signals: aggregates.SignalFigures
    cases: aggregates.CaseFigures
    victim_year: int
    victims_total: int
    tables: dict[str, FigureTable]
    trend_chart: str

    @property
    def last_day(self) -> date:
        """The period's last day (its `end` is exclusive): what "t/m" names on the page."""
        return self.period.end - timedelta(days=1)


def municipal_dashboard(user: Any, period: Period, form: str | None = None, *, victim_threshold: int | None = None,
                        today: date | None = None) -> Dashboard:
    """Exact signal and case figures of the user's own municipality; victims suppressed (they are people)."""
    municipality = dashboard_municipality_for(user)
    ids = [municipality.pk]
    previous = period.previous()
    signals, previous_signals = aggregates.signal_figures_pair(ids, period, previous, form)
    cases = aggregates.case_figures(ids, period, today=today)
    victim_year = (period.end - timedelta(days=1)).year  # the calendar year the period ends in
    victims = aggregates.victim_groups(ids, Period.year(victim_year))
    victim_by = aggregates.victim_counts(victims)
    threshold = victim_threshold or shared_threshold()
    tables: dict[str, FigureTable] = {}
    tables["month"] = month_table(signals)
    for key in ("form", "sector", "team", "acute", "outcome"):
        tables[key] = breakdown_table(key, signals.by[key])
    for key in VICTIM_DIMENSION_KEYS:
        tables[key] = breakdown_table(key, victim_by[key], threshold=threshold,
                                      chart_title=_("Slachtoffers %(year)s naar %(dim)s") % {
                                          "year": victim_year, "dim": dimension_in_sentence(key)})
    return Dashboard(municipality, period, previous, form, signals, previous_signals, cases, victim_year,
                     aggregates.victim_total(victims), tables, tables["month"].chart)


def month_table(signals: aggregates.SignalFigures) -> FigureTable:
    """Signals per month and form: stacked columns (the total on top), small multiples per form, and the table."""
    columns = columns_for("form")
    rows = []
    for month in signals.months:
        counts = signals.by_month_form.get(month, Counter())
        rows.append((date_format(month, "F Y"), [str(counts.get(code, 0)) for code, _l in columns]
                     + [str(sum(counts.values()))]))
    totals = [sum(signals.by_month_form.get(m, Counter()).get(code, 0) for m in signals.months) for code, _l in columns]
    rows.append((_("Totaal"), [str(v) for v in totals] + [str(sum(totals))]))
    footnotes = [note for note in [rare_footnote("form", FORM_LABELS)] if note]
    title = _("Signalen per maand naar vorm van uitbuiting")
    series = [charts.Series(label, [signals.by_month_form.get(m, Counter()).get(code, 0) for m in signals.months])
              for code, label in columns]
    months: list[date | str] = list(signals.months)
    chart: str
    extra: list[SafeString]
    if sum(totals):
        chart = charts.stacked_columns(title, months, series)
        extra = charts.small_multiples(months, series)
        note = ""
    else:
        chart, extra, note = "", [], _("Geen grafiek: er zijn in deze periode geen signalen.")
    return FigureTable("month", title, [label for _c, label in columns] + [_("Totaal")], rows, chart, footnotes,
                       chart_note=note, extra_charts=list(extra), wide=True)


# --------------------------------------------------------------------------- regional view


@dataclass
class RegionalTable:
    region: Region
    year: int
    dimension: str
    version: str  # "shared" (on screen, threshold 5) or "publication" (exports, threshold 10)
    row_labels: list[str]
    columns: list[str]
    protected: ProtectedTable
    footnotes: list[str]

    @property
    def threshold(self) -> int:
        return self.protected.threshold

    def rows(self) -> list[tuple[str, list[str]]]:
        width = len(self.columns) + 1
        out = []
        for i, label in enumerate([*self.row_labels, _("Totaal regio")]):
            out.append((label, [self.protected.display(i, j) for j in range(width)]))
        return out

    def csv_rows(self) -> list[list[str]]:
        return [[_("Gemeente"), *self.columns, _("Totaal")], *[[label, *values] for label, values in self.rows()]]

    def region_bars(self) -> list[charts.Bar]:
        """The region's total per category as published (the table's last row): hidden ones stay hidden."""
        total_row = len(self.row_labels)
        return [charts.Bar(label, self.protected.published(total_row, j), self.protected.display(total_row, j))
                for j, label in enumerate(self.columns)]


def regional_table(user: Any, year: int, dimension: str, version: str = "shared") -> RegionalTable:
    """One dimension of one calendar year across the user's region, disclosure-controlled (suppression.py)."""
    region = regional_view_region_for(user)
    return build_regional_table(region, year, dimension, version)


def build_regional_table(region: Region, year: int, dimension: str, version: str = "shared") -> RegionalTable:
    if dimension not in DIMENSIONS:
        raise Http404
    municipalities = municipalities_of(region)
    ids = [m.pk for m in municipalities]
    period = Period.year(year)
    if dimension in VICTIM_DIMENSION_KEYS:
        counts = aggregates.regional_victim_rows(aggregates.victim_groups(ids, period), ids, dimension)
    else:
        counts = aggregates.regional_signal_rows(ids, period, dimension)
    columns = columns_for(dimension)
    raw = [[counts[pk].get(code, 0) for code, _l in columns] for pk in ids]
    shared_t, publication_t = shared_threshold(), publication_threshold()
    # Merged rows, both versions, audited from every municipality's own viewpoint: suppression.protect_regional.
    result = protect_regional(raw, shared_t, publication_t)
    groups = result.groups
    labels = []
    for group in groups:
        if len(group) == 1:
            labels.append(municipalities[group[0]].name)
        else:
            labels.append(_("Overige gemeenten (%(n)s)") % {"n": len(group)})
    protected = result.publication if version == "publication" else result.shared
    footnotes = _suppression_notes(protected)
    grouped = [group for group in groups if len(group) > 1]
    if grouped:
        names = ", ".join(municipalities[k].name for k in grouped[0])
        footnotes.append(_("Overige gemeenten: %(names)s — samengevoegd omdat hun totaal onder %(t)s ligt.")
                         % {"names": names, "t": publication_t})
    rare_key = DIMENSIONS[dimension][2]
    if rare_key and rare_footnote(rare_key, DIMENSIONS[dimension][1]):
        footnotes.append(rare_footnote(rare_key, DIMENSIONS[dimension][1]))
    return RegionalTable(region, year, dimension, version, labels, [label for _c, label in columns], protected,
                         footnotes)


def available_years(today: date | None = None, span: int = 5) -> list[int]:
    today = today or timezone.localdate()
    return list(range(today.year, today.year - span, -1))


# --------------------------------------------------------------------------- CoMensha export

COMENSHA_FIELDS = ("registratiejaar", "gemeente", "geslacht", "leeftijdscategorie", "minderjarig", "nationaliteit",
                   "nationaliteit_iso3166", "sector", "grondslag")


def comensha_nationality(code: str | None) -> tuple[str, str]:
    """The country of nationality as CoMensha registers it: its Dutch name and its ISO 3166-1 alpha-2 code.

    Not the dashboard's grouping (NL / niet-NL / staatloos): CoMensha counts per country. XX (stateless) and ZZ
    (unknown) are ISO 3166's user-assigned codes, as in the person's record (persons.constants.Citizenship)."""
    value = (code or "").upper() or Citizenship.ZZ
    if value not in Citizenship.values:
        return str(Citizenship.ZZ.label), Citizenship.ZZ.value
    return str(Citizenship(value).label), value


@dataclass
class ComenshaExport:
    rows: list[list[str]]
    skipped: int  # victims left out for lack of a basis
    persons: list[Any]  # the uuid of each exported row's person, in row order: for the access log, never in the file


def comensha_rows(user: Any, year: int) -> ComenshaExport:
    """One row per victim in the zorgcoördinator's region with consent or a statutory basis; categories only."""
    region = comensha_region_for(user)
    municipalities = {m.pk: m for m in municipalities_of(region)}
    records: list[VictimRecord] = aggregates.victim_records(list(municipalities), Period.year(year))
    rows, skipped, persons = [], 0, []
    for record in sorted(records, key=lambda r: (r.registered_on, r.municipality_id)):
        if not record.export_basis:
            skipped += 1
            continue
        persons.append(record.person_uuid)
        category = {name: aggregates.victim_category(record, name) for name in aggregates.VICTIM_DIMENSIONS}
        rows.append([str(year), municipalities[record.municipality_id].code,
                     str(SEX_LABELS.get(category["sex"], category["sex"])),
                     str(AGE_BAND_LABELS.get(category["age_band"])),
                     _("ja") if record.is_minor else _("nee"), *comensha_nationality(record.citizenship),
                     str(COMENSHA_SECTOR_LABELS.get(category["comensha_sector"])),
                     _("toestemming") if record.export_basis == "consent" else _("wettelijke grondslag")])
    return ComenshaExport(rows, skipped, persons)


# --------------------------------------------------------------------------- reports


@dataclass
class Report:
    kind: str
    title: str
    period: Period
    previous: Period
    dashboard: Dashboard
    previous_dashboard_total: int
    sections: list[tuple[str, str, str]]  # key, heading, text
    intro: str
    comparison: list[tuple[str, str, str]] = field(default_factory=list)
    generated_at: object = None
    # Sentences generated from the figures, per section key (statements.py): the report's only claims of fact.
    statements: dict[str, list[str]] = field(default_factory=dict)

    @cached_property
    def extra(self) -> list[ReportSection]:
        """The sections higher apps registered (report_sections: basisniveau, actiepunten, trainings, effort)."""
        return report_sections(self.dashboard.municipality, self.period, self.kind)

    @property
    def blocks(self) -> list[tuple[str, str, str, list[str]]]:
        """(key, heading, the AF's text or "" = not yet reviewed, the figures' sentences) per section."""
        return [(key, heading, text, self.statements.get(key, [])) for key, heading, text in self.sections]


def report_period(kind: str, year: int, half: int) -> Period:
    if kind == REPORT_YEAR:
        return Period.year(year)
    if kind == REPORT_HALF_YEAR and half in (1, 2):
        return Period.half_year(year, half)
    raise DomainError(_("Kies het soort rapportage en de periode."), field="kind")


def default_texts(kind: str, municipality_name: str, period: Period) -> dict[str, str]:
    """A starting text per section; the AF edits it before generating."""
    texts = {
        "intro": _("Deze rapportage geeft de burgemeester en de portefeuillehouder zicht op aard en omvang van "
                   "signalen van mensenhandel in %(m)s en op de uitvoering van de aanpak.") % {"m": municipality_name},
        # No stock sentences as facts ("binnen de afgesproken termijnen beoordeeld"): what the figures support is
        # generated (statements.py); what only the AF can say starts empty and shows as not yet reviewed.
        "policy": "", "execution": "", "case_handling": "", "chain_cooperation": "",
    }
    if kind == REPORT_YEAR:
        texts["intro"] += " " + _("De jaarlijkse evaluatie behandelt beleid, uitvoering, aanpak van casuïstiek en "
                                  "ketensamenwerking.")
    return texts


def build_report(user: Any, *, kind: str, year: int, half: int = 1, texts: dict[str, str] | None = None) -> Report:
    """The report's content, for the screen and the PDF. Victim figures use the publication threshold."""
    period = report_period(kind, year, half)
    dashboard = municipal_dashboard(user, period, victim_threshold=publication_threshold())
    defaults = default_texts(kind, dashboard.municipality.name, period)
    texts = {**defaults, **{k: v for k, v in (texts or {}).items() if v and v.strip()}}
    now_s, prev_s = dashboard.signals, dashboard.previous_signals
    comparison = [
        (_("Signalen"), str(prev_s.total), str(now_s.total)),
        (_("waarvan acuut"), str(prev_s.acute), str(now_s.acute)),
        (_("Mediane tijd tot triage (uren)"), _hours(prev_s.median_triage_hours), _hours(now_s.median_triage_hours)),
        (_("Mediane tijd tot terugkoppeling (uren)"), _hours(prev_s.median_feedback_hours),
         _hours(now_s.median_feedback_hours)),
    ]
    if kind == REPORT_HALF_YEAR:
        title = _("Halfjaarrapportage mensenhandel %(m)s — %(h)se helft %(y)s") % {
            "m": dashboard.municipality.name, "h": half, "y": year}
    else:
        title = _("Jaarlijkse evaluatie aanpak mensenhandel %(m)s — %(y)s") % {"m": dashboard.municipality.name,
                                                                                "y": year}
    sections = [(key, str(heading), texts.get(key, "")) for key, heading in REPORT_SECTIONS]
    facts = statements.report_statements(
        statements.timeliness([dashboard.municipality.pk], period, timezone.now()), dashboard.cases,
        timezone.localdate())
    return Report(kind, title, period, dashboard.previous, dashboard, prev_s.total, sections, texts["intro"],
                  comparison, timezone.now(), facts)


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


