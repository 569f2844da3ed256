"""The beheerder's meldroute pages: read the region's route, choose a preset, edit or import YAML, export YAML.

Views translate HTTP; every change becomes a draft (routing.drafts.save_draft, audited there) that a second beheerder
or the ketenregisseur publishes (routing.draft_views); exporting is yaml_io.export_route.
"""

from dataclasses import dataclass
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from meldroute.accounts.permissions import managed_region
from meldroute.core.exceptions import DomainError
from meldroute.partners.constants import ExploitationForm, PartnerType

from . import admin_selectors as selectors
from .constants import FACTS, Decision, MeetingKind, Side, StepAction, StepActor
from .drafts import open_draft, save_draft
from .forms import PresetForm, RouteImportForm, RouteYamlForm
from .presets import CONCEPT_PRESETS, PRESETS, load_preset
from .yaml_io import dump_route, dump_route_data, export_filename, export_route

# The values of triage.constants.Assessment (triage sits above routing, so the labels are repeated here).
ASSESSMENT_LABELS = {
    "none": gettext_lazy("geen sprake van mensenhandel"),
    "potential": gettext_lazy("potentieel slachtoffer"),
    "suspected": gettext_lazy("vermoedelijk slachtoffer"),
    "actual": gettext_lazy("daadwerkelijk slachtoffer"),
}
FACT_NAMES = {"forms": gettext_lazy("vorm van uitbuiting"), "assessment": gettext_lazy("beoordeling"),
              "side": gettext_lazy("soort signaal"), "decision": gettext_lazy("besluit")}


def _lower(label) -> str:
    text = str(label)
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _value_labels(fact: str) -> dict:
    labels: dict[str, dict] = {
        "forms": {v: _lower(label) for v, label in ExploitationForm.choices},
        "assessment": ASSESSMENT_LABELS,
        "side": {v: _lower(label) for v, label in Side.choices},
        "decision": {v: _lower(label) for v, label in Decision.choices},
    }
    return labels.get(fact, {})


def _bool_condition(fact: str, value: bool) -> str:
    texts = {
        "acute": (_("acuut"), _("niet acuut")),
        "prostitution": (_("prostitutie betrokken"), _("geen prostitutie betrokken")),
        "minor": (_("minderjarige betrokken"), _("geen minderjarige betrokken")),
        "meldcode": (_("meldcode van toepassing"), _("meldcode niet van toepassing")),
    }
    yes, no = texts.get(fact, (fact, _("niet %(fact)s") % {"fact": fact}))
    return yes if value else no


def _one_condition(fact: str, value) -> str:
    values = value if isinstance(value, list) else [value]
    if FACTS.get(fact) is bool:
        return f" {_('of')} ".join(_bool_condition(fact, bool(v)) for v in values)
    labels = _value_labels(fact)
    shown = f" {_('of')} ".join(str(labels.get(v, v)) for v in values)
    return f"{FACT_NAMES.get(fact, fact)} = {shown}"


def describe_conditions(conditions: dict) -> str:
    """A step's condition in plain Dutch: 'alleen als: acuut; niet als besluit = geen mensenhandel'."""
    if not conditions:
        return _("altijd")
    positive = [_one_condition(k, v) for k, v in conditions.items() if not k.startswith("not_")]
    negative = [_("niet als %(c)s") % {"c": _one_condition(k[4:], v)} for k, v in conditions.items()
                if k.startswith("not_")]
    if positive:
        return _("alleen als: %(list)s") % {"list": "; ".join(positive + negative)}
    return "; ".join(negative)


def describe_deadline(hours, working_days) -> str:
    if hours:
        return ngettext("binnen %(n)s uur", "binnen %(n)s uur", hours) % {"n": hours}
    if working_days:
        return ngettext("binnen %(n)s werkdag", "binnen %(n)s werkdagen", working_days) % {"n": working_days}
    return _("geen termijn")


def target_label(action: str, target: str) -> str:
    if not target:
        return ""
    labels = dict((MeetingKind if action == StepAction.MEETING else PartnerType).choices)
    return f" {_('of')} ".join(str(labels.get(one, one)) for one in target.split(","))


@dataclass
class StepView:
    """One route step as the beheerder reads it."""

    number: str
    key: str
    title: str
    description: str
    who: str
    what: str
    target: str
    condition: str
    deadline: str
    source: str = ""  # the plan's paragraph and sentence the step comes from
    alongside: bool = False


def step_view(step) -> StepView:
    """One step (a RouteStep, or a validated step of a draft as a namespace) as the beheerder reads it."""
    actors, actions = dict(StepActor.choices), dict(StepAction.choices)
    return StepView(
        number=step.number, key=step.key, title=step.title, description=step.description,
        who=str(actors.get(step.actor, step.actor)), what=str(actions.get(step.action, step.action)),
        target=target_label(step.action, step.target), condition=describe_conditions(step.conditions),
        deadline=describe_deadline(step.deadline_hours, step.deadline_working_days),
        source=getattr(step, "source", ""), alongside=bool(getattr(step, "alongside", False)))


