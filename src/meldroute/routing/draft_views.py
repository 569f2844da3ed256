"""The route editor's pages: the step table (a draft), the draft with its changes and a sample signal's dry run,
and publishing or refusing it. Views translate HTTP; routing.drafts decides and audits.

Every button works without JavaScript: adding a row and moving a row up or down post the table back and get it
re-drawn (nothing is stored until "Opslaan als concept").
"""

from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meldroute.accounts.permissions import managed_region
from meldroute.core.exceptions import DomainError
from meldroute.organisations.models import Region

from . import admin_selectors as selectors
from . import drafts
from .constants import Decision, DraftStatus, MeetingKind, StepAction, StepActor
from .forms import (
    STEP_HELP,
    DraftDecisionForm,
    RouteMetaForm,
    SampleSignalForm,
    StepForm,
    StepFormSet,
    condition_value,
    deadline_value,
)
from .models import RouteDraft
from .services import route_as_data, validate_route_data
from .views import StepView, describe_conditions, describe_deadline, step_view, target_label

PREFIX = "steps"
ROW_FIELDS = ("key", "position", "number", "title", "description", "actor", "action", "target", "condition",
              "deadline")
MAX_ROWS = 200

# The conditions offered in every step's dropdown; a route's own other conditions are added to them.
COMMON_CONDITIONS: list[dict[str, Any]] = [
    {}, {"acute": True}, {"acute": False}, {"side": ["victim", "both"]}, {"side": ["perpetrator", "both"]},
    {"minor": True}, {"prostitution": True}, {"prostitution": False}, {"meldcode": True},
    {"not_decision": Decision.NO_TRAFFICKING.value},
    *({"decision": value} for value in Decision.values),
]
COMMON_DEADLINES = [(4, None), (8, None), (24, None), (48, None), (72, None),
                    *((None, days) for days in (1, 2, 3, 4, 5, 7, 10, 15, 20, 30))]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def condition_choices(routes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The condition dropdown: the common ones, then every other condition the routes at hand already use."""
    seen: dict[str, str] = {}
    used = [step.get("when") or {} for route in routes for step in route.get("steps") or []]
    for conditions in [*COMMON_CONDITIONS, *used]:
        if isinstance(conditions, dict):
            seen.setdefault(condition_value(conditions), _capital(describe_conditions(conditions)))
    return list(seen.items())


def deadline_choices(routes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    pairs: list[tuple[int | None, int | None]] = [(None, None), *COMMON_DEADLINES]
    for route in routes:
        for step in route.get("steps") or []:
            deadline = step.get("deadline") or {}
            if isinstance(deadline, dict):
                pairs.append((deadline.get("hours"), deadline.get("working_days")))
    choices: dict[str, str] = {}
    for hours, days in pairs:
        choices.setdefault(deadline_value(hours, days), _capital(describe_deadline(hours, days)))
    # Working days first (the usual unit), then hours, each ascending.
    return sorted(choices.items(), key=lambda item: (item[0][:1] != "", item[0].startswith("h"),
                                                     int(item[0].lstrip("hwd") or 0)))


def _target_value(target: Any) -> str:
    return ",".join(str(t) for t in target) if isinstance(target, list) else str(target or "")


def _row(step: dict[str, Any]) -> dict[str, Any]:
    deadline = step.get("deadline") or {}
    return {"key": step.get("key", ""), "position": step.get("position", 1), "number": step.get("number", ""),
            "title": step.get("title", ""), "description": step.get("description", ""),
            "actor": step.get("actor", ""), "action": step.get("action", ""),
            "target": _target_value(step.get("target")),
            "condition": condition_value(step.get("when") or {}),
            "deadline": deadline_value(deadline.get("hours"), deadline.get("working_days"))}


def _posted_rows(post: QueryDict) -> list[dict[str, Any]]:
    try:
        total = int(post.get(f"{PREFIX}-TOTAL_FORMS", "0"))
    except ValueError:
        total = 0
    rows = []
    for index in range(max(0, min(total, MAX_ROWS))):
        row: dict[str, Any] = {name: post.get(f"{PREFIX}-{index}-{name}", "") for name in ROW_FIELDS}
        row["DELETE"] = bool(post.get(f"{PREFIX}-{index}-DELETE"))
        rows.append(row)
    return rows


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def rearranged(rows: list[dict[str, Any]], command: str) -> list[dict[str, Any]]:
    """Apply the table's buttons: "add" a row after the last group, "up-N" / "down-N" swap row N with its neighbour
    (and their volgnummers, so the order the beheerder sees is the order the route runs)."""
    rows = [dict(row) for row in rows]
    if command == "add" and len(rows) < MAX_ROWS:
        last = max((_int(row["position"]) for row in rows), default=0)
        rows.append({**dict.fromkeys(ROW_FIELDS, ""), "position": last + 1, "actor": StepActor.AF,
                     "action": StepAction.DECIDE, "condition": condition_value({}), "DELETE": False})
        return rows
    direction, _sep, number = command.partition("-")
    index = _int(number, -1)
    other = index - 1 if direction == "up" else index + 1 if direction == "down" else -1
    if 0 <= index < len(rows) and 0 <= other < len(rows):
        rows[index]["position"], rows[other]["position"] = rows[other]["position"], rows[index]["position"]
        rows[index], rows[other] = rows[other], rows[index]
    return rows


def _unique_keys(steps: list[dict[str, Any]]) -> None:
    """A new row gets its key from its title (a key never changes afterwards: signals and history refer to it)."""
    taken = {step["key"] for step in steps if step["key"]}
    for number, step in enumerate(steps, start=1):
        if step["key"]:
            continue
        base = (slugify(step["title"]) or f"stap-{number}")[:56]
        key, suffix = base, 2
        while key in taken:
            key, suffix = f"{base}-{suffix}", suffix + 1
        step["key"] = key
        taken.add(key)


EDITED = {"key", "position", "number", "title", "description", "actor", "action", "target", "when", "deadline"}


def _keep_other_fields(steps: list[dict[str, Any]], base: dict[str, Any]) -> None:
    """What the table does not show (a step's source in the plan, `alongside`, …) stays as the step had it."""
    before = {step.get("key"): step for step in base.get("steps") or [] if isinstance(step, dict)}
    for step in steps:
        for name, value in (before.get(step["key"]) or {}).items():
            if name not in EDITED:
                step.setdefault(name, value)


def target_choices(routes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Combinations of partners the routes at hand already use ("police,veilig_thuis": any of them will do)."""
    combined: dict[str, str] = {}
    for route in routes:
        for step in route.get("steps") or []:
            target = step.get("target") or ""
            value = ",".join(target) if isinstance(target, list) else str(target)
            if "," in value:
                combined.setdefault(value, _field_text("target", value))
    return list(combined.items())


def _editor(request: HttpRequest, region: Region, *, meta: RouteMetaForm, formset: Any,
            draft: RouteDraft | None, status: int = 200) -> HttpResponse:
    return render(request, "routing/draft_edit.html", {
        "region": region, "meta": meta, "formset": formset, "draft": draft, "help": STEP_HELP,
        "active": selectors.active_version(region)}, status=status)


@login_required
def draft_edit(request: HttpRequest) -> HttpResponse:
    """The form editor: the open draft if there is one, else the route in use, as a table of steps."""
    region = managed_region(request.user)
    active = selectors.active_version(region)
    draft = drafts.open_draft(region)
    in_use = route_as_data(active) if active else None
    base: dict[str, Any] = draft.data if draft else in_use or {"name": "", "steps": []}
    base_version = draft.base_version if draft else active.version if active else 0
    kwargs = {"condition_choices": condition_choices([r for r in (base, in_use) if r]),
              "deadline_choices": deadline_choices([r for r in (base, in_use) if r]),
              "target_choices": target_choices([r for r in (base, in_use) if r])}
    if request.method != "POST":
        meta = RouteMetaForm(initial={"name": base.get("name", ""), "description": base.get("description", ""),
                                      "source": base.get("source", ""), "base_version": base_version})
        rows = [_row(step) for step in base.get("steps") or []]
        return _editor(request, region, meta=meta, formset=StepFormSet(prefix=PREFIX, initial=rows,
                                                                       form_kwargs=kwargs), draft=draft)
    command = request.POST.get("do", "save")
    if command != "save":
        meta = RouteMetaForm(initial={name: request.POST.get(name, "") for name in RouteMetaForm.base_fields})
        rows = rearranged(_posted_rows(request.POST), command)
        return _editor(request, region, meta=meta, draft=draft,
                       formset=StepFormSet(prefix=PREFIX, initial=rows, form_kwargs=kwargs))
    meta = RouteMetaForm(request.POST)
    formset = StepFormSet(request.POST, prefix=PREFIX, form_kwargs=kwargs)
    if meta.is_valid() and formset.is_valid():
        kept: list[StepForm] = [form for form in formset.forms
                                if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        steps = sorted((form.as_step() for form in kept), key=lambda step: step["position"])  # stable: rows' order
        _keep_other_fields(steps, base)
        _unique_keys(steps)
        data = {"name": meta.cleaned_data["name"], "description": meta.cleaned_data["description"],
                "source": meta.cleaned_data["source"], "preset": base.get("preset", ""), "steps": steps}
        try:
            saved = drafts.save_draft(region, data, actor=request.user,
                                      base_version=meta.cleaned_data.get("base_version"))
        except DomainError as error:
            meta.add_error(None, error.message)
        else:
            messages.success(request, _("Het concept is opgeslagen. Het is pas in gebruik als een andere beheerder of "
                                        "de ketenregisseur het publiceert."))
            return redirect("routing:draft", saved.uuid)
    return _editor(request, region, meta=meta, formset=formset, draft=draft)


# --- The draft: changes, dry run, decision -------------------------------------------------------------------------

def _as_step(step: dict[str, Any]) -> SimpleNamespace:
    return SimpleNamespace(**step)


def _change_rows(draft: RouteDraft, base: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The differences as the beheerder reads them: per step, each changed field from old to new in Dutch."""
    labels = {"position": _("volgorde"), "number": _("nummer"), "title": _("titel"), "description": _("toelichting"),
              "actor": _("wie"), "action": _("wat"), "target": _("naar / in"), "conditions": _("voorwaarde"),
              "deadline": _("termijn"), "name": _("naam"), "source": _("bron"), "alongside": _("loopt ernaast")}
    rows = []
    for change in drafts.route_changes(base, draft.data):
        fields = []
        names = [field.name for field in change.fields]
        for field in change.fields:
            if field.name.startswith("deadline_"):
                continue
            fields.append({"label": labels.get(field.name, field.name), "old": _field_text(field.name, field.old),
                           "new": _field_text(field.name, field.new)})
        if any(name.startswith("deadline_") for name in names):
            old = {f.name: f.old for f in change.fields}
            new = {f.name: f.new for f in change.fields}
            before, after = _deadlines(change.key, base), _deadlines(change.key, draft.data)
            fields.append({"label": labels["deadline"],
                           "old": describe_deadline(old.get("deadline_hours", before[0]),
                                                    old.get("deadline_working_days", before[1])),
                           "new": describe_deadline(new.get("deadline_hours", after[0]),
                                                    new.get("deadline_working_days", after[1]))})
        rows.append({"kind": change.kind, "key": change.key, "title": change.title, "fields": fields})
    return rows


def _deadlines(key: str, data: dict[str, Any] | None) -> tuple[int | None, int | None]:
    for step in (validate_route_data(data)["steps"] if data else []):
        if step["key"] == key:
            return step["deadline_hours"], step["deadline_working_days"]
    return None, None


def _field_text(name: str, value: Any) -> str:
    if name == "actor":
        return str(dict(StepActor.choices).get(value, value))
    if name == "action":
        return str(dict(StepAction.choices).get(value, value))
    if name == "conditions":
        return describe_conditions(value)
    if name == "alongside":
        return _("ja") if value else _("nee")
    if name == "target" and value and "," in str(value):
        return ", ".join(_field_text("target", one) for one in str(value).split(","))
    if name == "target":
        return target_label(StepAction.MEETING, value) if value in MeetingKind.values else (
            target_label(StepAction.REFER, value) if value else "—")
    return str(value) if value not in ("", None) else "—"


def _walk(data: dict[str, Any], facts: dict[str, Any]) -> list[dict[str, Any]]:
    """The dry run as rows: group number, and per step its title, actor and deadline; skipped groups named too."""
    groups = []
    for group in drafts.dry_run(data, facts):
        steps: list[tuple[StepView, bool, bool]] = [
            (step_view(_as_step(item.step)), item.applies, bool(item.step.get("alongside"))) for item in group.steps]
        groups.append({"order": group.order, "position": group.position, "steps": steps,
                       "parallel": sum(1 for _view, applies, _along in steps if applies) > 1})
    return groups


def _draft_page(request: HttpRequest, region: Region, draft: RouteDraft, *,
                refuse_form: DraftDecisionForm | None = None, error: str = "", status: int = 200) -> HttpResponse:
    base_definition = selectors.version_number(region, draft.base_version) if draft.base_version else None
    base = route_as_data(base_definition) if base_definition else None
    active = selectors.active_version(region)
    sample = SampleSignalForm(request.GET if "side" in request.GET else None)
    walk: list[dict[str, Any]] | None = None
    walk_active: list[dict[str, Any]] | None = None
    if sample.is_bound and sample.is_valid():
        facts = drafts.sample_facts(**sample.cleaned_data)
        walk = _walk(draft.data, facts)
        walk_active = _walk(route_as_data(active), facts) if active else None
    is_open = draft.status == DraftStatus.DRAFT
    steps = [(step["position"], step_view(_as_step(step))) for step in validate_route_data(draft.data)["steps"]]
    grouped: dict[int, list[StepView]] = {}
    for position, view in steps:
        grouped.setdefault(position, []).append(view)
    return render(request, "routing/draft.html", {
        "region": region, "draft": draft, "is_open": is_open, "changes": _change_rows(draft, base),
        "base_definition": base_definition, "active": active, "steps": sorted(grouped.items()),
        "sample": sample, "walk": walk, "walk_active": walk_active,
        "may_publish": is_open and drafts.may_decide(request.user, region)
        and draft.drafted_by_id != request.user.pk,
        "may_decide": is_open and drafts.may_decide(request.user, region),
        "may_edit": is_open and drafts.may_draft(request.user, region),
        "refuse_form": refuse_form or DraftDecisionForm(), "error": error}, status=status)


@login_required
def draft_list(request: HttpRequest) -> HttpResponse:
    region = selectors.reviewing_region(request.user)
    return render(request, "routing/drafts.html", {"region": region,
                                                   "drafts": list(selectors.route_drafts(region)[:50]),
                                                   "may_edit": drafts.may_draft(request.user, region)})


@login_required
def draft(request: HttpRequest, draft_uuid: object) -> HttpResponse:
    region = selectors.reviewing_region(request.user)
    return _draft_page(request, region, selectors.route_draft(region, draft_uuid))


@require_POST
@login_required
def draft_publish(request: HttpRequest, draft_uuid: object) -> HttpResponse:
    region = selectors.reviewing_region(request.user)
    route_draft = selectors.route_draft(region, draft_uuid)
    try:
        definition = drafts.publish_draft(route_draft, actor=request.user)
    except DomainError as error:
        return _draft_page(request, region, route_draft, error=error.message, status=409)
    messages.success(request, _("Het concept is gepubliceerd: versie %(v)s van de meldroute is nu in gebruik. "
                                "Signalen die al onderweg waren, volgen hun eigen versie.") % {"v": definition.version})
    return redirect("routing:draft", route_draft.uuid)


@require_POST
@login_required
def draft_refuse(request: HttpRequest, draft_uuid: object) -> HttpResponse:
    region = selectors.reviewing_region(request.user)
    route_draft = selectors.route_draft(region, draft_uuid)
    form = DraftDecisionForm(request.POST)
    if form.is_valid():
        try:
            drafts.refuse_draft(route_draft, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("reason" if error.field == "reason" else None, error.message)
        else:
            messages.success(request, _("Het concept is afgewezen; de meldroute in gebruik blijft ongewijzigd."))
            return redirect("routing:draft", route_draft.uuid)
    return _draft_page(request, region, route_draft, refuse_form=form)
