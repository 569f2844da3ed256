"""Every write to routes: installing a region's route, starting a signal on it, moving it on by events and by hand."""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.accounts.permissions import ensure_af_of
from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.core.dates import long_date
from meldroute.core.exceptions import DomainError
from meldroute.core.jobs import claim_send_audit
from meldroute.core.language import recorded
from meldroute.core.workdays import add_working_days
from meldroute.intake.constants import SignalStatus
from meldroute.intake.models import Signal
from meldroute.intake.services import config, responsible_afs
from meldroute.notifications.constants import Kind
from meldroute.notifications.services import notify, wanting_mail
from meldroute.organisations.models import Region
from meldroute.partners.constants import PartnerType

from .constants import EVENT_FOR_ACTION, FACTS, Decision, MeetingKind, Side, StepAction, StepActor, StepState
from .models import RouteDefinition, RouteStep, SignalRoute, SignalRouteStep, StepFields

logger = logging.getLogger(__name__)


# --- Route definitions ---------------------------------------------------------------------------

def _fail(message: str, field: str = "steps") -> DomainError:
    return DomainError(message, field=field)


def _storable(text: str) -> bool:
    """Whether a text can be stored: a YAML or JSON escape ("\\0", "\\ud800") can put a NUL character in a route,
    which PostgreSQL refuses in text and JSON, or half a unicode character, which no database takes."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def _ensure_storable(where: str, *texts: str, field: str = "steps") -> None:
    if not all(_storable(text) for text in texts):
        raise _fail(_("%(where)s bevat een teken dat niet kan worden opgeslagen (een nul-teken of een half "
                      "unicode-teken). Verwijder het.") % {"where": where}, field=field)


# The values a text fact may take. Side and decision are the route's own; the apps that record the other facts
# (triage: forms, assessment) register theirs when they load, as routing may not import them.
_FACT_VALUES: dict[str, frozenset[str]] = {"side": frozenset(Side.values), "decision": frozenset(Decision.values)}


def register_fact_values(fact: str, values: Iterable[str]) -> None:
    """Declare which values a route condition may test `fact` against (a typo would make a step never match)."""
    if fact not in FACTS:
        raise ValueError(f"unknown route fact {fact!r}")
    _FACT_VALUES[fact] = frozenset(values)


def _validate_conditions(conditions, where: str) -> dict:
    if conditions in (None, ""):
        return {}
    if not isinstance(conditions, dict):
        raise _fail(_("%(where)s: 'when' moet een lijst van kenmerk: waarde zijn.") % {"where": where})
    clean = {}
    for key, value in conditions.items():
        fact = key[4:] if key.startswith("not_") else key
        if fact not in FACTS:
            raise _fail(_("%(where)s: onbekend routekenmerk '%(key)s'. Bekend zijn: %(known)s.")
                        % {"where": where, "key": key, "known": ", ".join(FACTS)})
        values = value if isinstance(value, list) else [value]
        for item in values:
            if FACTS[fact] is bool and not isinstance(item, bool):
                raise _fail(_("%(where)s: '%(key)s' is ja of nee (true/false).") % {"where": where, "key": key})
            if FACTS[fact] is not bool and not isinstance(item, str):
                raise _fail(_("%(where)s: '%(key)s' verwacht tekst.") % {"where": where, "key": key})
            if isinstance(item, str):
                _ensure_storable(where, item)
                known = _FACT_VALUES.get(fact)
                if known is not None and item not in known:
                    raise _fail(_("%(where)s: '%(value)s' is geen waarde van '%(key)s'. Mogelijk zijn: %(known)s.")
                                % {"where": where, "value": item, "key": key, "known": ", ".join(sorted(known))})
        clean[key] = value
    return clean


def validate_route_data(data) -> dict:
    """Check a route (from a preset, YAML import or the editor) and return it normalised; Dutch messages."""
    if not isinstance(data, dict):
        raise _fail(_("Een meldroute is een beschrijving met een naam en stappen."), field="name")
    name = str(data.get("name") or "").strip()
    if not name:
        raise _fail(_("Geef de meldroute een naam."), field="name")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise _fail(_("Een meldroute heeft minstens één stap."))
    steps, keys = [], set()
    targets = {StepAction.REFER: set(PartnerType.values) | {""}, StepAction.INFORM: set(PartnerType.values) | {""},
               StepAction.MEETING: set(MeetingKind.values)}
    for index, raw in enumerate(raw_steps, start=1):
        where = _("Stap %(n)s") % {"n": index}
        if not isinstance(raw, dict):
            raise _fail(_("%(where)s is geen stap.") % {"where": where})
        key = str(raw.get("key") or "").strip()
        bare = key.replace("-", "").replace("_", "")
        if not key or len(key) > 64 or not (bare.isascii() and bare.isalnum()):  # a SlugField of 64
            raise _fail(_("%(where)s heeft een sleutel nodig (letters, cijfers, - en _; hoogstens 64 tekens).")
                        % {"where": where})
        if key in keys:
            raise _fail(_("%(where)s: de sleutel '%(key)s' komt twee keer voor.") % {"where": where, "key": key})
        keys.add(key)
        title = str(raw.get("title") or "").strip()
        if not title:
            raise _fail(_("%(where)s heeft een titel nodig.") % {"where": where})
        actor, action = raw.get("actor"), raw.get("action")
        if actor not in StepActor.values:
            raise _fail(_("%(where)s: onbekende actor '%(v)s'. Kies uit: %(ok)s.")
                        % {"where": where, "v": actor, "ok": ", ".join(StepActor.values)})
        if action not in StepAction.values:
            raise _fail(_("%(where)s: onbekende actie '%(v)s'. Kies uit: %(ok)s.")
                        % {"where": where, "v": action, "ok": ", ".join(StepAction.values)})
        raw_target = raw.get("target") or ""
        # A refer or inform step may name several partner types: any of them completes it (seed 003 §5.1:
        # "direct overlegd met AVIM, Veilig Thuis en/of Arbeidsinspectie").
        step_targets = ([str(t) for t in raw_target] if isinstance(raw_target, list)
                        else [t.strip() for t in str(raw_target).split(",")])
        step_targets = [t for t in step_targets if t] or [""]
        allowed_targets = targets.get(action, {""})
        for one in step_targets:
            if one not in allowed_targets or (len(step_targets) > 1 and action == StepAction.MEETING):
                raise _fail(_("%(where)s: '%(v)s' past niet bij de actie '%(a)s'.")
                            % {"where": where, "v": one or "—", "a": action})
        target = ",".join(step_targets)
        alongside = raw.get("alongside", False)
        if not isinstance(alongside, bool):
            raise _fail(_("%(where)s: 'alongside' is ja of nee (true/false).") % {"where": where})
        position = raw.get("position", index)
        if not isinstance(position, int) or isinstance(position, bool) or not 1 <= position <= 10_000:
            raise _fail(_("%(where)s: de volgorde is een heel getal vanaf 1.") % {"where": where})
        deadline = raw.get("deadline") or {}
        if not isinstance(deadline, dict) or set(deadline) - {"hours", "working_days"}:
            raise _fail(_("%(where)s: een termijn is 'hours' of 'working_days'.") % {"where": where})
        for unit in deadline.values():
            if not isinstance(unit, int) or isinstance(unit, bool) or not 0 < unit <= 10_000:
                raise _fail(_("%(where)s: een termijn is een positief heel getal.") % {"where": where})
        number, description = str(raw.get("number") or "")[:16], str(raw.get("description") or "")
        step_source = str(raw.get("source") or "").strip()[:500].strip()
        _ensure_storable(where, number, title, description, step_source)
        steps.append({
            "key": key, "position": position, "number": number, "title": title[:200],
            "description": description, "actor": actor, "action": action, "target": target,
            "conditions": _validate_conditions(raw.get("when"), where),
            "deadline_hours": deadline.get("hours"), "deadline_working_days": deadline.get("working_days"),
            "alongside": alongside, "source": step_source,
        })
    preset, description = str(data.get("preset") or "")[:64], str(data.get("description") or "")
    source = str(data.get("source") or "")[:300]
    _ensure_storable(_("De meldroute"), name, preset, description, source, field="name")
    return {"name": name[:120], "preset": preset, "description": description, "source": source, "steps": steps}


def route_as_data(definition: RouteDefinition) -> dict:
    """The inverse of validate_route_data: what the YAML export writes and the editor starts from."""
    steps = []
    for step in definition.steps.all():
        target: str | list[str] = step.target.split(",") if "," in step.target else step.target
        item = {"key": step.key, "position": step.position, "number": step.number, "title": step.title,
                "description": step.description, "actor": step.actor, "action": step.action, "target": target,
                "when": step.conditions, "deadline": {}, "alongside": step.alongside or None, "source": step.source}
        if step.deadline_hours:
            item["deadline"]["hours"] = step.deadline_hours
        if step.deadline_working_days:
            item["deadline"]["working_days"] = step.deadline_working_days
        steps.append({k: v for k, v in item.items() if v not in ("", {}, None)})
    return {"name": definition.name, "preset": definition.preset, "description": definition.description,
            "source": definition.source, "steps": steps}


def install_route(region: Region, data: dict, *, actor, preset: str = "") -> RouteDefinition:
    """Make `data` the region's active route. The previous route stays, inactive, for the signals on it."""
    clean = validate_route_data(data)
    with transaction.atomic():
        previous = (RouteDefinition.objects.select_for_update().filter(region=region, is_active=True).first())
        version = 1
        if previous is not None:
            previous.is_active = False
            previous.save(update_fields=["is_active", "updated_at"])
            version = previous.version + 1
        definition = RouteDefinition.objects.create(
            region=region, name=clean["name"], preset=preset or clean["preset"], description=clean["description"],
            source=clean["source"], version=version, is_active=True)
        RouteStep.objects.bulk_create([RouteStep(route=definition, **step) for step in clean["steps"]])
        record_event(actor=actor, action="route.installed", target_type=target_of(definition),
                     target_uuid=definition.uuid,
                     fields=["name", "steps"], purpose="inrichting meldroute",
                     details={"region": region.slug, "version": version, "preset": definition.preset,
                              "steps": len(clean["steps"])})
    return definition


