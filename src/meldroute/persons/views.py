"""Person pages: add and change a person on a case, the person page (identity, access-logged), and consent.

Each action is a plain form POST (htmx-boosted) that calls one service; a refusal comes back at its field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from meldroute.audit.selectors import access_log_for
from meldroute.cases import selectors as case_selectors
from meldroute.core.exceptions import DomainError
from meldroute.core.forms import add_domain_error, flash_form_errors
from meldroute.core.panels import FormBuilder, PanelAction, panel_forms, submit
from meldroute.triage.constants import NoteSource
from meldroute.triage.models import EnrichmentNote
from meldroute.triage.selectors import get_signal_for_triage

from . import permissions, selectors, services
from .constants import ConsentKind
from .forms import (
    BrpPersonForm,
    ComenshaForm,
    ConsentForm,
    IdentityPurposeForm,
    OverrideForm,
    PersonForm,
    WithdrawForm,
)


def _person_data(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "confirm_duplicate"}


@login_required
def add_person(request, case_uuid):
    case_access = case_selectors.get_case_access_for(request.user, case_uuid, purpose="persoon toevoegen")
    case = case_access.case
    if not permissions.can_edit_persons(case_access) or not case.is_open:
        raise Http404
    form = PersonForm(request.POST or None, roles=permissions.person_roles_for(case_access))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.add_person(case, actor=request.user, data=_person_data(form),
                                         confirm_duplicate=form.cleaned_data["confirm_duplicate"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(pseudonym)s is vastgelegd.") % {"pseudonym": person.pseudonym})
            return redirect("persons:detail", person_uuid=person.uuid)
    # 200 with the errors and the input kept: what htmx swaps in.
    return render(request, "persons/person_form.html", {"case": case, "form": form, "person": None})


@login_required
@require_POST
def person_from_brp(request, note_uuid, index):
    """The AF's one click on a BRP answer on the signal page: take that person into one of the signal's cases."""
    note = (EnrichmentNote.objects.filter(uuid=note_uuid, source=NoteSource.BRP).only("signal_id", "uuid")
            .select_related("signal").first())
    if note is None:
        raise Http404
    signal = get_signal_for_triage(request.user, note.signal.uuid)  # 404 unless an AF of its municipality; logged
    back = redirect(reverse("triage:signal", args=[signal.uuid]) + "#h-notes")
    form = BrpPersonForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return back
    note = EnrichmentNote.objects.get(pk=note.pk)  # now the answer itself (encrypted people), access checked
    case_access = case_selectors.get_case_access_for(request.user, form.cleaned_data["case"],
                                                     purpose="BRP-persoon opnemen in casus")
    try:
        person, created = services.add_person_from_brp(case_access.case, actor=request.user, note=note, index=index,
                                                       role=form.cleaned_data["role"])
    except DomainError as error:
        messages.error(request, error.message)
        return back
    if created:
        messages.success(request, _("%(pseudonym)s is opgenomen in casus %(case)s.")
                         % {"pseudonym": person.pseudonym, "case": case_access.case.reference})
    else:
        messages.info(request, _("Deze persoon staat al op casus %(case)s als %(pseudonym)s.")
                      % {"pseudonym": person.pseudonym, "case": case_access.case.reference})
    return back


@login_required
def edit_person(request, person_uuid):
    access = selectors.get_person_for_edit(request.user, person_uuid)
    person = access.person
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person),
                      roles=permissions.person_roles_for(access.case_access))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(person, actor=request.user, data=_person_data(form),
                                   confirm_duplicate=form.cleaned_data["confirm_duplicate"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("De gegevens zijn bijgewerkt."))
            return redirect("persons:detail", person_uuid=person.uuid)
    return render(request, "persons/person_form.html", {"case": person.case, "form": form, "person": person})


def _render_person(request, access, identity_form=None):
    person = access.person
    kinds = access.consent_kinds if access.full else permissions.CARE_CONSENT_KINDS
    context = {
        "access": access, "person": person, "case": person.case,
        "consents": [c for c in selectors.consents_of(person) if c.kind in kinds and c.withdrawn_at is None],
        "proposal": services.jeugdwet_proposal(person) if access.attributes else [],
        # "Who looked at this" (SPEC F2): for those who see the whole person.
        "access_log": access_log_for(person.uuid, limit=25) if access.full else None,
        "identity_form": identity_form or (IdentityPurposeForm() if access.may_see_identity else None),
    }
    response = render(request, "persons/person.html", context)
    if access.identity:
        response["Cache-Control"] = "no-store"  # an identity shown for one stated purpose must not linger in a cache
    return response


@login_required
def person_detail(request, person_uuid):
    access = selectors.get_person_for(request.user, person_uuid, purpose="persoon inzien")
    return _render_person(request, access)


@login_required
@require_POST
def show_identity(request, person_uuid):
    """The identity, after the user stated why they need it: shown on this response only, the purpose logged."""
    form = IdentityPurposeForm(request.POST)
    if form.is_valid():
        try:
            access = selectors.get_person_for(request.user, person_uuid, purpose="persoon inzien",
                                              identity_purpose=form.cleaned_data["purpose"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return _render_person(request, access)
    access = selectors.get_person_for(request.user, person_uuid, purpose="persoon inzien")
    if not access.may_see_identity:
        raise Http404
    return _render_person(request, access, identity_form=form)


def _consent_forms(request, access, data=None, which=None) -> dict:
    person, kinds = access.person, access.consent_kinds
    approvers = services.approver_candidates(person).exclude(pk=request.user.pk).order_by("last_name")
    builders: dict[str, FormBuilder] = {
        "record": lambda d, p: ConsentForm(d, prefix=p, kinds=kinds, initial={"given_on": timezone.localdate()}),
        "override": lambda d, p: OverrideForm(d, prefix=p, kinds=kinds, approvers=approvers),
        "comensha": lambda d, p: ComenshaForm(d, prefix=p, approvers=approvers),
    }
    if ConsentKind.STATISTICS not in kinds or not person.is_victim or person.registered_with_comensha_at:
        builders.pop("comensha")
    return panel_forms(builders, data, which)


def _render_consent(request, access, forms=None, failed=None):
    person = access.person
    kinds = access.consent_kinds or permissions.CARE_CONSENT_KINDS
    rows = []
    for consent in selectors.consents_of(person):
        if consent.kind not in kinds:
            continue
        form = None
        if access.can_consent and consent.withdrawn_at is None and consent.given:
            form = (failed["form"] if failed and failed["consent"] == consent.pk
                    else WithdrawForm(prefix=f"w-{consent.uuid.hex[:12]}"))
        rows.append({"consent": consent, "form": form})
    context = {
        "access": access, "person": person, "case": person.case, "rows": rows,
        "overrides": [o for o in selectors.overrides_of(person) if o.kind in kinds],
        "forms": (forms or _consent_forms(request, access)) if access.can_consent else {},
    }
    return render(request, "persons/consent.html", context)


@login_required
def consent(request, person_uuid):
    access = selectors.get_person_for(request.user, person_uuid, purpose="toestemming inzien")
    if not access.consent_kinds and not access.full:
        raise Http404
    return _render_consent(request, access)


CONSENT_ACTIONS: dict[str, PanelAction] = {
    "record": (lambda p, u, d: services.record_consent(p, actor=u, kind=d["kind"], given=d["given"],
                                                       given_by=d["given_by"], given_on=d["given_on"],
                                                       partner_type=d["partner_type"]),
               _("De toestemming is vastgelegd.")),
    "override": (lambda p, u, d: services.record_override(p, actor=u, kind=d["kind"], partner_type=d["partner_type"],
                                                          legal_ground=d["legal_ground"], reason=d["reason"],
                                                          approver=d["approver"]),
                 _("De afwijking is vastgelegd met grondslag en akkoord.")),
    "comensha": (lambda p, u, d: services.register_with_comensha(p, actor=u, legal_ground=d["legal_ground"],
                                                                 reason=d["reason"], approver=d["approver"]),
                 _("De persoon is aangemeld bij CoMensha.")),
}


@login_required
@require_POST
def consent_action(request, person_uuid, op):
    if op not in CONSENT_ACTIONS:
        raise Http404
    access = selectors.get_person_for(request.user, person_uuid, purpose="toestemming vastleggen")
    if not access.can_consent:
        raise Http404
    forms = _consent_forms(request, access, request.POST, which=op)
    if op not in forms:
        raise Http404
    if submit(request, CONSENT_ACTIONS[op], access.person, forms[op]):
        return redirect("persons:consent", person_uuid=access.person.uuid)
    return _render_consent(request, access, forms=forms)


@login_required
@require_POST
def withdraw(request, person_uuid, consent_uuid):
    access = selectors.get_person_for(request.user, person_uuid, purpose="toestemming intrekken")
    consent = selectors.get_consent_of(access.person, consent_uuid)
    if not permissions.can_record_consent(access.case_access, access.person, consent.kind):
        raise Http404
    form = WithdrawForm(request.POST, prefix=f"w-{consent.uuid.hex[:12]}")
    if form.is_valid():
        try:
            services.withdraw_consent(consent, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("De toestemming is ingetrokken."))
            return redirect("persons:consent", person_uuid=access.person.uuid)
    consent.refresh_from_db()
    if consent.withdrawn_at is not None or not consent.given:  # withdrawn meanwhile: its row has no form any more
        flash_form_errors(request, form)
    return _render_consent(request, access, failed={"consent": consent.pk, "form": form})