def step_views(definition) -> list[tuple[int, list[StepView]]]:
    """The steps grouped by position: one group runs at the same time."""
    rows = [(step.position, step_view(step)) for step in definition.steps.all()]
    rows.sort(key=lambda row: row[0])
    return [(position, [view for _p, view in group]) for position, group in groupby(rows, key=lambda row: row[0])]


def _vocabulary() -> dict:
    """What the YAML may say, with the Dutch meaning: shown beside the editor."""
    return {
        "actors": StepActor.choices, "actions": StepAction.choices, "partner_types": PartnerType.choices,
        "meeting_kinds": MeetingKind.choices, "facts": list(FACTS),
        "fact_values": {"forms": ExploitationForm.choices, "assessment": list(ASSESSMENT_LABELS.items()),
                        "side": Side.choices, "decision": Decision.choices},
    }


def _drafted(request, draft) -> HttpResponse:
    messages.success(request, _("Het concept is opgeslagen. Het is pas in gebruik als een andere beheerder of de "
                                "ketenregisseur het publiceert; signalen die al onderweg zijn, houden hun eigen "
                                "route."))
    return redirect("routing:draft", draft.uuid)


def _unchanged(request, error: DomainError) -> HttpResponse | None:
    """Saving what is already in use makes no draft: say so and go back (input shown again would only confuse)."""
    if error.code != "unchanged":
        return None
    messages.info(request, error.message)
    return redirect("routing:manage")


@login_required
def manage(request):
    region = managed_region(request.user)
    versions = list(selectors.route_versions(region))
    counts = selectors.signal_counts(v.id for v in versions)
    active = selectors.active_version(region)
    context = {
        "region": region, "active": active, "steps": step_views(active) if active else [],
        "draft": open_draft(region),
        "preset_label": PRESETS.get(active.preset, "") if active else "",
        "active_count": counts.get(active.id) if active else None,
        "history": [(v, counts.get(v.id, selectors.SignalCount())) for v in versions if not v.is_active],
    }
    return render(request, "routing/manage.html", context)


@login_required
def version(request, route_uuid):
    region = managed_region(request.user)
    definition = selectors.route_version(region, route_uuid)
    count = selectors.signal_counts([definition.id]).get(definition.id, selectors.SignalCount())
    return render(request, "routing/version.html", {"region": region, "definition": definition, "count": count,
                                                    "steps": step_views(definition),
                                                    "preset_label": PRESETS.get(definition.preset, "")})


@login_required
def export(request, route_uuid):
    region = managed_region(request.user)
    definition = selectors.route_version(region, route_uuid)
    text = export_route(definition, actor=request.user)
    response = HttpResponse(text, content_type="text/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(definition)}"'
    return response


@login_required
def choose_preset(request):
    region = managed_region(request.user)
    form = PresetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        slug = form.cleaned_data["preset"]
        try:
            draft = save_draft(region, {**load_preset(slug), "preset": slug}, actor=request.user)
        except DomainError as error:
            if (response := _unchanged(request, error)) is not None:
                return response
            form.add_error("preset", error.message)
        else:
            return _drafted(request, draft)
    presets = []
    for slug, label in PRESETS.items():
        data = load_preset(slug)
        presets.append({"slug": slug, "label": label, "source": data.get("source", ""),
                        "description": data.get("description", ""), "steps": len(data.get("steps") or []),
                        "concept": slug in CONCEPT_PRESETS})
    active = selectors.active_version(region)
    return render(request, "routing/preset.html", {"region": region, "form": form, "presets": presets,
                                                   "active": active})


@login_required
def edit(request):
    region = managed_region(request.user)
    active = selectors.active_version(region)
    draft = open_draft(region)
    if request.method != "POST":
        # The open draft if there is one (the next change builds on it), else the route in use.
        text = dump_route_data(draft.data) if draft else dump_route(active) if active else ""
        base = draft.base_version if draft else active.version if active else 0
        form = RouteYamlForm(initial={"yaml": text, "base_version": base})
    else:
        form = RouteYamlForm(request.POST)
        if form.is_valid():
            try:
                saved = save_draft(region, form.cleaned_data["route"], actor=request.user,
                                   base_version=form.cleaned_data.get("base_version"))
            except DomainError as error:
                if (response := _unchanged(request, error)) is not None:
                    return response
                form.add_error("yaml", error.message)
            else:
                return _drafted(request, saved)
    return render(request, "routing/edit.html", {"region": region, "form": form, "active": active, "draft": draft,
                                                 "vocabulary": _vocabulary()})


@login_required
def import_route(request):
    region = managed_region(request.user)
    form = RouteImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = save_draft(region, form.cleaned_data["route"], actor=request.user)
        except DomainError as error:
            if (response := _unchanged(request, error)) is not None:
                return response
            form.add_error("file", error.message)
        else:
            return _drafted(request, draft)
    return render(request, "routing/import.html", {"region": region, "form": form,
                                                   "active": selectors.active_version(region)})