def install_preset(region: Region, slug: str, *, actor) -> RouteDefinition:
    from .presets import load_preset

    return install_route(region, load_preset(slug), actor=actor, preset=slug)


# --- A signal on its route -----------------------------------------------------------------------

def initial_facts(signal: Signal) -> dict:
    return {"acute": bool(signal.is_acute), "forms": [], "assessment": "", "side": Side.UNKNOWN,
            "prostitution": False, "minor": False, "meldcode": False, "decision": "", "referred": False,
            "partner_outcome": False}


def conditions_match(conditions: dict, facts: dict) -> bool:
    for key, expected in (conditions or {}).items():
        negate = key.startswith("not_")
        fact = key[4:] if negate else key
        wanted = expected if isinstance(expected, list) else [expected]
        value = facts.get(fact)
        if FACTS.get(fact) is list:
            hit = bool(set(value or []) & set(wanted))
        elif FACTS.get(fact) is bool:
            hit = bool(value) in wanted
        else:
            hit = (value or "") in wanted
        if hit == negate:
            return False
    return True


# Who knows when the next table of a kind meets for a signal (meetings registers itself: routing may not import it).
MeetingDates = Callable[[Signal, str, datetime], datetime | None]
_meeting_dates: list[MeetingDates] = []


def register_meeting_dates(source: MeetingDates) -> None:
    if source not in _meeting_dates:
        _meeting_dates.append(source)


