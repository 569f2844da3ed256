"""The wegwijzer: every chain partner of the user's region and the national ones, with the sharing rule; and the
beheerder's page of who receives a signal of another phenomenon."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meldroute.accounts.permissions import managed_region
from meldroute.accounts.requests import AuthenticatedHttpRequest
from meldroute.core.exceptions import DomainError
from meldroute.core.forms import add_domain_error, flash_form_errors
from meldroute.intake.constants import Phenomenon

from . import services
from .forms import DirectoryFilterForm, PhenomenonReceiverForm
from .selectors import RuleLine, describe_rules, directory_for, phenomenon_receivers


@login_required
def directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    chosen = form.cleaned_data["vorm"] if form.is_valid() else ""
    organisation = request.user.organisation
    region = organisation.region_id if organisation is not None else None
    entries = directory_for(request.user, form=chosen)
    cache: dict[str, list[RuleLine]] = {}
    rows = []
    for entry in entries:
        if entry.partner_type not in cache:
            cache[entry.partner_type] = describe_rules(region, entry.partner_type)
        rows.append((entry, cache[entry.partner_type]))
    return render(request, "partners/directory.html", {"form": form, "rows": rows, "chosen": chosen})


@login_required
@require_http_methods(["GET", "POST"])
def phenomenon_receivers_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per phenomenon the receiver that applies in the beheerder's region, its source, and the form to set the
    region's own. The form that failed keeps its input and shows its message at the field."""
    region = managed_region(request.user)  # 404 for anyone but a beheerder
    failed = None
    if request.method == "POST":
        failed = PhenomenonReceiverForm(request.POST, auto_id="id_failed_%s")
        if failed.is_valid():
            try:
                services.set_phenomenon_receiver(region, actor=request.user, **failed.cleaned_data)
            except DomainError as error:
                add_domain_error(failed, error)
            else:
                messages.success(request, _("De ontvanger is vastgelegd voor uw regio."))
                return redirect("partners:phenomena")
    rows = []
    for phenomenon, row in phenomenon_receivers(region).items():
        if failed is not None and failed.data.get("phenomenon") == phenomenon:
            form = failed
        else:
            form = PhenomenonReceiverForm(auto_id=f"id_{phenomenon}_%s", initial={
                "phenomenon": phenomenon, "partner_type": row.partner_type, "receiver_name": row.receiver_name,
                "source": row.source if row.region_id else ""})
        rows.append((phenomenon, Phenomenon(phenomenon).label, row, form))
    if failed is not None and failed.data.get("phenomenon") not in Phenomenon.values:
        flash_form_errors(request, failed)  # no section to show it in: above the page, never silent
    return render(request, "partners/phenomena.html", {"region": region, "rows": rows})


@login_required
@require_POST
def phenomenon_receiver_reset(request: AuthenticatedHttpRequest, phenomenon: str) -> HttpResponse:
    region = managed_region(request.user)
    if phenomenon not in Phenomenon.values:
        raise Http404
    try:
        services.reset_phenomenon_receiver(region, actor=request.user, phenomenon=phenomenon)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Voor dit fenomeen geldt weer de landelijke standaard."))
    return redirect("partners:phenomena")
