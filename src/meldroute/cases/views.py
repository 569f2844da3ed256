"""The case pages: list, case page with its panels, opening a case from a signal, the AF's interventions.

Each action is a plain form POST (htmx-boosted) that calls one service; a refusal comes back at its field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.accounts.permissions import in_role, role_required
from meldroute.audit.selectors import access_log_for
from meldroute.core.exceptions import DomainError
from meldroute.core.forms import add_domain_error, flash_form_errors
from meldroute.core.pagination import paginate
from meldroute.core.panels import PanelAction, panel_forms, submit
from meldroute.intake.models import Signal
from meldroute.organisations.models import Organisation
from meldroute.triage.selectors import add_inbox_summaries

from . import selectors, services
from .constants import ALLOWED_TRANSITIONS, ActionStatus, CaseStatus
from .forms import (
    ActionForm,
    AddressInterventionForm,
    CancelActionForm,
    CompleteActionForm,
    ComplexForm,
    InterventionForm,
    MemberForm,
    OpenCaseForm,
    PostponeActionForm,
    ResultForm,
    StatusForm,
)
from .models import Case
from .permissions import CaseAccess

LIST_TABS = [
    ("mine", _("Mijn casussen")),
    ("open", _("Lopend")),
    ("closed", _("Afgesloten")),
    ("all", _("Alles")),
]


@login_required
def case_list(request):
    # An AF sees the municipality's cases without being on their teams: their work starts at "Lopend".
    default = "open" if in_role(request.user, Role.AF) else "mine"
    view = request.GET.get("weergave", default)
    if view not in dict(LIST_TABS):
        view = default
    today = timezone.localdate()
    page = paginate(request, selectors.case_list_for(request.user, view, today=today), per_page=25)
    context = {
        "page": page, "view": view, "tabs": [(key, label, None) for key, label in LIST_TABS], "today": today,
        "my_overdue": list(selectors.overdue_actions_of(request.user, today=today)[:50]),
        "is_af": in_role(request.user, Role.AF, organisation=True),
        "to_open": list(selectors.signals_to_open_for_zvh(request.user)[:100]),
    }
    return render(request, "cases/list.html", context)


def _forms_for(request, case: Case, data=None, which=None) -> dict:
    """Fresh forms for every panel; the one named `which` is bound to the submitted data."""
    people = User.objects.filter(
        pk__in=[*case.members.filter(ended_at__isnull=True).values_list("user_id", flat=True),
                *User.objects.with_role(Role.AF).filter(organisation_id=case.municipality_id).values_list("pk",
                                                                                                           flat=True)])
    builders = {
        "status": lambda d, p: StatusForm(d, prefix=p, allowed=ALLOWED_TRANSITIONS[case.status]),
        "complex": lambda d, p: ComplexForm(d, prefix=p, initial={"criteria": case.complexity_criteria}),
        "member": lambda d, p: MemberForm(d, prefix=p,
                                          candidates=services.member_candidates(case, "member").select_related(
                                              "organisation").order_by("organisation__name", "last_name")),
        "add_action": lambda d, p: ActionForm(d, prefix=p, people=people.order_by("last_name"),
                                              organisations=Organisation.objects.filter(
                                                  region_id=case.municipality.region_id)),
        "intervention": lambda d, p: InterventionForm(d, prefix=p),
    }
    return panel_forms(builders, data, which)


def _row_prefix(op: str, action) -> str:
    return f"{op}-{action.uuid.hex[:12]}"  # unique field ids per row of the plan


def _render_case(request, access: CaseAccess, forms=None, failed: dict | None = None):
    case, full, manage = access.case, access.sees_whole, access.manages
    today = timezone.localdate()
    context = {"case": case, "case_access": access, "full": full, "can_manage": manage, "today": today,
               "team": selectors.team_of(case), "history": selectors.history_of(case)}
    rows = []
    # A care-only zorgcoördinator sees no plan, except the actions they own themselves.
    actions = selectors.actions_of(case) if full else selectors.actions_of(case).filter(owner_user=request.user)
    for action in actions:
        row = {"action": action, "overdue": action.is_overdue(today),
               "can_finish": action.status == ActionStatus.OPEN and case.is_open and access.may_finish(action)}
        if row["can_finish"]:
            row["forms"] = {op: (failed["form"] if failed and failed["action"] == action.pk and failed["op"] == op
                                 else form_class(prefix=_row_prefix(op, action)))
                            for op, (form_class, _perform, _msg) in ROW_ACTIONS.items()}
        rows.append(row)
    context.update({"rows": rows, "overdue_count": sum(1 for r in rows if r["overdue"])})
    if full:
        context.update({
            "signals": selectors.signals_of(case),
            "interventions": selectors.interventions_of(case),
            "is_af": access.is_af,
            "access_log": access_log_for(case.uuid, limit=20),
        })
    if manage:
        context["forms"] = forms or _forms_for(request, case)
    return render(request, "cases/case.html", context)


@login_required
def case_detail(request, case_uuid):
    return _render_case(request, selectors.get_case_access_for(request.user, case_uuid, purpose="casus inzien"))


# Each panel action: the service call and the success message.
ACTIONS: dict[str, PanelAction] = {
    "status": (lambda c, u, d: services.change_case_status(c, actor=u, to_status=d["to_status"], text=d["text"],
                                                           result=d["result"]), _("De status is gewijzigd.")),
    "complex": (lambda c, u, d: services.mark_complex(c, actor=u, criteria=d["criteria"]),
                _("De criteria zijn vastgelegd.")),
    "member": (lambda c, u, d: services.assign_member(c, actor=u, user=d["user"], role=d["role"]),
               _("Het casusteam is bijgewerkt.")),
    "add_action": (lambda c, u, d: services.add_action(c, actor=u, description=d["description"],
                                                       deadline=d["deadline"], owner_user=d["owner_user"],
                                                       owner_organisation=d["owner_organisation"]),
                   _("De actie staat in het plan van aanpak.")),
    "intervention": (lambda c, u, d: services.record_intervention(
        actor=u, case=c, kind=d["kind"], decided_on=d["decided_on"], legal_basis=d["legal_basis"],
        result=d["result"]), _("De interventie is vastgelegd.")),
}


@login_required
@require_POST
def case_action(request, case_uuid, action):
    if action not in ACTIONS:
        raise Http404
    access = selectors.get_case_access_for(request.user, case_uuid, purpose="casus bijwerken")
    case = access.case
    forms = _forms_for(request, case, request.POST, which=action)
    form = forms[action]
    if submit(request, ACTIONS[action], case, form):
        return redirect("cases:detail", case_uuid=case.uuid)
    case.refresh_from_db()
    # The page offers the status panel to whoever manages the case, the other panels only while it is open.
    if not (access.manages and (action == "status" or case.is_open)):
        flash_form_errors(request, form)
    # 200, not 400: the page with the field errors and the user's input is what htmx must swap in.
    return _render_case(request, access, forms=forms)


ROW_ACTIONS = {
    "complete": (CompleteActionForm, lambda a, u, d: services.complete_action(a, actor=u, note=d["note"]),
                 _("De actie is afgerond.")),
    "cancel": (CancelActionForm, lambda a, u, d: services.cancel_action(a, actor=u, reason=d["reason"]),
               _("De actie is vervallen.")),
    "postpone": (PostponeActionForm, lambda a, u, d: services.postpone_action(a, actor=u, deadline=d["deadline"],
                                                                              reason=d["reason"]),
                 _("De uiterste datum is verschoven.")),
}


@login_required
@require_POST
def case_action_row(request, case_uuid, action_uuid, op):
    if op not in ROW_ACTIONS:
        raise Http404
    access = selectors.get_case_access_for(request.user, case_uuid, purpose="plan van aanpak bijwerken")
    case = access.case
    action = selectors.get_action_of(case, action_uuid)
    if not (access.sees_whole or action.owner_user_id == request.user.pk):
        raise Http404
    form_class, perform, success = ROW_ACTIONS[op]
    form = form_class(request.POST, prefix=_row_prefix(op, action))
    if submit(request, (perform, success), action, form):
        return redirect("cases:detail", case_uuid=case.uuid)
    action.refresh_from_db()
    manage = access.manages
    # As in _render_case and the template: a row offers its forms only while the action and the case are open.
    if not (action.status == ActionStatus.OPEN and case.is_open and access.may_finish(action)
            and (op == "complete" or manage)):
        flash_form_errors(request, form)
    return _render_case(request, access, failed={"op": op, "form": form, "action": action.pk})


@login_required
@require_POST
def end_member(request, case_uuid, member_uuid):
    case = selectors.get_case_for(request.user, case_uuid, purpose="casusteam bijwerken")
    member = selectors.get_member_of(case, member_uuid)
    try:
        services.end_membership(member, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is uit het casusteam.") % {
            "name": member.user.get_full_name() or member.user.username})
    return redirect("cases:detail", case_uuid=case.uuid)


@login_required
@require_POST
def intervention_result(request, intervention_uuid):
    intervention = selectors.get_intervention_for(request.user, intervention_uuid)
    form = ResultForm(request.POST, prefix="result")
    if form.is_valid():
        try:
            services.record_intervention_result(intervention, actor=request.user, result=form.cleaned_data["result"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Het resultaat is vastgelegd."))
    else:
        # Only an empty or too long text gets here: nothing typed is lost by saying so.
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    if intervention.case is not None:
        return redirect("cases:detail", case_uuid=intervention.case.uuid)
    return redirect("cases:interventions")


@login_required
def open_case(request, signal_uuid):
    """Open a case from a signal (the AF's signal page links here), with other signals of the municipality."""
    # 404 unless an AF of the signal's municipality, or the ZVH whose screeningsoverleg decided to start a case.
    signal = selectors.get_signal_for_case_opening(request.user, signal_uuid)
    by_zvh = not in_role(request.user, Role.AF, municipality=True)
    others = (Signal.objects.none() if by_zvh
              else selectors.signals_for_new_case(request.user, signal.municipality_id, exclude_pk=signal.pk))
    candidates = list(others)
    add_inbox_summaries(candidates)  # the inbox's short safe summary beside each code: one query for all
    form = OpenCaseForm(request.POST or None, signals=others, region=signal.municipality.region,
                        summaries={s.pk: getattr(s, "summary", "") for s in candidates})
    if by_zvh:  # the ZVH brings the case into itself, from this one signal
        del form.fields["other_signals"], form.fields["zvh"]
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(actor=request.user,
                                      signals=[signal, *form.cleaned_data.get("other_signals", [])],
                                      title=form.cleaned_data["title"], zvh=form.cleaned_data.get("zvh"))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Casus %(ref)s is geopend.") % {"ref": case.reference})
            return redirect("cases:detail", case_uuid=case.uuid)
    return render(request, "cases/open.html", {"signal": signal, "form": form, "by_zvh": by_zvh,
                                               "existing": selectors.cases_of_signal(request.user, signal)})


@login_required
@role_required(Role.AF, municipality=True)
def interventions(request):
    """The AF's overview of bestuurlijke interventies, including those on an address without a case."""
    user = request.user
    form = AddressInterventionForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_intervention(actor=user, municipality=user.organisation, kind=data["kind"],
                                         decided_on=data["decided_on"], legal_basis=data["legal_basis"],
                                         result=data["result"], address=data["address"],
                                         business_name=data["business_name"], kvk_number=data["kvk_number"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("De interventie is vastgelegd."))
            return redirect("cases:interventions")
    page = paginate(request, selectors.interventions_for(user), per_page=50)
    return render(request, "cases/interventions.html", {"page": page, "form": form,
                                                        "result_form": ResultForm(prefix="result"),
                                                        "statuses": CaseStatus, "action_statuses": ActionStatus})
