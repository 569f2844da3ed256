"""The public form for residents (no account) and the beheerder's switch per municipality.

Views translate HTTP; intake.resident_services decides, counts and audits. The public pages show nothing back but a
receipt code, which is never in a URL and opens nothing."""

from uuid import UUID

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meldroute.accounts.permissions import managed_region
from meldroute.accounts.requests import AuthenticatedHttpRequest
from meldroute.core.exceptions import DomainError
from meldroute.core.forms import add_domain_error
from meldroute.organisations.models import Organisation

from . import resident_services
from .resident_forms import ResidentFormSettingsForm, ResidentSignalForm

RECEIPT_SESSION_KEY = "resident_receipt"


def _municipality(code: str) -> Organisation:
    municipality: Organisation = get_object_or_404(Organisation.objects.municipalities(), code=code)
    return municipality


def _address(request: HttpRequest) -> str:
    # The same client address as the login lock-out (django-axes, proxy-aware); only its keyed hash is stored.
    return str(get_client_ip_address(request) or "unknown")


def _closed(request: HttpRequest, municipality: Organisation, status: int = 200) -> HttpResponse:
    return render(request, "intake/resident/closed.html", {
        "municipality": municipality, "setting": resident_services.resident_form_of(municipality)}, status=status)


@never_cache  # a shared computer must not keep what a resident typed
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    setting = resident_services.resident_form_of(municipality)
    if not setting.is_enabled:
        # Residents land here from the municipality's site: not a 404, but where they can report instead. A POST
        # is refused (403) and stores nothing.
        return _closed(request, municipality, status=403 if request.method == "POST" else 200)
    form = ResidentSignalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            if form.honeypot_filled:
                reference = resident_services.absorb_honeypot(municipality, address=_address(request))
                return _receipt_redirect(request, municipality, reference)
            if form.is_valid():
                signal = resident_services.register_resident_signal(
                    municipality, address=_address(request), data=form.signal_data(),
                    indicators=form.cleaned_data["indicators"])
                return _receipt_redirect(request, municipality, signal.reference)
            status = 400
        except resident_services.ResidentFormClosed:
            return _closed(request, municipality, status=403)
        except resident_services.Throttled as error:
            form.add_error(None, error.message)  # what the resident typed stays in the form
            status = 429
        except DomainError as error:
            add_domain_error(form, error)
            status = 400
    return render(request, "intake/resident/form.html",
                  {"municipality": municipality, "setting": setting, "form": form}, status=status)


def _receipt_redirect(request: HttpRequest, municipality: Organisation, reference: str) -> HttpResponse:
    # In the session, not the URL: a code in a URL ends up in server logs and browser history.
    request.session[RECEIPT_SESSION_KEY] = reference
    return redirect("intake:resident_receipt", code=municipality.code)


@never_cache
@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """Shows the code once, then forgets it; without a code in the session it shows only that there is none."""
    municipality = _municipality(code)
    reference = request.session.pop(RECEIPT_SESSION_KEY, None)
    return render(request, "intake/resident/receipt.html", {
        "municipality": municipality, "reference": reference,
        "setting": resident_services.resident_form_of(municipality)})


# --- The beheerder --------------------------------------------------------------------------------------------------

@login_required
@require_GET
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = managed_region(request.user)  # 404 for anyone but a beheerder
    municipalities = Organisation.objects.municipalities().filter(region=region).order_by("name")
    rows = []
    for municipality in municipalities:
        setting = resident_services.resident_form_of(municipality)
        form = ResidentFormSettingsForm(
            initial={"is_enabled": setting.is_enabled, "local_help_name": setting.local_help_name,
                     "local_help_url": setting.local_help_url},
            auto_id=f"id_{municipality.uuid.hex[:12]}_%s")
        rows.append((municipality, setting, form))
    return render(request, "intake/resident/manage.html", {"region": region, "rows": rows})


@login_required
@require_POST
def update(request: AuthenticatedHttpRequest, municipality_uuid: UUID) -> HttpResponse:
    region = managed_region(request.user)
    municipality = get_object_or_404(Organisation.objects.municipalities(), uuid=municipality_uuid, region=region)
    form = ResidentFormSettingsForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{municipality.name}: {label}: {error}" if label else str(error))
        return redirect("intake:resident_manage")
    try:
        setting = resident_services.set_resident_form(municipality, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        if error.code == "not_found":
            raise Http404 from error
        messages.error(request, error.message)
    else:
        messages.success(request, (_("Het inwonerformulier van %(m)s staat aan.") if setting.is_enabled
                                   else _("Het inwonerformulier van %(m)s staat uit.")) % {"m": municipality.name})
    return redirect("intake:resident_manage")
