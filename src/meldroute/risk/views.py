"""The omgevingsscan's pages: the region's overview, one municipality's map with its table (and as PDF), the AF's
import and the AF's address flags. Thin: selectors decide who sees what, services import, figures count."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from meldroute.core.dates import long_date
from meldroute.core.exceptions import DomainError
from meldroute.monitoring.pdf import render_pdf

from . import selectors
from .constants import DEFAULT_MEASURE, MEASURES, RegisterKind, rni_flag_threshold
from .exceptions import RegisterRejected
from .figures import available_years, region_map, scan_figures, scan_map
from .forms import ImportForm
from .services import import_register, latest_import


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    municipalities = selectors.scan_municipalities_for(request.user)
    if len(municipalities) == 1 and getattr(request.user, "organisation_id", None) == municipalities[0].pk:
        return redirect("risk:map", municipality=municipalities[0].uuid)
    overview = []
    for municipality in municipalities:
        figures = scan_figures(municipality)
        overview.append((municipality, figures, latest_import(municipality, RegisterKind.KVK)))
    region_name = municipalities[0].region.name if municipalities else ""
    return render(request, "risk/index.html", {
        "overview": overview, "map": region_map([figures for _m, figures, _k in overview], region_name)})


def _choices(request: HttpRequest) -> tuple[str, int]:
    measure = request.GET.get("kaart", DEFAULT_MEASURE)
    if measure not in MEASURES:
        measure = DEFAULT_MEASURE
    years = available_years()
    year_text = request.GET.get("jaar", "")
    year = int(year_text) if year_text.isdigit() and int(year_text) in years else years[0]
    return measure, year


def _context(request: HttpRequest, municipality_uuid: str) -> dict[str, Any]:
    municipality = selectors.scan_municipality_for(request.user, municipality_uuid)
    measure, year = _choices(request)
    figures = scan_figures(municipality, year)
    return {"municipality": municipality, "figures": figures, "measure": measure, "year": year,
            "measure_label": MEASURES[measure][0], "map": scan_map(figures, measure),
            "measure_rows": figures.measure_rows(measure),
            "measures": [(key, label) for key, (label, _hidden) in MEASURES.items()], "years": available_years(),
            "imports": {kind: latest_import(municipality, kind) for kind in RegisterKind.values},
            "register_labels": dict(RegisterKind.choices),
            "can_import": selectors.can_see_flags(request.user, municipality),
            "generated_at": timezone.now()}


@require_GET
@login_required
def scan(request: HttpRequest, municipality: str) -> HttpResponse:
    return render(request, "risk/map.html", _context(request, municipality))


@require_GET
@login_required
def scan_pdf(request: HttpRequest, municipality: str) -> HttpResponse:
    context = _context(request, municipality)
    pdf = render_pdf(render_to_string("risk/map_pdf.html", context, request=request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="risicokaart-{context["municipality"].code}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    municipality = selectors.importing_municipality_for(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    file_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_register(actor=request.user, municipality=municipality, kind=form.cleaned_data["kind"],
                                     file_name=upload.name, content=upload.read(),
                                     reason=form.cleaned_data["reason"])
        except RegisterRejected as error:
            form.add_error("file", error.message)
            file_errors = error.errors
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if result.unchanged:
                messages.info(request, _("Dit bestand is al geïmporteerd op %(date)s: er is niets gewijzigd.") % {
                    "date": long_date(result.register_import.created_at, with_time=True)})
            else:
                messages.success(request, _("%(register)s geïmporteerd: %(n)s regels.") % {
                    "register": result.register_import.get_kind_display(), "n": result.register_import.row_count})
            return redirect("risk:map", municipality=municipality.uuid)
    return render(request, "risk/import.html", {"form": form, "file_errors": file_errors,
                                                "municipality": municipality})


@require_GET
@login_required
def flags(request: HttpRequest) -> HttpResponse:
    municipality = selectors.importing_municipality_for(request.user)
    return render(request, "risk/flags.html", {
        "municipality": municipality, "flags": selectors.risk_flags_for(request.user, municipality),
        "threshold": rni_flag_threshold()})
