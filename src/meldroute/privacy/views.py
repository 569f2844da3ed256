"""The FG's pages. Every one: signed in, the FG role in an organisation (else 404, nothing written), then a selector
that applies persons.permissions.fg_scope and logs, then one service."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import role_required
from meldroute.accounts.requests import AuthenticatedHttpRequest
from meldroute.core.exceptions import DomainError
from meldroute.core.forms import add_domain_error
from meldroute.core.pagination import paginate

from . import selectors, services
from .forms import CorrectionForm, ReasonForm, RestrictionForm, SearchForm
from .services import Export

HANDLE = "verzoek van een betrokkene behandelen (FG)"


def _download(export: Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
@role_required(Role.FG, organisation=True)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find a data subject by BSN or case number; the requests handled so far."""
    form = SearchForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        found = selectors.find_persons(request.user, form.cleaned_data["term"])
    # The persons of the organisation by pseudonym only (no identity: a list, not access-logged), each a way in.
    persons = paginate(request, selectors.persons_for_fg(request.user).order_by("case__reference", "letter"))
    return render(request, "privacy/index.html", {"form": form, "found": found, "page": persons,
                                                  "requests": selectors.requests_for(request.user)})


def _subject_page(request: AuthenticatedHttpRequest, person_uuid: UUID, *, export_form: ReasonForm | None = None,
                  restriction_form: RestrictionForm | None = None) -> HttpResponse:
    # A refused form comes back as 200 with the errors and the input kept: what htmx (hx-boost) swaps in.
    subject = selectors.get_subject_for(request.user, person_uuid, purpose=HANDLE)
    person = subject.person
    restricted = person.restricted_at is not None
    return render(request, "privacy/subject.html", {
        "subject": subject, "person": person,
        "export_form": export_form or ReasonForm(prefix="export"),
        "restriction_form": restriction_form or RestrictionForm(prefix="restrict",
                                                                initial={"restricted": "0" if restricted else "1"}),
    })


@login_required
@role_required(Role.FG, organisation=True)
def subject(request: AuthenticatedHttpRequest, person_uuid: UUID) -> HttpResponse:
    return _subject_page(request, person_uuid)


@login_required
@require_POST
@role_required(Role.FG, organisation=True)
def access_export(request: AuthenticatedHttpRequest, person_uuid: UUID) -> HttpResponse:
    form = ReasonForm(request.POST, prefix="export")
    if form.is_valid():
        subject = selectors.get_subject_for(request.user, person_uuid, purpose=HANDLE)
        try:
            export = services.export_subject_data(subject, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _download(export)
    return _subject_page(request, person_uuid, export_form=form)


@login_required
@require_POST
@role_required(Role.FG, organisation=True)
def restrict(request: AuthenticatedHttpRequest, person_uuid: UUID) -> HttpResponse:
    form = RestrictionForm(request.POST, prefix="restrict")
    if form.is_valid():
        subject = selectors.get_subject_for(request.user, person_uuid, purpose=HANDLE)
        try:
            services.restrict_person(subject.person, actor=request.user, restricted=form.cleaned_data["restricted"],
                                     reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("De beperking van de verwerking is vastgelegd.")
                             if form.cleaned_data["restricted"] else _("De beperking is opgeheven."))
            return redirect("privacy:subject", person_uuid=person_uuid)
    return _subject_page(request, person_uuid, restriction_form=form)


@login_required
@require_http_methods(["GET", "POST"])
@role_required(Role.FG, organisation=True)
def correct(request: AuthenticatedHttpRequest, person_uuid: UUID) -> HttpResponse:
    """Rectification: the form shows the identity, so opening it is logged as such."""
    subject = selectors.get_subject_for(request.user, person_uuid, purpose="rectificatie (AVG art. 16): inzage")
    person = subject.person
    form = CorrectionForm(request.POST or None, person=person, initial=CorrectionForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"confirm_duplicate", "reason"}}
        try:
            services.correct_person(person, actor=request.user, data=data, reason=form.cleaned_data["reason"],
                                    confirm_duplicate=form.cleaned_data["confirm_duplicate"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("De rectificatie is vastgelegd."))
            return redirect("privacy:subject", person_uuid=person_uuid)
    response = render(request, "privacy/correct.html", {"person": person, "form": form})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@role_required(Role.FG, organisation=True)
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        register = services.register_for(request.user)
    except DomainError as error:
        raise Http404 from error
    return render(request, "privacy/register.html", {"register": register})


@login_required
@role_required(Role.FG, organisation=True)
def register_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    if fmt not in {"pdf", "csv"}:
        raise Http404
    try:
        export = services.export_register(actor=request.user, fmt=fmt)
    except DomainError as error:
        raise Http404 from error
    return _download(export)
