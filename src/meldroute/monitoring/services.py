"""Audited exports and the report PDF: each one a named function taking `actor`, refusing with a Dutch DomainError.

Nothing here changes domain data, but every export and generated report leaves an audit event (SPEC §4 "Audit":
export events record field set and reason) in the same transaction as the export is produced. What they contain is
assembled in tables.py.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from meldroute.audit.services import record_access, record_event
from meldroute.audit.targets import target_of
from meldroute.core.exceptions import DomainError
from meldroute.core.language import recorded
from meldroute.persons.aggregates import VictimRecord

from . import selectors, tables
from .constants import REPORT_HALF_YEAR, REPORT_KINDS
from .pdf import render_pdf

MIN_REASON_LENGTH = 10


def _check_year(year: int) -> None:
    if year not in tables.available_years():
        raise DomainError(_("Kies een jaar uit de lijst."), field="year")


def export_comensha(*, actor: Any, year: int, reason: str) -> tuple[str, int]:
    """The CoMensha registration export of the zorgcoördinator's region (SPEC G3). Returns (CSV text, rows)."""
    region = selectors.comensha_region_for(actor)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise DomainError(_("Geef de reden van deze export (ten minste %(n)s tekens).") % {"n": MIN_REASON_LENGTH},
                          field="reason")
    _check_year(year)
    with transaction.atomic():
        export = tables.comensha_rows(actor, year)
        record_event(actor=actor, action="monitoring.comensha_export", target_type=target_of(region),
                     target_uuid=region.uuid, fields=tables.COMENSHA_FIELDS, purpose=reason,
                     details={"year": year, "rows": len(export.rows), "without_basis": export.skipped})
        # Each row is about one person: each person's access log says that their categories left in this export.
        for person_uuid in export.persons:
            record_access(actor=actor, target_type=target_of(VictimRecord), target_uuid=person_uuid,
                          fields=tables.COMENSHA_FIELDS, purpose=f"CoMensha-export {year}: {reason}"[:200])
    return tables.to_csv([list(tables.COMENSHA_FIELDS), *export.rows]), len(export.rows)


def export_regional_table(*, actor: Any, year: int, dimension: str) -> str:
    """The regional table as a published figure: publication threshold, same rows as on screen."""
    region = selectors.regional_view_region_for(actor)
    _check_year(year)
    if dimension not in tables.DIMENSIONS:
        raise DomainError(_("Kies een onderwerp uit de lijst."), field="dimension")
    with transaction.atomic():
        table = tables.regional_table(actor, year, dimension, version="publication")
        record_event(actor=actor, action="monitoring.regional_export", target_type=target_of(region),
                     target_uuid=region.uuid, fields=(dimension,), purpose=recorded("regionale cijfers exporteren"),
                     details={"year": year, "dimension": dimension, "threshold": table.threshold})
    rows = table.csv_rows()
    rows += [[note] for note in table.footnotes]
    return tables.to_csv(rows)


def generate_report_pdf(*, actor: Any, kind: str, year: int, half: int = 1, texts: dict[str, str] | None = None,
                        ) -> tuple[bytes, str]:
    """Render the report as a PDF (WeasyPrint) and record that it was made. Returns (pdf, file name)."""
    if kind not in REPORT_KINDS:
        raise DomainError(_("Kies het soort rapportage."), field="kind")
    _check_year(year)
    if not selectors.can_edit_reports(actor):
        texts = None  # the burgemeester reads the report; the AF writes its text
    report = tables.build_report(actor, kind=kind, year=year, half=half, texts=texts)
    html = render_to_string("monitoring/report_pdf.html", {"report": report})
    with transaction.atomic():
        record_event(actor=actor, action="monitoring.report_generated",
                     target_type=target_of(report.dashboard.municipality),
                     target_uuid=report.dashboard.municipality.uuid, fields=("aggregates",),
                     purpose=str(REPORT_KINDS[kind]),
                     details={"kind": kind, "year": year, "half": half if kind == REPORT_HALF_YEAR else None})
        pdf = render_pdf(html)
    suffix = f"{year}-H{half}" if kind == REPORT_HALF_YEAR else str(year)
    return pdf, f"rapportage-mensenhandel-{report.dashboard.municipality.code}-{suffix}.pdf"
