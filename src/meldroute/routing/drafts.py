"""Changing a region's meldroute in two steps: a beheerder drafts, a second beheerder or the ketenregisseur publishes.

A draft is the route as data (the preset/YAML format). Before publishing, the draft can be compared with the version
in use (`route_changes`) and a sample signal walked through it (`dry_run`, which writes nothing). Publishing installs
the draft through routing.services.install_route; signals already on their way keep their own copy.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import in_role
from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.core.exceptions import DomainError
from meldroute.organisations.models import Region

from .constants import DraftStatus, Side
from .models import RouteDefinition, RouteDraft
from .services import conditions_match, install_route, route_as_data, validate_route_data

PURPOSE = "inrichting meldroute"


# --- Who may draft, who may decide ------------------------------------------------------------------

def _region_of(user: Any) -> Region | None:
    organisation = getattr(user, "organisation", None)
    return organisation.region if organisation is not None else None


def may_draft(user: Any, region: Region) -> bool:
    """A beheerder of the region's own organisations."""
    return in_role(user, Role.BEHEERDER, organisation=True) and _region_of(user) == region


def may_decide(user: Any, region: Region) -> bool:
    """A beheerder of the region or the region's ketenregisseur (RIEC) may publish or refuse a draft."""
    return (in_role(user, Role.BEHEERDER, Role.KETENREGISSEUR, organisation=True)
            and _region_of(user) == region)


def _ensure(allowed: bool) -> None:
    if not allowed:
        raise DomainError(_("U mag de meldroute van deze regio niet wijzigen."), code="forbidden")


# --- The route as data ------------------------------------------------------------------------------

def as_route_data(clean: dict[str, Any]) -> dict[str, Any]:
    """validate_route_data's result back in the preset/YAML format (what install_route and the YAML export take)."""
    steps = []
    for step in clean["steps"]:
        deadline = {unit: step[name] for unit, name in (("hours", "deadline_hours"),
                                                        ("working_days", "deadline_working_days")) if step.get(name)}
        # Fields this module does not know (the engine's own, e.g. `alongside`, `source`) pass through unchanged.
        item = {k: v for k, v in step.items() if k not in ("conditions", "deadline_hours", "deadline_working_days")}
        item |= {"when": step["conditions"], "deadline": deadline}
        steps.append({k: v for k, v in item.items() if v not in ("", {}, None, False)})
    return {"name": clean["name"], "preset": clean["preset"], "description": clean["description"],
            "source": clean["source"], "steps": steps}


def active_route(region: Region) -> RouteDefinition | None:
    return (RouteDefinition.objects.filter(region=region, is_active=True).select_related("region")
            .prefetch_related("steps").first())


def open_draft(region: Region) -> RouteDraft | None:
    return RouteDraft.objects.filter(region=region, status=DraftStatus.DRAFT).select_related("drafted_by").first()


def _current_version(region: Region) -> int:
    active = RouteDefinition.objects.filter(region=region, is_active=True).values_list("version", flat=True).first()
    return active or 0


# --- Writes -----------------------------------------------------------------------------------------

def save_draft(region: Region, data: Any, *, actor: Any, base_version: int | None = None) -> RouteDraft:
    """Keep a change to the region's route as its (one) open draft; nothing changes for signals until publishing.

    `base_version` is the version the beheerder started from: a draft made on an older version would silently undo
    a change published since."""
    _ensure(may_draft(actor, region))
    clean = validate_route_data(data)
    with transaction.atomic():
        active = active_route(region)
        current = active.version if active is not None else 0
        if base_version is not None and base_version != current:
            raise DomainError(_("Intussen is versie %(v)s van de meldroute in gebruik genomen. Open de bewerkpagina "
                                "opnieuw en breng uw wijziging daarin aan.") % {"v": current}, field="steps")
        if active is not None and clean == validate_route_data(route_as_data(active)):
            raise DomainError(_("Er is niets gewijzigd: dit is gelijk aan versie %(v)s, die al in gebruik is.")
                              % {"v": current}, code="unchanged", field="steps")
        draft = RouteDraft.objects.select_for_update().filter(region=region, status=DraftStatus.DRAFT).first()
        created = draft is None
        if draft is None:
            draft = RouteDraft(region=region)
        draft.data, draft.base_version, draft.drafted_by = as_route_data(clean), current, actor
        draft.save()
        record_event(actor=actor, action="route.draft_saved", target_type=target_of(draft), target_uuid=draft.uuid,
                     fields=["steps"], purpose=PURPOSE,
                     details={"region": region.slug, "base_version": current, "new": created,
                              "steps": len(clean["steps"])})
    return draft


def _locked_open(draft: RouteDraft) -> RouteDraft:
    locked = RouteDraft.objects.select_for_update().get(pk=draft.pk)
    if locked.status != DraftStatus.DRAFT:
        raise DomainError(_("Over dit concept is al besloten."))
    return locked