def _due(step: StepFields, now: datetime, signal: Signal | None = None) -> datetime | None:
    """A meeting step is due when the next table of its kind meets for the signal (seed 003 §4.2: the weekly
    screeningsoverleg), never later than its own deadline; other steps by their hours or working days."""
    own = _own_due(step, now)
    if step.action == StepAction.MEETING and signal is not None and step.target:
        dates = [when for source in _meeting_dates if (when := source(signal, step.target, now)) is not None]
        if dates:
            return min(dates) if own is None else min(min(dates), own)
    return own


def _own_due(step: StepFields, now: datetime) -> datetime | None:
    if step.deadline_hours:
        return now + timedelta(hours=step.deadline_hours)
    if step.deadline_working_days:
        return add_working_days(now, step.deadline_working_days)
    return None


def _already_happened(step: SignalRouteStep, facts: dict) -> bool:
    """A partner's outcome can come back before the step that waits for it is reached; the route remembers it."""
    return step.action == StepAction.PARTNER_FEEDBACK and bool(facts.get("partner_outcome"))


def _advance(route: SignalRoute, now: datetime) -> tuple[list[SignalRouteStep], list[SignalRouteStep]]:
    """Activate the next group of steps whose conditions hold; skip the ones whose conditions don't.

    A step that runs alongside its group (`alongside`) never holds the route up: the next group comes as soon as
    the group's other steps are done, and the alongside step stays open until its own event."""
    steps = list(route.steps.all())
    if any(s.state == StepState.ACTIVE and not s.alongside for s in steps):
        return [], []
    activated: list[SignalRouteStep] = []
    skipped: list[SignalRouteStep] = []
    for position in sorted({s.position for s in steps if s.state == StepState.PENDING}):
        blocking = False
        for step in (s for s in steps if s.position == position and s.state == StepState.PENDING):
            if conditions_match(step.conditions, route.facts):
                step.state, step.activated_at = StepState.ACTIVE, now
                step.due_at = _due(step, now, route.signal)
                if _already_happened(step, route.facts):
                    step.state, step.completed_at = StepState.DONE, now
                    step.note = recorded("De uitkomst van de ketenpartner was al binnen.")
                else:
                    blocking = blocking or not step.alongside
                activated.append(step)
            else:
                step.state, step.completed_at = StepState.SKIPPED, now
                skipped.append(step)
            step.save(update_fields=["state", "activated_at", "due_at", "completed_at", "note", "updated_at"])
        if blocking:
            break
    if route.finished_at is None and not any(s.state in (StepState.ACTIVE, StepState.PENDING) for s in steps):
        route.finished_at = now
        route.save(update_fields=["finished_at", "updated_at"])
    return activated, skipped


