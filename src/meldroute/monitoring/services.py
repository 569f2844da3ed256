"""Exports and reports: each one a named function taking `actor`, refusing with a Dutch DomainError, audited.

Nothing here changes domain data, but every export and generated report leaves an audit event (SPEC §4 "Audit":
export events record field set and reason) in the same transaction as the export is produced.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.audit.services import record_access, record_event
from meldroute.core.exceptions import DomainError

from . import selectors
from .aggregates import Period
from .constants import REPORT_HALF_YEAR, REPORT_KINDS, REPORT_SECTIONS, REPORT_YEAR, publication_threshold
from .pdf import render_pdf

MIN_REASON_LENGTH = 10
PERSON_TARGET = "persons.person"  # the access log's name for a person (persons.selectors.TARGET)


def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # Dutch spreadsheets expect semicolons
    writer.writerows(rows)
    return out.getvalue()


def _check_year(year: int) -> None:
    if year not in selectors.available_years():
        raise DomainError(_("Kies een jaar uit de lijst."), field="year")


def export_comensha(*, actor, year: int, reason: str) -> tuple[str, int]:
    """The CoMensha registration export of the zorgcoördinator's region (SPEC G3). Returns (CSV text, rows)."""
    region = selectors.comensha_region_for(actor)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise DomainError(_("Geef de reden van deze export (ten minste %(n)s tekens).") % {"n": MIN_REASON_LENGTH},
                          field="reason")
    _check_year(year)
    with transaction.atomic():
        export = selectors.comensha_rows(actor, year)
        record_event(actor=actor, action="monitoring.comensha_export", target_type="organisations.region",
                     target_uuid=region.uuid, fields=selectors.COMENSHA_FIELDS, purpose=reason,
                     details={"year": year, "rows": len(export.rows), "without_basis": export.skipped})
        # Each row is about one person: each person's access log says that their categories left in this export.
        for person_uuid in export.persons:
            record_access(actor=actor, target_type=PERSON_TARGET, target_uuid=person_uuid,
                          fields=selectors.COMENSHA_FIELDS, purpose=f"CoMensha-export {year}: {reason}"[:200])
    return to_csv([list(selectors.COMENSHA_FIELDS), *export.rows]), len(export.rows)


def export_regional_table(*, actor, year: int, dimension: str) -> str:
    """The regional table as a published figure: publication threshold, same rows as on screen."""
    region = selectors.regional_view_region_for(actor)
    _check_year(year)
    if dimension not in selectors.DIMENSIONS:
        raise DomainError(_("Kies een onderwerp uit de lijst."), field="dimension")
    with transaction.atomic():
        table = selectors.regional_table(actor, year, dimension, version="publication")
        record_event(actor=actor, action="monitoring.regional_export", target_type="organisations.region",
                     target_uuid=region.uuid, fields=(dimension,), purpose=_("regionale cijfers exporteren"),
                     details={"year": year, "dimension": dimension, "threshold": table.threshold})
    rows = table.csv_rows()
    rows += [[note] for note in table.footnotes]
    return to_csv(rows)


# --------------------------------------------------------------------------- reports


@dataclass
class Report:
    kind: str
    title: str
    period: Period
    previous: Period
    dashboard: selectors.Dashboard
    previous_dashboard_total: int
    sections: list[tuple[str, str, str]]  # key, heading, text
    intro: str
    comparison: list[tuple[str, str, str]] = field(default_factory=list)
    generated_at: object = None


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
        "policy": _("Het beleid is ongewijzigd van kracht. Geen aanpassingen in deze periode."),
        "execution": _("De aandachtsfunctionaris heeft de signalen binnen de afgesproken termijnen beoordeeld."),
        "case_handling": _("De casussen zijn besproken in het screeningsoverleg van het Zorg- en Veiligheidshuis."),
        "chain_cooperation": _("De samenwerking met politie, RIEC, zorgcoördinatie en Veilig Thuis verloopt volgens "
                               "de meldroute."),
    }
    if kind == REPORT_YEAR:
        texts["intro"] += " " + _("De jaarlijkse evaluatie behandelt beleid, uitvoering, aanpak van casuïstiek en "
                                  "ketensamenwerking.")
    return texts


def build_report(user, *, kind: str, year: int, half: int = 1, texts: dict[str, str] | None = None) -> Report:
    """The report's content, for the screen and the PDF. Victim figures use the publication threshold."""
    period = report_period(kind, year, half)
    dashboard = selectors.municipal_dashboard(user, period, victim_threshold=publication_threshold())
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
    return Report(kind, title, period, dashboard.previous, dashboard, prev_s.total, sections, texts["intro"],
                  comparison, timezone.now())


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def generate_report_pdf(*, actor, kind: str, year: int, half: int = 1, texts: dict[str, str] | None = None,
                        ) -> tuple[bytes, str]:
    """Render the report as a PDF (WeasyPrint) and record that it was made. Returns (pdf, file name)."""
    if kind not in REPORT_KINDS:
        raise DomainError(_("Kies het soort rapportage."), field="kind")
    _check_year(year)
    if not selectors.can_edit_reports(actor):
        texts = None  # the burgemeester reads the report; the AF writes its text
    report = build_report(actor, kind=kind, year=year, half=half, texts=texts)
    html = render_to_string("monitoring/report_pdf.html", {"report": report})
    with transaction.atomic():
        record_event(actor=actor, action="monitoring.report_generated", target_type="organisations.organisation",
                     target_uuid=report.dashboard.municipality.uuid, fields=("aggregates",),
                     purpose=str(REPORT_KINDS[kind]),
                     details={"kind": kind, "year": year, "half": half if kind == REPORT_HALF_YEAR else None})
        pdf = render_pdf(html)
    suffix = f"{year}-H{half}" if kind == REPORT_HALF_YEAR else str(year)
    return pdf, f"rapportage-mensenhandel-{report.dashboard.municipality.code}-{suffix}.pdf"
