"""Monitoring pages: the municipal dashboard, the regional view, the CoMensha export and the reports. Thin views."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.accounts.requests import AuthenticatedHttpRequest
from meldroute.core.exceptions import DomainError
from meldroute.core.forms import add_domain_error

from . import charts, selectors, services, tables
from .constants import REPORT_HALF_YEAR
from .forms import ComenshaExportForm, DashboardFilterForm, RegionalForm, ReportForm


def _csv_response(text: str, filename: str) -> HttpResponse:
    # A BOM so spreadsheet programs read the UTF-8 (ë, –) correctly.
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.dashboard_municipality_for(request.user)  # 404 for everyone else
    form = DashboardFilterForm(request.GET or None)
    data = tables.municipal_dashboard(request.user, form.period(), form.form())
    return render(request, "monitoring/dashboard.html", {"form": form, "d": data, "query": request.GET.urlencode(),
                                                         "today": timezone.localdate()})


@login_required
def dashboard_csv(request: AuthenticatedHttpRequest, table: str) -> HttpResponse:
    selectors.dashboard_municipality_for(request.user)
    form = DashboardFilterForm(request.GET or None)
    data = tables.municipal_dashboard(request.user, form.period(), form.form())
    figure = data.tables.get(table)
    if figure is None:
        raise Http404
    rows = figure.csv_rows() + [[note] for note in figure.footnotes]
    name = f"dashboard-{data.municipality.code}-{table}-{data.period.start:%Y%m}-{data.period.end:%Y%m}.csv"
    return _csv_response(tables.to_csv(rows), name)


@login_required
def regional(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = selectors.regional_view_region_for(request.user)
    form = RegionalForm(request.GET or None)
    year, dimension = form.values()
    table = tables.regional_table(request.user, year, dimension)
    subject = _("Slachtoffers") if dimension in tables.VICTIM_DIMENSION_KEYS else _("Signalen")
    heading = _("%(subject)s in %(year)s naar %(dimension)s") % {
        "subject": subject, "year": year, "dimension": tables.dimension_in_sentence(dimension)}
    bars = table.region_bars()
    chart_note = tables.empty_chart_note(bars)
    chart_title = _("Totaal regio: %(heading)s") % {"heading": heading}
    return render(request, "monitoring/regional.html", {
        "form": form, "heading": heading, "region": region, "table": table, "year": year, "dimension": dimension,
        "chart": "" if chart_note else charts.bar_chart(chart_title, bars), "chart_note": chart_note,
        "signal_dimensions": [(k, tables.dimension_title(k)) for k in tables.SIGNAL_DIMENSION_KEYS],
        "victim_dimensions": [(k, tables.dimension_title(k)) for k in tables.VICTIM_DIMENSION_KEYS],
    })


@login_required
def regional_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.regional_view_region_for(request.user)
    form = RegionalForm(request.GET or None)
    year, dimension = form.values()
    text = services.export_regional_table(actor=request.user, year=year, dimension=dimension)
    return _csv_response(text, f"regio-{dimension}-{year}.csv")


@login_required
def comensha_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = selectors.comensha_region_for(request.user)
    if request.method == "POST":
        form = ComenshaExportForm(request.POST)
        if form.is_valid():
            try:
                text, _rows = services.export_comensha(actor=request.user, year=form.cleaned_data["year"],
                                                       reason=form.cleaned_data["reason"])
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return _csv_response(text, f"comensha-{region.slug}-{form.cleaned_data['year']}.csv")
    else:
        form = ComenshaExportForm()
    return render(request, "monitoring/comensha.html", {"form": form, "region": region,
                                                        "fields": tables.COMENSHA_FIELDS})


@login_required
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: a period's report on screen (with its starting texts in the editor); POST: preview or PDF."""
    municipality = selectors.dashboard_municipality_for(request.user)
    can_edit = selectors.can_edit_reports(request.user)
    if request.method == "POST":
        form = ReportForm(request.POST)
    else:
        today = timezone.localdate()
        form = ReportForm({"kind": request.GET.get("kind", REPORT_HALF_YEAR),
                           "year": request.GET.get("year", str(today.year)),
                           "half": request.GET.get("half", "1" if today.month <= 6 else "2")})
    content = None
    if form.is_valid():
        texts = form.texts() if can_edit and request.method == "POST" else None
        values = {"kind": form.cleaned_data["kind"], "year": form.cleaned_data["year"],
                  "half": form.cleaned_data.get("half") or 1}
        try:
            if request.method == "POST" and request.POST.get("action") == "pdf":
                pdf, filename = services.generate_report_pdf(actor=request.user, texts=texts, **values)
                response = HttpResponse(pdf, content_type="application/pdf")
                response["Content-Disposition"] = f'attachment; filename="{filename}"'
                return response
            content = tables.build_report(request.user, texts=texts, **values)
        except DomainError as error:
            add_domain_error(form, error)
        if content is not None and request.method == "GET":
            # The starting texts go into the editor, so the AF edits rather than types.
            form = ReportForm(initial={**values, "intro": content.intro,
                                       **{key: text for key, _h, text in content.sections}})
    return render(request, "monitoring/report.html", {"form": form, "report": content, "can_edit": can_edit,
                                                      "municipality": municipality})