def _step_keys(steps: Iterable[SignalRouteStep]) -> list[str]:
    return [s.key for s in steps]


def start_route(signal: Signal, *, actor) -> SignalRoute | None:
    """Put a new signal on its region's active route (a copy, so later route changes leave it alone)."""
    if (existing := SignalRoute.objects.filter(signal=signal).first()) is not None:
        return existing
    definition = (RouteDefinition.objects.filter(region_id=signal.municipality.region_id, is_active=True)
                  .prefetch_related("steps").first())
    if definition is None:
        return None
    now = timezone.now()
    with transaction.atomic():
        route = SignalRoute.objects.create(signal=signal, municipality_id=signal.municipality_id,
                                           definition=definition, name=definition.name,
                                           version=definition.version, facts=initial_facts(signal))
        SignalRouteStep.objects.bulk_create([
            SignalRouteStep(signal_route=route, **{f: getattr(step, f) for f in StepFields.COPIED_FIELDS})
            for step in definition.steps.all()])
        activated, skipped = _advance(route, now)
        record_event(actor=actor, action="route.started", target_type=target_of(signal), target_uuid=signal.uuid,
                     fields=["route"], purpose="meldroute volgen",
                     details={"route": definition.name, "version": definition.version,
                              "activated": _step_keys(activated), "skipped": _step_keys(skipped)})
    return route


def _route_of(signal: Signal) -> SignalRoute | None:
    return SignalRoute.objects.filter(signal=signal).first()


def _clean_facts(facts: dict) -> dict:
    clean = {}
    for key, value in facts.items():
        if key not in FACTS and key != "refer_to":
            raise DomainError(_("Onbekend routekenmerk '%(key)s'.") % {"key": key}, field=key)
        clean[key] = sorted(set(value)) if FACTS.get(key) is list else value
    return clean


def update_facts(signal: Signal, *, actor, facts: dict,
                 purpose: str = "routekenmerken bijwerken") -> SignalRoute | None:
    """Record what is now known about the signal (by the AF, or from the classification) and move the route on."""
    route = _route_of(signal)
    if route is None:
        return None
    clean = _clean_facts(facts)
    if "side" in clean and clean["side"] not in Side.values:
        raise DomainError(_("Kies of het om een slachtoffer- of dadersignaal gaat."), field="side")
    with transaction.atomic():
        route.facts = {**route.facts, **clean}
        route.save(update_fields=["facts", "updated_at"])
        activated, skipped = _advance(route, timezone.now())
        record_event(actor=actor, action="route.facts_updated", target_type=target_of(signal), target_uuid=signal.uuid,
                     fields=sorted(clean), purpose=purpose,
                     details={"activated": _step_keys(activated), "skipped": _step_keys(skipped)})
    return route


def _complete(steps: list[SignalRouteStep], *, actor, note: str, now: datetime) -> None:
    for step in steps:
        step.state, step.completed_at, step.note = StepState.DONE, now, note[:5000]
        step.completed_by = actor if getattr(actor, "pk", None) else None
        step.save(update_fields=["state", "completed_at", "completed_by", "note", "updated_at"])


