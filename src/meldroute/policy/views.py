"""Policy pages: the basisniveau overview and a municipality's page, trainings and awareness, the actiepunten with
their import, the evaluation cadence. Thin: selectors scope (404 outside), services decide and audit."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meldroute.accounts.requests import AuthenticatedHttpRequest
from meldroute.core.exceptions import DomainError
from meldroute.core.forms import add_domain_error
from meldroute.organisations.constants import Team
from meldroute.organisations.models import Organisation

from . import importer, selectors, services
from .constants import ActivityKind
from .effort import effort_of
from .forms import (
    ActionUpdateForm,
    ActivityForm,
    CadenceForm,
    GoalForm,
    ImportForm,
    OwnerForm,
    RecordPartForm,
    TrainingForm,
)
from .models import ActionPoint, ActionUpdate, Activity, Training


def _year_ago(today: date) -> date:
    return today - timedelta(days=365)


@login_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = selectors.region_for(request.user)
    return _render_overview(request, region)


def _render_overview(request: AuthenticatedHttpRequest, region: Any, cadence_form: CadenceForm | None = None,
                     goal_form: GoalForm | None = None) -> HttpResponse:
    cadence = selectors.cadence_for(region)
    keten = selectors.is_ketenregisseur(request.user)
    if keten and cadence_form is None:
        cadence_form = CadenceForm(initial={"every_months": cadence.every_months if cadence else 12,
                                            "last_evaluated_on": cadence.last_evaluated_on if cadence else None,
                                            "source": cadence.source if cadence else ""})
    if keten and goal_form is None:
        goal_form = GoalForm()
    return render(request, "policy/overview.html", {
        "region": region, "rows": selectors.regional_overview(request.user), "cadence": cadence,
        "cadence_form": cadence_form, "goal_form": goal_form, "is_ketenregisseur": keten,
        "goals": region.policy_goals.all()})


@login_required
@require_POST
def cadence(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = selectors.region_for(request.user)
    if not selectors.is_ketenregisseur(request.user):
        raise Http404
    form = CadenceForm(request.POST)
    if form.is_valid():
        try:
            services.set_cadence(actor=request.user, region=region, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("De evaluatiecyclus is vastgelegd."))
            return redirect("policy:overview")
    return _render_overview(request, region, cadence_form=form)


@login_required
@require_POST
def add_goal(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = selectors.region_for(request.user)
    if not selectors.is_ketenregisseur(request.user):
        raise Http404
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            services.add_region_goal(actor=request.user, region=region, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("De doelstelling is toegevoegd."))
            return redirect("policy:overview")
    return _render_overview(request, region, goal_form=form)


@login_required
def municipality(request: AuthenticatedHttpRequest, municipality_uuid: str) -> HttpResponse:
    organisation = selectors.get_municipality_for(request.user, municipality_uuid)
    return _render_municipality(request, organisation)


def _render_municipality(request: AuthenticatedHttpRequest, organisation: Organisation,
                         form: RecordPartForm | None = None) -> HttpResponse:
    may_record = selectors.may_record_for(request.user, organisation)
    if may_record and form is None:
        form = RecordPartForm(region_id=organisation.region_id, initial={"evidence_on": timezone.localdate()})
    today = timezone.localdate()
    years = list(range(today.year, today.year - 5, -1))
    year = request.GET.get("jaar", "")
    if year.isdigit() and int(year) in years:  # a calendar year; else the last 12 months
        start, end = date(int(year), 1, 1), min(date(int(year) + 1, 1, 1), today + timedelta(days=1))
    else:
        year, start, end = "", _year_ago(today), today + timedelta(days=1)
    return render(request, "policy/municipality.html", {
        "m": organisation, "state": selectors.basisniveau_of(organisation, today),
        "history": selectors.recording_history(organisation)[:50], "levels": selectors.level_history(organisation)[:20],
        "form": form if may_record else None, "effort": effort_of(organisation, start, end),
        "effort_since": start, "effort_until": end - timedelta(days=1), "effort_year": year, "years": years})


@login_required
@require_POST
def record_part(request: AuthenticatedHttpRequest, municipality_uuid: str) -> HttpResponse:
    organisation = selectors.get_municipality_for(request.user, municipality_uuid)
    if not selectors.may_record_for(request.user, organisation):
        raise Http404
    form = RecordPartForm(request.POST, region_id=organisation.region_id)
    if form.is_valid():
        try:
            services.record_part(actor=request.user, municipality=organisation, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Vastgelegd."))
            return redirect("policy:municipality", organisation.uuid)
    return _render_municipality(request, organisation, form)


@login_required
def trainings(request: AuthenticatedHttpRequest, municipality_uuid: str) -> HttpResponse:
    organisation = selectors.get_municipality_for(request.user, municipality_uuid)
    return _render_trainings(request, organisation)


def _render_trainings(request: AuthenticatedHttpRequest, organisation: Organisation,
                      training_form: TrainingForm | None = None,
                      activity_form: ActivityForm | None = None) -> HttpResponse:
    today = timezone.localdate()
    may_record = selectors.may_record_for(request.user, organisation)
    if may_record:
        training_form = training_form or TrainingForm(initial={"held_on": today})
        activity_form = activity_form or ActivityForm(initial={"held_on": today, "count": 1})
    coverage = selectors.training_coverage(organisation, today)
    return render(request, "policy/trainings.html", {
        "m": organisation, "coverage": coverage, "team_labels": dict(Team.choices),
        "trainings": Training.objects.filter(municipality=organisation)[:50],
        "activities": Activity.objects.filter(municipality=organisation)[:50],
        "activity_counts": [(ActivityKind(k).label, n, c)
                            for k, n, c in selectors.activity_counts(organisation, coverage.since, today)],
        "training_form": training_form if may_record else None,
        "activity_form": activity_form if may_record else None})


@login_required
@require_POST
def add_training(request: AuthenticatedHttpRequest, municipality_uuid: str) -> HttpResponse:
    organisation = selectors.get_municipality_for(request.user, municipality_uuid)
    if not selectors.may_record_for(request.user, organisation):
        raise Http404
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            services.register_training(actor=request.user, municipality=organisation, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("De training is geregistreerd."))
            return redirect("policy:trainings", organisation.uuid)
    return _render_trainings(request, organisation, training_form=form)


@login_required
@require_POST
def add_activity(request: AuthenticatedHttpRequest, municipality_uuid: str) -> HttpResponse:
    organisation = selectors.get_municipality_for(request.user, municipality_uuid)
    if not selectors.may_record_for(request.user, organisation):
        raise Http404
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            services.register_activity(actor=request.user, municipality=organisation, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("De activiteit is geregistreerd."))
            return redirect("policy:trainings", organisation.uuid)
    return _render_trainings(request, organisation, activity_form=form)


@login_required
def actions(request: AuthenticatedHttpRequest) -> HttpResponse:
    region = selectors.region_for(request.user)
    today = timezone.localdate()
    items = list(selectors.actions_visible_to(request.user).select_related("municipality", "owner"))
    only_overdue = request.GET.get("over") == "1"
    rows = [(a, a.next_due(), a.is_overdue(today)) for a in items]
    if only_overdue:
        rows = [row for row in rows if row[2]]
    themes: dict[str, list[tuple[ActionPoint, date | None, bool]]] = {}
    for row in rows:
        themes.setdefault(f"{row[0].plan} — {row[0].theme}", []).append(row)
    return render(request, "policy/actions.html", {
        "region": region, "themes": themes, "overdue_count": sum(1 for _a, _d, late in rows if late),
        "only_overdue": only_overdue, "may_import": selectors.may_import_actions(request.user)})


@login_required
def action(request: AuthenticatedHttpRequest, action_uuid: str) -> HttpResponse:
    item = selectors.get_action_for(request.user, action_uuid)
    may_update = selectors.may_update_action(request.user, item)
    form: ActionUpdateForm | None = None
    if request.method == "POST":
        if not may_update:
            raise Http404
        form = ActionUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.update_action(actor=request.user, action=item, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("De voortgang is vastgelegd."))
                return redirect("policy:action", item.uuid)
    elif may_update:
        form = ActionUpdateForm(initial={"status": item.status, "happened_on": timezone.localdate()})
    return _render_action(request, item, form)


def _render_action(request: AuthenticatedHttpRequest, item: ActionPoint, form: ActionUpdateForm | None,
                   owner_form: OwnerForm | None = None) -> HttpResponse:
    if owner_form is None and selectors.is_ketenregisseur(request.user):
        owner_form = OwnerForm(region_id=item.region_id, initial={"owner": item.owner})
    return render(request, "policy/action.html", {
        "a": item, "due": item.next_due(), "overdue": item.is_overdue(timezone.localdate()),
        "updates": ActionUpdate.objects.filter(action_point=item).select_related("by"), "form": form,
        "owner_form": owner_form})


@login_required
@require_POST
def action_owner(request: AuthenticatedHttpRequest, action_uuid: str) -> HttpResponse:
    item = selectors.get_action_for(request.user, action_uuid)
    if not selectors.is_ketenregisseur(request.user):
        raise Http404
    form = OwnerForm(request.POST, region_id=item.region_id)
    if form.is_valid():
        try:
            services.set_action_owner(actor=request.user, action=item, owner=form.cleaned_data["owner"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("De eigenaar is vastgelegd."))
            return redirect("policy:action", item.uuid)
    update_form = ActionUpdateForm(initial={"status": item.status, "happened_on": timezone.localdate()})
    return _render_action(request, item, update_form, form)


@login_required
def import_actions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the form; POST "preview": parse and show every row and every line's error; POST "import": import the
    previewed rows (carried as text), all or nothing."""
    selectors.region_for(request.user)
    if not selectors.may_import_actions(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    result: importer.ParseResult | None = None
    payload = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            upload = data.get("file")
            if upload is not None:
                cells = importer.read_upload(upload.name, upload.read())
                file_name = upload.name
            else:
                cells = importer.split_text(data["text"])
                file_name = data.get("file_name") or _("geplakte tekst")
            result = importer.parse_rows(cells)
            if result.ok and request.POST.get("step") == "import":
                record = services.import_actions(actor=request.user, rows=result.rows, plan=data["plan"],
                                                 file_name=file_name, reason=data["reason"])
                messages.success(request, _("Geïmporteerd: %(c)s nieuw, %(w)s gewijzigd, %(u)s ongewijzigd.") % {
                    "c": record.created, "w": record.changed, "u": record.unchanged})
                return redirect("policy:actions")
            if result.ok:
                payload = importer.to_text(result.rows)
                form = ImportForm(initial={"plan": data["plan"], "reason": data["reason"], "text": payload,
                                           "file_name": file_name})
        except DomainError as error:
            add_domain_error(form, error)
            result = None
    return render(request, "policy/import.html", {"form": form, "result": result, "payload": payload})
