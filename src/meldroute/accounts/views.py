"""Logging in and out, the second factor, and the AF's own absence. (The start page is meldroute.homes.)"""

from base64 import b32encode
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device

from meldroute.core.exceptions import DomainError
from meldroute.core.forms import add_domain_error
from meldroute.organisations.models import Organisation

from . import services
from .constants import Role
from .forms import AbsenceForm, LocalLoginForm, OneTimeCodeForm
from .models import User
from .oidc import oidc_enabled
from .oidc_logout import end_session_url
from .permissions import role_required
from .requests import AuthenticatedHttpRequest


class LoginView(auth_views.LoginView):
    """The login page: "Inloggen met uw organisatie-account" when an IdP is configured, next to the local form while
    any organisation still allows a local password (accounts.oidc; local login is switched off per organisation)."""

    authentication_form = LocalLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        with_idp = oidc_enabled()
        context["oidc_enabled"] = with_idp
        context["local_login_shown"] = not with_idp or Organisation.objects.filter(local_login_allowed=True).exists()
        context["local_login_refused"] = context["form"].has_error(NON_FIELD_ERRORS, "local_login_off")
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        with transaction.atomic():
            response: HttpResponse = super().form_valid(form)
            services.record_password_login(form.get_user())
        return response


class LogoutView(auth_views.LogoutView):
    """Logging out (POST only, as Django's): Meldroute's session ends as always. A session that came through the
    organisation's IdP then goes on to the IdP's end-session endpoint, so the IdP's session ends too and the next
    person at a shared workstation is asked for a password again (accounts.oidc_logout, docs/privacy/login.md)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        end_session = end_session_url(request)  # before the logout flushes the session that holds the id_token
        user = request.user  # the logout makes request.user anonymous
        if not end_session:
            with transaction.atomic():
                response: HttpResponse = super().post(request, *args, **kwargs)
                if isinstance(user, User):
                    services.record_logout(user)
            return response
        with transaction.atomic():
            super().post(request, *args, **kwargs)
            if isinstance(user, User):
                services.record_oidc_logout(user, idp_asked_to_end_session=True)
        return HttpResponseRedirect(end_session)


@login_required
@require_http_methods(["GET", "POST"])
@role_required(Role.AF)
def absence(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An AF says when they are away, so acute alerts go to the achtervang."""
    form = AbsenceForm(request.POST or None, initial={"absent_until": request.user.absent_until})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_absence(request.user, actor=request.user, until=form.cleaned_data["absent_until"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Uw afwezigheid is opgeslagen."))
            return redirect("absence")
    colleagues = (User.objects.with_role(Role.AF)
                  .filter(organisation_id=request.user.organisation_id).exclude(pk=request.user.pk))
    return render(request, "accounts/absence.html", {"form": form, "colleagues": colleagues})


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Link an authenticator app: scan the QR code (or type the key), then prove it with one code."""
    if user_has_device(request.user, confirmed=True):
        return redirect("two_factor_verify")
    device = services.start_totp_enrollment(request.user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_totp_enrollment(request.user, device, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            otp_login(request, device)
            messages.success(request, _("Tweestapsverificatie staat aan."))
            return redirect(_next_url(request))
    qr = segno.make(device.config_url, error="m").svg_inline(scale=5, title=_("QR-code voor uw authenticator-app"))
    secret = b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr": qr, "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The second step of logging in: a code from the linked authenticator app."""
    if not user_has_device(request.user, confirmed=True):
        return redirect("two_factor_setup")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify_second_factor(request.user, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})