def publish_draft(draft: RouteDraft, *, actor: Any) -> RouteDefinition:
    """Make the draft the region's route in use. Four eyes: never by whoever last changed the draft."""
    _ensure(may_decide(actor, draft.region))
    if draft.drafted_by_id == getattr(actor, "pk", None):
        raise DomainError(_("U heeft dit concept zelf gemaakt of als laatste gewijzigd; een andere beheerder of de "
                            "ketenregisseur moet het publiceren."), code="forbidden")
    with transaction.atomic():
        locked = _locked_open(draft)
        current = _current_version(locked.region)
        if locked.base_version != current:
            raise DomainError(_("Dit concept is gemaakt op versie %(base)s, maar intussen is versie %(v)s in gebruik. "
                                "Wijs het af en maak een nieuw concept op de huidige versie.")
                              % {"base": locked.base_version, "v": current})
        definition = install_route(locked.region, locked.data, actor=actor)
        locked.status, locked.decided_by, locked.decided_at = DraftStatus.PUBLISHED, actor, timezone.now()
        locked.published_as = definition
        locked.save(update_fields=["status", "decided_by", "decided_at", "published_as", "updated_at"])
        record_event(actor=actor, action="route.draft_published", target_type=target_of(locked),
                     target_uuid=locked.uuid, fields=["status"], purpose=PURPOSE,
                     details={"region": locked.region.slug, "version": definition.version,
                              "drafted_by": locked.drafted_by.get_username()})
    draft.refresh_from_db()
    return definition


def refuse_draft(draft: RouteDraft, *, actor: Any, reason: str) -> RouteDraft:
    """Refuse (or, by its maker, withdraw) a draft; the route in use stays as it is. A reason is required."""
    _ensure(may_decide(actor, draft.region))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Schrijf kort waarom het concept wordt afgewezen."), field="reason")
    with transaction.atomic():
        locked = _locked_open(draft)
        withdrawn = locked.drafted_by_id == actor.pk
        # The maker withdrawing its own draft leaves decided_by empty (the database forbids maker = decider).
        locked.status, locked.decided_at, locked.decision_reason = DraftStatus.REFUSED, timezone.now(), reason[:2000]
        locked.decided_by = None if withdrawn else actor
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
        record_event(actor=actor, action="route.draft_refused", target_type=target_of(locked),
                     target_uuid=locked.uuid, fields=["status"], purpose=PURPOSE,
                     details={"region": locked.region.slug, "withdrawn": withdrawn, "reason": reason[:2000]})
    draft.refresh_from_db()
    return draft


# --- Reading a draft: what changed, and a sample signal walked through it ---------------------------

@dataclass(frozen=True)
class FieldChange:
    name: str  # a key of a validated step: title, actor, conditions, deadline_working_days, …
    old: Any
    new: Any


@dataclass(frozen=True)
class StepChange:
    kind: str  # "added", "removed" or "changed"
    key: str
    title: str
    fields: list[FieldChange] = field(default_factory=list)


COMPARED = ("position", "number", "title", "description", "actor", "action", "target", "conditions",
            "deadline_hours", "deadline_working_days")


def route_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> list[StepChange]:
    """Steps added, removed and changed (by key) between two routes in the preset format; the route's own name and
    description count as a change of the step "" (the route)."""
    before = validate_route_data(old) if old else None
    after = validate_route_data(new)
    changes: list[StepChange] = []
    if before is not None:
        route_fields = [FieldChange(name, before[name], after[name]) for name in ("name", "description", "source")
                        if before[name] != after[name]]
        if route_fields:
            changes.append(StepChange("changed", "", after["name"], route_fields))
    old_steps = {step["key"]: step for step in (before["steps"] if before else [])}
    new_steps = {step["key"]: step for step in after["steps"]}
    for key, step in new_steps.items():
        previous = old_steps.get(key)
        if previous is None:
            changes.append(StepChange("added", key, step["title"]))
            continue
        names = [*COMPARED, *sorted((set(previous) | set(step)) - set(COMPARED) - {"key"})]
        fields = [FieldChange(name, previous.get(name), step.get(name)) for name in names
                  if previous.get(name) != step.get(name)]
        if fields:
            changes.append(StepChange("changed", key, step["title"], fields))
    changes += [StepChange("removed", key, step["title"]) for key, step in old_steps.items() if key not in new_steps]
    return changes


# What the beheerder can set about the sample signal; the other facts start as a new signal's do.
SAMPLE_FACTS = ("acute", "side", "minor", "prostitution", "decision")


def sample_facts(*, acute: bool, side: str, minor: bool, prostitution: bool, decision: str = "") -> dict[str, Any]:
    if side not in Side.values:
        raise DomainError(_("Kies of het om een slachtoffer- of dadersignaal gaat."), field="side")
    return {"acute": acute, "forms": [], "assessment": "", "side": side, "prostitution": prostitution,
            "minor": minor, "meldcode": False, "decision": decision}


@dataclass(frozen=True)
class WalkedStep:
    step: dict[str, Any]  # a validated step (validate_route_data's format)
    applies: bool


@dataclass(frozen=True)
class WalkedGroup:
    order: int  # 1, 2, … among the groups that apply; 0 for a group whose steps all are skipped
    position: int
    steps: list[WalkedStep]


def dry_run(data: dict[str, Any], facts: dict[str, Any],
            matches: Callable[[dict[str, Any], dict[str, Any]], bool] = conditions_match) -> list[WalkedGroup]:
    """Which steps a signal with these facts would get, in which order (groups run at the same time), as the route
    engine would activate them. Pure: reads the data, writes nothing, touches no signal."""
    clean = validate_route_data(data)
    groups: list[WalkedGroup] = []
    order = 0
    for position in sorted({step["position"] for step in clean["steps"]}):
        walked = [WalkedStep(step, matches(step["conditions"], facts))
                  for step in clean["steps"] if step["position"] == position]
        applies = any(item.applies for item in walked)
        order += 1 if applies else 0
        groups.append(WalkedGroup(order if applies else 0, position, walked))
    return groups
