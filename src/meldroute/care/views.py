"""The zorgcoördinator's pages: the "Slachtoffers" list and a victim's care trajectory with its panels.

Each action is a plain form POST (htmx-boosted) that calls one service; a refusal comes back at its field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from meldroute.core.exceptions import DomainError
from meldroute.core.forms import flash_form_errors
from meldroute.core.panels import FormBuilder, PanelAction, panel_forms, submit
from meldroute.persons.services import jeugdwet_proposal

from . import selectors, services
from .constants import PLACEMENT_HINTS, PlacementKind
from .forms import EndPlacementForm, MunicipalityForm, PermitForm, PlacementForm, ReflectionForm, StartForm, UpdateForm


@login_required
def victims(request):
    today = timezone.localdate()
    return render(request, "care/list.html", {"rows": selectors.victims_for(request.user, today), "today": today,
                                              "placement_requests": selectors.placement_requests_for(request.user)})


@login_required
@require_POST
def take_placement_request(request, request_uuid):
    """A zorgcoördinator of the region takes up a shelter request of the screeningsoverleg (404 for anyone else)."""
    placement_request = selectors.get_placement_request_for(request.user, request_uuid)
    try:
        services.take_placement_request(placement_request, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("U hebt de aanvraag opvang %(ref)s opgepakt.")
                         % {"ref": placement_request.reference})
    return redirect("care:list")


def _forms_for(care, data=None, which=None) -> dict:
    trajectory = care.trajectory
    today = timezone.localdate()
    builders: dict[str, FormBuilder]
    if trajectory is None:
        builders = {"start": lambda d, p: StartForm(d, prefix=p, initial={
            "started_on": today, "found_municipality": care.person_access.person.case.municipality_id})}
    else:
        builders = {
            "update": lambda d, p: UpdateForm(d, prefix=p, initial={
                "residence_status": trajectory.residence_status, "aangifte_made": trajectory.aangifte_made,
                "aangifte_on": trajectory.aangifte_on, "ended_on": trajectory.ended_on,
                "registered_municipality": trajectory.registered_municipality_id,
                "found_municipality": trajectory.found_municipality_id}),
            "placement": lambda d, p: PlacementForm(d, prefix=p, initial={"started_on": today}),
            "permit": lambda d, p: PermitForm(d, prefix=p),
            "municipality": lambda d, p: MunicipalityForm(d, prefix=p, initial={
                "municipality": trajectory.responsible_municipality_id,
                "reason": trajectory.responsible_override_reason}),
        }
        if not hasattr(trajectory, "reflection_period"):
            builders["reflection"] = lambda d, p: ReflectionForm(d, prefix=p)
    return panel_forms(builders, data, which)


def _render(request, care, forms=None, failed=None):
    person = care.person_access.person
    trajectory = care.trajectory
    today = timezone.localdate()
    context = {"care": care, "person": person, "access": care.person_access, "trajectory": trajectory,
               # What follows from the victim's attributes only when they are shared with the user.
               "today": today, "proposal": jeugdwet_proposal(person) if care.person_access.attributes else [],
               "hints": sorted({PlacementKind(k).label for f in person.exploitation_forms
                                for k in PLACEMENT_HINTS.get(f, ())}) if care.person_access.attributes else []}
    if trajectory is not None:
        period = getattr(trajectory, "reflection_period", None)
        rows = []
        for placement in selectors.placements_of(trajectory):
            form = None
            if care.can_work and placement.ended_on is None:
                form = (failed["form"] if failed and failed["placement"] == placement.pk
                        else EndPlacementForm(prefix=f"end-{placement.uuid.hex[:12]}", initial={"ended_on": today}))
            rows.append({"placement": placement, "form": form})
        context.update({
            "period": period, "placements": rows, "permit_events": selectors.permit_events_of(trajectory),
            "derived": services.derive_responsible_municipality(trajectory.registered_municipality,
                                                                trajectory.found_municipality),
            "expired": bool(period and period.deadline < today),
            "days_left": (period.deadline - today).days if period else None,
            "rule": services.bedenktijd_rule(),
        })
    if care.can_work:
        context["forms"] = forms or _forms_for(care)
    return render(request, "care/trajectory.html", context)


@login_required
def trajectory(request, person_uuid):
    care = selectors.get_care_for(request.user, person_uuid, purpose="zorgtraject inzien")
    return _render(request, care)


ACTIONS: dict[str, PanelAction] = {
    "start": (lambda c, u, d: services.start_trajectory(
        c.person_access.person, actor=u, started_on=d["started_on"], residence_status=d["residence_status"],
        registered_municipality=d["registered_municipality"], found_municipality=d["found_municipality"]),
        _("Het zorgtraject is gestart.")),
    "update": (lambda c, u, d: services.update_trajectory(
        c.trajectory, actor=u, residence_status=d["residence_status"], aangifte_made=d["aangifte_made"],
        aangifte_on=d["aangifte_on"], registered_municipality=d["registered_municipality"],
        found_municipality=d["found_municipality"], ended_on=d["ended_on"]), _("Het zorgtraject is bijgewerkt.")),
    "placement": (lambda c, u, d: services.add_placement(c.trajectory, actor=u, kind=d["kind"],
                                                         provider=d["provider"], started_on=d["started_on"],
                                                         ended_on=d["ended_on"]), _("De opvang is vastgelegd.")),
    "reflection": (lambda c, u, d: services.grant_reflection_period(c.trajectory, actor=u, kind=d["kind"],
                                                                    starts_on=d["starts_on"],
                                                                    granted_on=d["granted_on"]),
                   _("De bedenktijd is vastgelegd.")),
    "permit": (lambda c, u, d: services.record_permit_event(c.trajectory, actor=u, kind=d["kind"],
                                                            occurred_on=d["occurred_on"], note=d["note"]),
               _("De stap is vastgelegd.")),
    "municipality": (lambda c, u, d: services.set_responsible_municipality(
        c.trajectory, actor=u, municipality=d["municipality"], reason=d["reason"]),
        _("De verantwoordelijke gemeente is vastgelegd.")),
}


@login_required
@require_POST
def trajectory_action(request, person_uuid, action):
    if action not in ACTIONS:
        raise Http404
    care = selectors.get_care_for(request.user, person_uuid, purpose="zorgtraject bijwerken")
    if not care.can_work:
        raise Http404
    forms = _forms_for(care, request.POST, which=action)
    if action not in forms:
        raise Http404
    if submit(request, ACTIONS[action], care, forms[action]):
        return redirect("care:trajectory", person_uuid=care.person_access.person.uuid)
    return _render(request, care, forms=forms)


END_PLACEMENT: PanelAction = (lambda p, u, d: services.end_placement(p, actor=u, ended_on=d["ended_on"]),
                               _("De opvang is beëindigd."))


@login_required
@require_POST
def end_placement(request, person_uuid, placement_uuid):
    care = selectors.get_care_for(request.user, person_uuid, purpose="zorgtraject bijwerken")
    if not care.can_work or care.trajectory is None:
        raise Http404
    placement = selectors.get_placement_of(care.trajectory, placement_uuid)
    form = EndPlacementForm(request.POST, prefix=f"end-{placement.uuid.hex[:12]}")
    if submit(request, END_PLACEMENT, placement, form):
        return redirect("care:trajectory", person_uuid=care.person_access.person.uuid)
    if placement.ended_on is not None:  # ended meanwhile: its row has no form any more
        flash_form_errors(request, form)
    return _render(request, care, failed={"placement": placement.pk, "form": form})