# What an event itself tells the route, whether or not a step waits for it.
EVENT_FACTS: dict[str, dict[str, bool]] = {"referral_sent": {"referred": True},
                                           "outcome_returned": {"partner_outcome": True}}


def record_route_event(signal: Signal, *, event: str, actor, target: str = "", facts: dict | None = None,
                       note: str = "") -> list[SignalRouteStep]:
    """Something happened to the signal (picked up, referred, decided in a meeting, feedback given): complete the
    active steps waiting for it, then activate what comes next. Call inside the caller's transaction."""
    route = _route_of(signal)
    if route is None:
        return []
    now = timezone.now()
    facts = {**(facts or {}), **EVENT_FACTS.get(event, {})}
    with transaction.atomic():
        if facts:
            route.facts = {**route.facts, **_clean_facts(facts)}
            route.save(update_fields=["facts", "updated_at"])
        waiting = [s for s in route.steps.filter(state=StepState.ACTIVE)
                   if EVENT_FOR_ACTION.get(s.action) == event
                   and (not s.target or not target or target in s.target.split(","))]
        if event == "meeting_decided" and (facts or {}).get("decision") == Decision.MONITOR:
            waiting = []  # "monitoren": the signal stays on the meeting's agenda
        _complete(waiting, actor=actor, note=note, now=now)
        activated, skipped = _advance(route, now)
        if waiting or facts:
            record_event(actor=actor, action="route.event", target_type=target_of(signal), target_uuid=signal.uuid,
                         fields=["route"], purpose="meldroute volgen",
                         details={"event": event, "target": target, "completed": _step_keys(waiting),
                                  "activated": _step_keys(activated), "skipped": _step_keys(skipped)})
    return waiting


def complete_step(step: SignalRouteStep, *, actor, note: str = "") -> SignalRouteStep:
    """The AF marks an active step as done by hand (for example: discussed with the police by phone)."""
    signal = step.signal_route.signal
    ensure_af_of(actor, signal)
    if step.state != StepState.ACTIVE:
        raise DomainError(_("Deze stap is niet aan de beurt."))
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Schrijf kort wat er in deze stap is gedaan."), field="note")
    now = timezone.now()
    with transaction.atomic():
        _complete([step], actor=actor, note=note, now=now)
        activated, skipped = _advance(step.signal_route, now)
        record_event(actor=actor, action="route.step_completed", target_type=target_of(signal), target_uuid=signal.uuid,
                     fields=["route"], purpose="meldroute volgen",
                     details={"step": step.key, "activated": _step_keys(activated), "skipped": _step_keys(skipped)})
    return step


def closes_with_signal(step: SignalRouteStep) -> bool:
    """A step closing the signal would end: pending or active, except the feedback to the reporter."""
    return step.state in (StepState.PENDING, StepState.ACTIVE) and step.action != StepAction.FEEDBACK


def open_steps(signal: Signal) -> list[SignalRouteStep]:
    """The steps closing the signal would end (closes_with_signal), read afresh."""
    route = _route_of(signal)
    if route is None:
        return []
    return [s for s in route.steps.filter(state__in=[StepState.PENDING, StepState.ACTIVE]) if closes_with_signal(s)]


