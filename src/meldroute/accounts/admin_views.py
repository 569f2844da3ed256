"""The beheerder's user pages: accounts of its own region, roles with two-person approval, deactivation, 2FA reset,
organisation API tokens. Views translate HTTP; accounts.services decides and audits; outside the region: 404."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meldroute.core.exceptions import DomainError
from meldroute.core.forms import add_domain_error

from . import selectors, services
from .admin_forms import (
    AcutePhoneForm,
    AfDutyForm,
    LocalLoginSwitchForm,
    OptionalReasonForm,
    ReasonForm,
    RoleForm,
    TokenForm,
    UserCreateForm,
)
from .constants import Role
from .oidc import oidc_enabled
from .permissions import managed_region
from .requests import AuthenticatedHttpRequest


def _refused(request: HttpRequest, error: DomainError) -> None:
    if error.code == "not_found":
        raise Http404
    messages.error(request, error.message)


def _flash(request: HttpRequest, form: forms.BaseForm) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


@login_required
def users(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = managed_region(request.user)
    # One form per row, each with its own element ids (several forms on one page).
    proposals = [(proposal, ReasonForm(auto_id=f"id_refuse_{proposal.uuid.hex[:12]}_%s"))
                 for proposal in selectors.pending_proposals(request.user)]
    # Per organisation: may its people log in with a local password, or only through the identity provider?
    switches = [(organisation, LocalLoginSwitchForm(
        initial={"allowed": "0" if organisation.local_login_allowed else "1"},
        auto_id=f"id_login_{organisation.uuid.hex[:12]}_%s")) for organisation in selectors.managed_organisations(
            request.user)]
    phones = [(organisation, AcutePhoneForm(initial={"acute_phone": organisation.acute_phone},
                                            auto_id=f"id_phone_{organisation.uuid.hex[:12]}_%s"))
              for organisation in selectors.managed_organisations(request.user) if organisation.is_municipality]
    return render(request, "accounts/beheer/users.html", {
        "region": region, "users": selectors.managed_users(request.user), "proposals": proposals,
        "login_switches": switches, "oidc_enabled": oidc_enabled(), "acute_phones": phones})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = managed_region(request.user)
    form = UserCreateForm(request.POST or None, organisations=selectors.managed_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Het account is aangemaakt, zonder rollen. De gebruiker krijgt een e-mail met "
                                        "een link om zelf een wachtwoord in te stellen."))
            return redirect("accounts:user", user.uuid)
    return render(request, "accounts/beheer/user_form.html", {"region": region, "form": form})


@login_required
def user_detail(request: AuthenticatedHttpRequest, user_uuid: UUID) -> HttpResponse:
    user = selectors.get_managed_user(request.user, user_uuid)
    held = {assignment.role for assignment in user.role_assignments.all()}
    return render(request, "accounts/beheer/user_detail.html", {
        "subject": user, "is_self": user.pk == request.user.pk,
        "proposals": selectors.pending_proposals(request.user, user=user),
        "propose_form": RoleForm(roles={role for role in Role.values if role not in held}, auto_id="id_propose_%s"),
        "revoke_form": RoleForm(roles=held, auto_id="id_revoke_%s"),
        "two_factor_form": ReasonForm(auto_id="id_2fa_%s"), "deactivate_form": ReasonForm(auto_id="id_deactivate_%s"),
        "af_duty_form": AfDutyForm(initial={"duty": user.af_duty}, auto_id="id_duty_%s") if (
            Role.AF in held and user.organisation is not None and user.organisation.is_municipality) else None})


def _user_action(request: AuthenticatedHttpRequest, user_uuid: UUID, action: Callable[..., Any],
                 form_class: type[forms.Form] = ReasonForm, success: str | Callable[[Any], str] = "") -> HttpResponse:
    user = selectors.get_managed_user(request.user, user_uuid)
    form = form_class(request.POST)
    if not form.is_valid():
        _flash(request, form)
        return redirect("accounts:user", user.uuid)
    try:
        result = action(user, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect("accounts:user", user.uuid)


@login_required
@require_POST
def propose_role(request: AuthenticatedHttpRequest, user_uuid: UUID) -> HttpResponse:
    return _user_action(request, user_uuid, services.propose_role, RoleForm, success=lambda proposal: (
        _("De rol is voorgesteld. Een andere beheerder moet het voorstel goedkeuren.") if proposal
        else _("De rol is toegekend.")))


@login_required
@require_POST
def revoke_role(request: AuthenticatedHttpRequest, user_uuid: UUID) -> HttpResponse:
    return _user_action(request, user_uuid, services.revoke_role, RoleForm, success=_("De rol is ingetrokken."))


@login_required
@require_POST
def set_af_duty(request: AuthenticatedHttpRequest, user_uuid: UUID) -> HttpResponse:
    return _user_action(request, user_uuid, services.set_af_duty, AfDutyForm,
                        success=_("De taak als aandachtsfunctionaris is vastgelegd."))


@login_required
@require_POST
def deactivate(request: AuthenticatedHttpRequest, user_uuid: UUID) -> HttpResponse:
    return _user_action(request, user_uuid, services.deactivate_user, success=_("Het account is gedeactiveerd."))


@login_required
@require_POST
def reset_two_factor(request: AuthenticatedHttpRequest, user_uuid: UUID) -> HttpResponse:
    return _user_action(request, user_uuid, services.reset_two_factor,
                        success=_("De tweestapsverificatie is gewist. Bij de volgende keer inloggen koppelt de "
                                  "gebruiker een nieuwe app."))


@login_required
@require_POST
def decide_proposal(request: AuthenticatedHttpRequest, proposal_uuid: UUID, decision: str) -> HttpResponse:
    if decision not in {"goedkeuren", "afwijzen"}:
        raise Http404
    proposal = selectors.get_managed_proposal(request.user, proposal_uuid)
    approve = decision == "goedkeuren"
    form = (OptionalReasonForm if approve else ReasonForm)(request.POST)
    if not form.is_valid():
        _flash(request, form)
        return redirect("accounts:users")
    try:
        if approve:
            services.approve_role(proposal, actor=request.user, reason=form.cleaned_data["reason"])
        else:
            services.refuse_role(proposal, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("De rol is toegekend.") if approve else _("Het voorstel is afgewezen."))
    return redirect("accounts:users")


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = managed_region(request.user)
    form = TokenForm(request.POST or None, organisations=selectors.token_organisations(request.user))
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, secret = services.create_api_token(data["organisation"], actor=request.user, name=data["name"],
                                                      valid_days=data["valid_days"], reason=data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            # Rendered once, never redirected to: the secret is in this response only, and stored nowhere.
            created = {"token": token, "secret": secret}
            form = TokenForm(organisations=selectors.token_organisations(request.user))
    tokens = [(token, ReasonForm(auto_id=f"id_revoke_{token.uuid.hex[:12]}_%s"))
              for token in selectors.managed_tokens(request.user)]
    response = render(request, "accounts/beheer/tokens.html", {
        "region": region, "form": form, "created": created, "tokens": tokens})
    if created:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke_token(request: AuthenticatedHttpRequest, token_uuid: UUID) -> HttpResponse:
    token = selectors.get_managed_token(request.user, token_uuid)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _flash(request, form)
        return redirect("accounts:tokens")
    try:
        services.revoke_api_token(token, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("De API-sleutel is ingetrokken."))
    return redirect("accounts:tokens")


@login_required
@require_POST
def local_login(request: AuthenticatedHttpRequest, organisation_uuid: UUID) -> HttpResponse:
    """Switch the local password login of one organisation of the region on or off (audited by the service)."""
    organisation = selectors.get_managed_organisation(request.user, organisation_uuid)
    form = LocalLoginSwitchForm(request.POST)
    if not form.is_valid():
        _flash(request, form)
        return redirect("accounts:users")
    try:
        services.set_local_login(organisation, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Lokaal inloggen is weer toegestaan voor %(org)s.") % {"org": organisation.name}
                         if form.cleaned_data["allowed"] else
                         _("Lokaal inloggen staat uit voor %(org)s: inloggen kan alleen nog met het "
                           "organisatie-account.") % {"org": organisation.name})
    return redirect("accounts:users")


@login_required
@require_POST
def acute_phone(request: AuthenticatedHttpRequest, organisation_uuid: UUID) -> HttpResponse:
    """Set the number an acute receipt of this municipality tells the reporter to call (audited by the service)."""
    organisation = selectors.get_managed_organisation(request.user, organisation_uuid)
    form = AcutePhoneForm(request.POST)
    if not form.is_valid():
        _flash(request, form)
        return redirect("accounts:users")
    try:
        services.set_acute_phone(organisation, actor=request.user, phone=form.cleaned_data["acute_phone"])
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Het telefoonnummer bij acute signalen van %(org)s is opgeslagen.")
                         % {"org": organisation.name})
    return redirect("accounts:users")