def end_route(signal: Signal, *, actor, reason: str, steps: Iterable[str] | None = None, note: str = "") -> None:
    """The signal is finished (closed or cancelled): what is still open on its route no longer applies, except
    the feedback to the reporter, which stays owed after closing.

    On closing the AF may choose which open steps end (`steps`, their keys) and say why (`note`, kept on each
    ended step); the steps not chosen stay open and still move on with their events (a partner's outcome)."""
    route = _route_of(signal)
    if route is None:
        return
    now = timezone.now()
    keep_feedback = signal.status == SignalStatus.CLOSED
    chosen = None if steps is None or not keep_feedback else set(steps)
    note = (note or "").strip()[:5000]
    with transaction.atomic():
        open_steps = list(route.steps.filter(state__in=[StepState.PENDING, StepState.ACTIVE]))
        ended = [s for s in open_steps if not (keep_feedback and s.action == StepAction.FEEDBACK)
                 and (chosen is None or s.key in chosen)]
        kept_open = [s for s in open_steps if s.action != StepAction.FEEDBACK and s not in ended]
        for step in ended:
            step.state, step.completed_at, step.ended_with_signal = StepState.SKIPPED, now, True
            if note:
                step.note = note
            step.save(update_fields=["state", "completed_at", "ended_with_signal", "note", "updated_at"])
        feedback = [s for s in open_steps if s not in ended and s not in kept_open]
        if feedback and signal.feedback_sent_at is not None:  # the reporter already has their feedback
            _complete(feedback, actor=actor, note="", now=now)
            feedback = []
        for step in feedback:  # owed to the reporter from now on, whatever stays open beside it
            if step.state == StepState.PENDING:
                step.state, step.activated_at = StepState.ACTIVE, now
                step.due_at = signal.feedback_due_at or _due(step, now)
                step.save(update_fields=["state", "activated_at", "due_at", "updated_at"])
        if not feedback and not kept_open and route.finished_at is None:
            route.finished_at = now
            route.save(update_fields=["finished_at", "updated_at"])
        if kept_open and not any(s.state == StepState.ACTIVE and not s.alongside for s in kept_open):
            _advance(route, now)
        if ended or feedback or kept_open:
            details: dict = {"reason": reason, "skipped": _step_keys(ended), "kept": _step_keys(feedback)}
            if chosen is not None:
                details |= {"kept_open": _step_keys(kept_open), "explained": bool(note)}
            record_event(actor=actor, action="route.ended", target_type=target_of(signal), target_uuid=signal.uuid,
                         fields=["route"], purpose="meldroute volgen", details=details)


def resume_route(signal: Signal, *, actor) -> None:
    """A reopened signal takes up its route again where closing left it, and owes the reporter new feedback."""
    route = _route_of(signal)
    if route is None:
        return
    with transaction.atomic():
        revived = list(route.steps.filter(ended_with_signal=True)) + list(
            route.steps.filter(action=StepAction.FEEDBACK, state__in=[StepState.DONE, StepState.ACTIVE]))
        for step in revived:
            step.state, step.ended_with_signal = StepState.PENDING, False
            step.activated_at = step.due_at = step.completed_at = step.completed_by = None
            step.save(update_fields=["state", "ended_with_signal", "activated_at", "due_at", "completed_at",
                                     "completed_by", "updated_at"])
        route.finished_at = None
        route.save(update_fields=["finished_at", "updated_at"])
        activated, _skipped = _advance(route, timezone.now())
        record_event(actor=actor, action="route.resumed", target_type=target_of(signal), target_uuid=signal.uuid,
                     fields=["route"], purpose="meldroute volgen",
                     details={"revived": _step_keys(revived), "activated": _step_keys(activated)})


# --- Reminders -----------------------------------------------------------------------------------

def send_step_reminders(now: datetime | None = None) -> int:
    """Remind the AFs once per overdue route step (claimed in the database, so a restart never repeats it)."""
    now = now or timezone.now()
    overdue = (SignalRouteStep.objects.overdue(now).filter(reminder_sent_at__isnull=True)
               .select_related("signal_route__signal__municipality", "signal_route__signal__assigned_to"))
    return sum(_remind_step(step, now) for step in overdue)


def _remind_step(step: SignalRouteStep, now: datetime) -> bool:
    signal = step.signal_route.signal

    # Code and link only: a mail never carries personal data.
    return claim_send_audit(
        claim=lambda: SignalRouteStep.objects.filter(pk=step.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now),
        recipients=lambda: [u.email for u in wanting_mail(responsible_afs(signal), Kind.ROUTE_STEP_OVERDUE) if u.email],
        mail="routing/mail/step_reminder",
        context=lambda: {"step": step.title, "ref": signal.reference,
                         "due": long_date(step.due_at, with_time=True) if step.due_at else "",
                         "link": config("BASE_URL") + reverse("triage:signal", args=[signal.uuid])},
        audit=lambda sent_to: (record_event(
            actor=None, action="route.step_reminder_sent", target_type=target_of(signal), target_uuid=signal.uuid,
            fields=["route"], purpose="termijnbewaking", details={"step": step.key, "recipients": len(sent_to)}),
            # in the application too, once, inside the same claim; the reminder above is its mail
            notify(users=responsible_afs(signal), kind=Kind.ROUTE_STEP_OVERDUE, by_mail=False,
                   text=f"Stap '{step.title}' van {signal.reference} is over de termijn",
                   link=reverse("triage:signal", args=[signal.uuid]))))
