"""Decisions on cases: opening one from signals, its team, status, plan van aanpak and bestuurlijke interventies.

Each takes the actor, runs in a transaction and writes its audit event in it; refusals are DomainErrors in Dutch.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.accounts.permissions import is_af_of
from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.core.dates import long_date
from meldroute.core.exceptions import DomainError
from meldroute.core.jobs import claim_send_audit
from meldroute.core.language import recorded, recorded_label
from meldroute.intake import events
from meldroute.intake.constants import SignalStatus
from meldroute.intake.forms import clean_kvk_number
from meldroute.intake.models import Signal
from meldroute.intake.services import config
from meldroute.notifications.constants import Kind
from meldroute.notifications.services import wanting_mail
from meldroute.organisations.constants import OrganisationKind
from meldroute.organisations.models import Organisation
from meldroute.triage.constants import Assessment
from meldroute.triage.models import Classification

from .constants import (
    ALLOWED_TRANSITIONS,
    DEFAULT_LEGAL_BASIS,
    REASON_REQUIRED,
    ActionStatus,
    CaseResult,
    CaseRole,
    CaseStatus,
    ComplexityCriterion,
    InterventionKind,
)
from .models import Case, CaseAction, CaseMember, CaseStatusChange, Intervention
from .notifying import notify_action_overdue
from .permissions import case_access, signals_the_zvh_may_open

MAX_DEADLINE_AHEAD = timedelta(days=2 * 365)  # a plan van aanpak looks months ahead, not decades
MAX_DECISION_AHEAD = timedelta(days=365)  # an intervention may be planned (a control day), at most a year ahead
EARLIEST_DATE = date(2000, 1, 1)  # before this a date is a typing error, not history


# --- Who may do what ---------------------------------------------------------------------------------------------

def _label(user: User) -> str:
    return user.get_full_name() or user.username


def _ensure_open(case: Case) -> None:
    if not case.is_open:
        raise DomainError(_("Deze casus is afgesloten. Heropen de casus eerst."))


def _in_region(user: User, case: Case) -> bool:
    return (user.is_active and user.organisation is not None
            and user.organisation.region_id == case.municipality.region_id)


def _check_date(value: Any, field: str) -> date:
    if not isinstance(value, date):
        raise DomainError(_("Vul een geldige datum in, bijvoorbeeld 2026-03-31."), field=field)
    if value < EARLIEST_DATE:
        raise DomainError(_("Een datum vóór 2000 kan niet kloppen; controleer het jaartal."), field=field)
    return value


# --- Opening a case ----------------------------------------------------------------------------------------------

def _next_reference(municipality: Organisation, year: int) -> str:
    prefix = f"CS-{municipality.code}-{year}-"
    # Lock the municipality row so two AFs opening at once don't draw the same number.
    Organisation.objects.select_for_update().filter(pk=municipality.pk).first()
    numbers = [int(ref.removeprefix(prefix)) for ref in
               Case.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
               if ref.removeprefix(prefix).isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def open_case(*, actor: User, signals: Iterable[Signal], title: str, zvh: Organisation | None = None) -> Case:
    """Open a case from one or more signals that are concrete enough: classified as (potential, suspected or
    actual) trafficking, all of one municipality, none cancelled. Completes the route's "casus openen" step."""
    signals = list({s.pk: s for s in signals}.values())
    title = " ".join((title or "").split())
    if not signals:
        raise DomainError(_("Kies minstens één signaal."), field="signals")
    # The AF opens from the signals they see; the ZVH's procesregisseur from the signals the screeningsoverleg gave
    # to the ZVH to start (cases.permissions.signals_the_zvh_may_open), and brings the case into its own ZVH.
    by_zvh = set(signals_the_zvh_may_open(actor).filter(pk__in=[s.pk for s in signals]).values_list("pk", flat=True))
    by_zvh_only = len(by_zvh) == len(signals)
    visible = by_zvh if by_zvh_only else set(
        Signal.objects.visible_to(actor).filter(pk__in=[s.pk for s in signals]).values_list("pk", flat=True))
    if len(visible) != len(signals):
        raise DomainError(_("U kunt alleen signalen gebruiken die u mag inzien."), field="signals", code="forbidden")
    municipalities = {s.municipality_id for s in signals}
    if len(municipalities) != 1:
        raise DomainError(_("Alle signalen van een casus horen bij dezelfde gemeente."), field="signals")
    municipality = signals[0].municipality
    if by_zvh_only and not is_af_of(actor, municipality.pk):
        zvh = actor.organisation
    elif not is_af_of(actor, municipality.pk):
        raise DomainError(_("Alleen een aandachtsfunctionaris van deze gemeente kan een casus openen."),
                          code="forbidden")
    if not title:
        raise DomainError(_("Geef de casus een werktitel (zonder namen)."), field="title")
    if len(title) > 120:
        raise DomainError(_("De werktitel is hoogstens 120 tekens."), field="title")
    for signal in signals:
        if signal.status == SignalStatus.CANCELLED:
            raise DomainError(_("Signaal %(ref)s is geannuleerd en kan geen casus worden.") % {"ref": signal.reference},
                              field="signals")
    concrete = set(Classification.objects.filter(signal__in=signals).exclude(assessment=Assessment.NONE)
                   .values_list("signal_id", flat=True))
    unclassified = [s.reference for s in signals if s.pk not in concrete]
    if unclassified:
        raise DomainError(_("Nog niet concreet genoeg: classificeer eerst als (mogelijk) mensenhandel: %(refs)s.")
                          % {"refs": ", ".join(sorted(unclassified))}, field="signals")
    if zvh is not None and (zvh.kind != OrganisationKind.ZVH or zvh.region_id != municipality.region_id):
        raise DomainError(_("Kies het Zorg- en Veiligheidshuis van de eigen regio."), field="zvh")
    with transaction.atomic():
        case = Case.objects.create(reference=_next_reference(municipality, timezone.localdate().year), title=title,
                                   municipality=municipality, zvh=zvh, opened_by=actor)
        case.signals.set(signals)
        CaseStatusChange.objects.create(case=case, from_status="", to_status=CaseStatus.OPENED, actor=actor,
                                        text=recorded("Geopend vanuit %(refs)s", {
                                            "refs": ", ".join(sorted(s.reference for s in signals))}))
        record_event(actor=actor, action="case.opened", target_type=target_of(case), target_uuid=case.uuid,
                     fields=["title", "signals", "zvh"], purpose="casus openen",
                     details={"signals": len(signals), "zvh": zvh.code if zvh else None})
        for signal in signals:
            events.signal_in_case.send(sender=Signal, instance=signal, actor=actor,
                                       note=recorded("Casus %(ref)s geopend", {"ref": case.reference}))
    return case


def link_signal(case: Case, *, actor: User, signal: Signal) -> Case:
    """Add a later signal about the same situation to the case."""
    case_access(actor, case).ensure_manages()
    _ensure_open(case)
    if not Signal.objects.visible_to(actor).filter(pk=signal.pk, municipality_id=case.municipality_id).exists():
        raise DomainError(_("Kies een signaal van dezelfde gemeente dat u mag inzien."), field="signal")
    if signal.status == SignalStatus.CANCELLED:
        raise DomainError(_("Een geannuleerd signaal kan niet bij een casus."), field="signal")
    if case.signals.filter(pk=signal.pk).exists():
        raise DomainError(_("Dit signaal hoort al bij de casus."), field="signal")
    with transaction.atomic():
        case.signals.add(signal)
        record_event(actor=actor, action="case.signal_linked", target_type=target_of(case), target_uuid=case.uuid,
                     fields=["signals"], purpose="casus bijwerken", details={"signal": str(signal.uuid)})
        events.signal_in_case.send(sender=Signal, instance=signal, actor=actor,
                                   note=recorded("Toegevoegd aan casus %(ref)s", {"ref": case.reference}))
    return case


# --- The case team -----------------------------------------------------------------------------------------------

def mark_complex(case: Case, *, actor: User, criteria: Iterable[str]) -> Case:
    """Record why the case is complex (seed 003 §5.3: several life domains, high safety risk …): only then may a
    procesregisseur of the ZVH take process direction."""
    case_access(actor, case).ensure_manages()
    _ensure_open(case)
    criteria = sorted(set(criteria))
    if not criteria:
        raise DomainError(_("Kies minstens één criterium waarom de casus complex is."), field="criteria")
    if any(c not in ComplexityCriterion.values for c in criteria):
        raise DomainError(_("Onbekend criterium."), field="criteria")
    with transaction.atomic():
        case.is_complex, case.complexity_criteria = True, criteria
        case.save(update_fields=["is_complex", "complexity_criteria", "updated_at"])
        record_event(actor=actor, action="case.marked_complex", target_type=target_of(case), target_uuid=case.uuid,
                     fields=["is_complex", "complexity_criteria"], purpose="casusregie",
                     details={"criteria": criteria})
    return case


def member_candidates(case: Case, role: str) -> QuerySet[User]:
    """Users who may take `role` on this case: of the case's region, with the matching role."""
    users: QuerySet[User] = User.objects.filter(is_active=True, organisation__region_id=case.municipality.region_id)
    if role == CaseRole.CASUSREGISSEUR:
        return users.filter(role_assignments__role__in=[Role.CASUSREGISSEUR, Role.AF]).distinct()
    if role == CaseRole.PROCESREGISSEUR:
        return users.filter(role_assignments__role=Role.PROCESREGISSEUR).distinct()
    if role == CaseRole.ZORGCOORDINATOR:
        return users.filter(role_assignments__role=Role.ZORGCOORDINATOR).distinct()
    # A plain team member: someone of the chain who works on the plan (an AF, a regisseur or a partner contact).
    return users.filter(role_assignments__role__in=[Role.AF, Role.CASUSREGISSEUR, Role.PROCESREGISSEUR,
                                                    Role.ZORGCOORDINATOR, Role.PARTNER]).distinct()


def assign_member(case: Case, *, actor: User, user: User, role: str) -> CaseMember:
    case_access(actor, case).ensure_manages()
    _ensure_open(case)
    if role not in CaseRole.values:
        raise DomainError(_("Kies een rol."), field="role")
    if role == CaseRole.PROCESREGISSEUR and not (case.is_complex and case.complexity_criteria):
        raise DomainError(_("Een procesregisseur is er voor complexe casussen: leg eerst vast waarom deze casus "
                            "complex is."), field="role")
    if not _in_region(user, case) or not member_candidates(case, role).filter(pk=user.pk).exists():
        messages = {
            CaseRole.CASUSREGISSEUR: _("Kies een casusregisseur of aandachtsfunctionaris uit de eigen regio."),
            CaseRole.PROCESREGISSEUR: _("Kies een procesregisseur van het Zorg- en Veiligheidshuis in de eigen regio."),
            CaseRole.ZORGCOORDINATOR: _("Kies een zorgcoördinator mensenhandel uit de eigen regio."),
            CaseRole.MEMBER: _("Kies een medewerker van een ketenpartner of gemeente in de eigen regio."),
        }
        raise DomainError(messages[CaseRole(role)], field="user")
    if case.members.filter(user=user, role=role, ended_at__isnull=True).exists():
        raise DomainError(_("%(name)s heeft deze rol al in de casus.") % {"name": _label(user)}, field="user")
    with transaction.atomic():
        member = CaseMember.objects.create(case=case, user=user, role=role)
        fields = ["members"]
        # A procesregisseur of a ZVH brings the case into that ZVH (its other procesregisseurs then see it too).
        if (role == CaseRole.PROCESREGISSEUR and case.zvh_id is None and user.organisation is not None
                and user.organisation.kind == OrganisationKind.ZVH):
            case.zvh = user.organisation
            case.save(update_fields=["zvh", "updated_at"])
            fields.append("zvh")
        record_event(actor=actor, action="case.member_assigned", target_type=target_of(case), target_uuid=case.uuid,
                     fields=fields, purpose="casusregie", details={"user": user.pk, "role": role})
    return member


def end_membership(member: CaseMember, *, actor: User) -> CaseMember:
    case = member.case
    case_access(actor, case).ensure_manages()
    if member.ended_at is not None:
        raise DomainError(_("Deze persoon is al geen lid meer van het casusteam."))
    with transaction.atomic():
        member.ended_at = timezone.now()
        member.save(update_fields=["ended_at", "updated_at"])
        record_event(actor=actor, action="case.member_ended", target_type=target_of(case), target_uuid=case.uuid,
                     fields=["members"], purpose="casusregie", details={"user": member.user_id, "role": member.role})
    return member


# --- Status ------------------------------------------------------------------------------------------------------

def change_case_status(case: Case, *, actor: User, to_status: str, text: str = "", result: str = "") -> Case:
    """The one transition service: the table decides what may follow; suspending and reopening need a reason,
    closing a result and a plan without open actions."""
    case_access(actor, case).ensure_manages()
    text = (text or "").strip()
    if to_status not in CaseStatus.values:
        raise DomainError(_("Onbekende status."), field="to_status")
    with transaction.atomic():
        # Lock the row and judge the step on the status as committed, as referrals do: of two changes at once (two
        # team members closing, one suspending while another closes), the second waits and then sees the first.
        case.status = Case.objects.select_for_update().values_list("status", flat=True).get(pk=case.pk)
        if to_status not in ALLOWED_TRANSITIONS[case.status]:
            raise DomainError(_("Een casus met status '%(from)s' kan niet naar '%(to)s'.")
                              % {"from": CaseStatus(case.status).label, "to": CaseStatus(to_status).label},
                              field="to_status")
        if to_status in REASON_REQUIRED and not text:
            raise DomainError(_("Geef de reden op."), field="text")
        fields = ["status"]
        if to_status == CaseStatus.CLOSED:
            if result not in CaseResult.values:
                raise DomainError(_("Kies het resultaat van de casus."), field="result")
            if result == CaseResult.OTHER and not text:
                raise DomainError(_("Licht het resultaat 'anders' toe."), field="text")
            open_actions = case.actions.open().count()
            if open_actions:
                raise DomainError(_("Er staan nog %(n)s open acties in het plan van aanpak. Rond ze af of laat ze "
                                    "vervallen voordat u de casus afsluit.") % {"n": open_actions}, field="to_status")
            case.result, case.result_text, case.closed_at = result, text, timezone.now()
            fields += ["result", "result_text", "closed_at"]
        elif to_status == CaseStatus.REOPENED:
            # The earlier result stays in the history row; a reopened case is open again.
            case.result, case.result_text, case.closed_at = "", "", None
            fields += ["result", "result_text", "closed_at"]
        previous = case.status
        case.status = to_status
        case.save(update_fields=[*fields, "updated_at"])
        result_label = recorded_label(CaseResult(result).label) if to_status == CaseStatus.CLOSED else ""
        history = f"{result_label}. {text}".strip() if result_label else text
        CaseStatusChange.objects.create(case=case, from_status=previous, to_status=to_status, actor=actor,
                                        text=history)
        record_event(actor=actor, action="case.status_changed", target_type=target_of(case), target_uuid=case.uuid,
                     fields=fields, purpose="casusregie",
                     details={"from": previous, "to": to_status, "result": result or None})
    return case


# --- Plan van aanpak ---------------------------------------------------------------------------------------------

def _owner(case: Case, owner_user: User | None, owner_organisation: Organisation | None) -> str:
    if (owner_user is None) == (owner_organisation is None):
        raise DomainError(_("Kies één eigenaar: een persoon óf een ketenpartner."), field="owner_user")
    if owner_user is not None:
        in_team = case.members.filter(user=owner_user, ended_at__isnull=True).exists()
        if not (in_team or is_af_of(owner_user, case.municipality_id)) or not owner_user.is_active:
            raise DomainError(_("Kies als eigenaar iemand uit het casusteam of een aandachtsfunctionaris van de "
                                "gemeente."), field="owner_user")
        return _label(owner_user)
    assert owner_organisation is not None
    if owner_organisation.region_id != case.municipality.region_id:
        raise DomainError(_("Kies een ketenpartner uit de eigen regio."), field="owner_organisation")
    return owner_organisation.name


def _check_deadline(deadline: Any, today: date) -> date:
    checked = _check_date(deadline, "deadline")
    if checked < today:
        raise DomainError(_("De uiterste datum ligt in het verleden. Kies vandaag of later."), field="deadline")
    if checked > today + MAX_DEADLINE_AHEAD:
        raise DomainError(_("De uiterste datum ligt meer dan twee jaar vooruit; controleer het jaartal."),
                          field="deadline")
    return checked


def add_action(case: Case, *, actor: User, description: str, deadline: Any, owner_user: User | None = None,
               owner_organisation: Organisation | None = None) -> CaseAction:
    case_access(actor, case).ensure_manages()
    return _create_action(case, actor=actor, description=description, deadline=deadline, owner_user=owner_user,
                          owner_organisation=owner_organisation, purpose="plan van aanpak")


def add_action_from_meeting(case: Case, *, actor: User, description: str, deadline: Any,
                            owner_organisation: Organisation, meeting_label: str) -> CaseAction:
    """An action a meeting table set on a case brought to it (SPEC §2 D2: "per item the meeting records a decision
    (… action, deadline)"): the chair records it in the plan van aanpak without running the case. Only
    meetings.services calls this, after checking that the actor chairs the table and the case was brought to that
    table; the plan's own rules (open case, a deadline not in the past, an owner) still hold here."""
    return _create_action(case, actor=actor, description=description, deadline=deadline, owner_user=None,
                          owner_organisation=owner_organisation, purpose="plan van aanpak (besluit overleg)",
                          note=recorded("Afgesproken in %(meeting)s", {"meeting": meeting_label}),
                          extra={"from_meeting": True})


def _create_action(case: Case, *, actor: User, description: str, deadline: Any, owner_user: User | None,
                   owner_organisation: Organisation | None, purpose: str, note: str = "",
                   extra: dict[str, Any] | None = None) -> CaseAction:
    """The plan's own rules for every new action: an open case, a described action, a deadline not in the past and
    not absurdly far ahead, an owner; one audit event in the same transaction."""
    _ensure_open(case)
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Beschrijf de actie."), field="description")
    if len(description) > 2_000:
        raise DomainError(_("Beschrijf de actie in hoogstens 2000 tekens."), field="description")
    deadline = _check_deadline(deadline, timezone.localdate())
    label = _owner(case, owner_user, owner_organisation)
    with transaction.atomic():
        action = CaseAction.objects.create(case=case, description=description, deadline=deadline,
                                           owner_user=owner_user, owner_organisation=owner_organisation,
                                           owner_label=label, created_by=actor, note=note)
        record_event(actor=actor, action="case.action_added", target_type=target_of(case), target_uuid=case.uuid,
                     fields=["actions"], purpose=purpose,
                     details={"action": str(action.uuid), "deadline": deadline.isoformat(), **(extra or {})})
    return action


def _ensure_action_open(action: CaseAction) -> None:
    if action.status != ActionStatus.OPEN:
        raise DomainError(_("Deze actie is al %(status)s.") % {"status": ActionStatus(action.status).label.lower()})


def postpone_action(action: CaseAction, *, actor: User, deadline: Any, reason: str) -> CaseAction:
    """Move a deadline, explicitly and with a reason (SPEC §4); a new overdue is reminded again."""
    case = action.case
    case_access(actor, case).ensure_manages()
    _ensure_open(case)
    _ensure_action_open(action)
    reason = (reason or "").strip()
    deadline = _check_deadline(deadline, timezone.localdate())
    if not reason:
        raise DomainError(_("Geef de reden voor de nieuwe datum op."), field="reason")
    with transaction.atomic():
        previous = action.deadline
        action.deadline, action.reminder_sent_at = deadline, None
        action.note = "\n".join(filter(None, [action.note, recorded("Verschoven van %(old)s naar %(new)s: %(reason)s", {
            "old": long_date(previous), "new": long_date(deadline), "reason": reason})]))
        action.save(update_fields=["deadline", "reminder_sent_at", "note", "updated_at"])
        record_event(actor=actor, action="case.action_postponed", target_type=target_of(case), target_uuid=case.uuid,
                     fields=["actions"], purpose="plan van aanpak",
                     details={"action": str(action.uuid), "from": previous.isoformat(), "to": deadline.isoformat()})
    return action


def complete_action(action: CaseAction, *, actor: User, note: str = "") -> CaseAction:
    # The owner does the work, so the owner may say it is done — as may the case's regie.
    if not case_access(actor, action.case).may_finish(action):
        raise DomainError(_("Alleen de eigenaar of de casusregie kan deze actie afronden."), code="forbidden")
    _ensure_action_open(action)
    note = (note or "").strip()
    with transaction.atomic():
        action.status, action.done_at = ActionStatus.DONE, timezone.now()
        action.note = "\n".join(filter(None, [action.note, note]))
        action.save(update_fields=["status", "done_at", "note", "updated_at"])
        record_event(actor=actor, action="case.action_completed", target_type=target_of(action.case),
                     target_uuid=action.case.uuid,
                     fields=["actions"], purpose="plan van aanpak", details={"action": str(action.uuid)})
    return action


def cancel_action(action: CaseAction, *, actor: User, reason: str) -> CaseAction:
    case_access(actor, action.case).ensure_manages()
    _ensure_action_open(action)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Geef de reden op waarom de actie vervalt."), field="reason")
    with transaction.atomic():
        action.status, action.done_at = ActionStatus.CANCELLED, timezone.now()
        action.note = "\n".join(filter(None, [action.note, recorded("Vervallen: %(reason)s", {"reason": reason})]))
        action.save(update_fields=["status", "done_at", "note", "updated_at"])
        record_event(actor=actor, action="case.action_cancelled", target_type=target_of(action.case),
                     target_uuid=action.case.uuid,
                     fields=["actions"], purpose="plan van aanpak", details={"action": str(action.uuid)})
    return action


def send_action_reminders(now: datetime | None = None) -> int:
    """Remind once per overdue action (claimed in the database, so a restart never repeats it): the owner, or the
    casusregisseur when a partner organisation owns it (falling back to the municipality's AFs)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue = (CaseAction.objects.overdue(today).filter(reminder_sent_at__isnull=True, case__closed_at__isnull=True)
               .select_related("case", "owner_user"))
    return sum(_remind_action(action, now) for action in overdue)


def _remind_action(action: CaseAction, now: datetime) -> bool:
    case = action.case

    def people() -> list[User]:
        if action.owner_user is not None and action.owner_user.is_active:
            return [action.owner_user]
        recipients = [m.user for m in case.members.filter(role=CaseRole.CASUSREGISSEUR, ended_at__isnull=True,
                                                          user__is_active=True).select_related("user")]
        return recipients or list(User.objects.with_role(Role.AF).filter(organisation_id=case.municipality_id,
                                                                          is_active=True))

    def addresses() -> list[str]:  # the reminder is the notification's mail: the owner's choice holds
        return sorted({u.email for u in wanting_mail(people(), Kind.CASE_ACTION_OVERDUE) if u.email})

    def audit(sent_to: Sequence[str]) -> None:
        record_event(actor=None, action="case.action_reminder_sent", target_type=target_of(case),
                     target_uuid=case.uuid, fields=["actions"], purpose="termijnbewaking",
                     details={"action": str(action.uuid), "recipients": len(sent_to)})
        notify_action_overdue(action, people())  # in the application too, once, inside the same claim

    # Code, date and link only: a mail never carries personal data (not even the action's text).
    return claim_send_audit(
        claim=lambda: CaseAction.objects.filter(pk=action.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now),
        recipients=addresses, mail="cases/mail/action_reminder",
        context=lambda: {"ref": case.reference, "due": long_date(action.deadline),
                         "link": config("BASE_URL") + reverse("cases:detail", args=[case.uuid])},
        audit=audit)


# --- Bestuurlijke interventies -----------------------------------------------------------------------------------

def record_intervention(*, actor: User, kind: str, decided_on: Any, legal_basis: str = "", result: str = "",
                        case: Case | None = None, municipality: Organisation | None = None, address: str = "",
                        business_name: str = "", kvk_number: str = "") -> Intervention:
    """Record a Bibob test, permit refusal or withdrawal, closure, dwangsom, overbewoning or control day — on a case,
    or on an address or business without a case (then only the municipality's AF may)."""
    if case is not None:
        case_access(actor, case).ensure_manages()
        _ensure_open(case)
        municipality = case.municipality
    elif municipality is None or not is_af_of(actor, municipality.pk):
        raise DomainError(_("Alleen een aandachtsfunctionaris van de gemeente kan een interventie vastleggen."),
                          code="forbidden")
    if kind not in InterventionKind.values:
        raise DomainError(_("Kies de soort interventie."), field="kind")
    decided_on = _check_date(decided_on, "decided_on")
    if decided_on > timezone.localdate() + MAX_DECISION_AHEAD:
        raise DomainError(_("De datum ligt meer dan een jaar in de toekomst; controleer het jaartal."),
                          field="decided_on")
    address, business_name = " ".join((address or "").split()), " ".join((business_name or "").split())
    try:
        kvk_number = clean_kvk_number(kvk_number)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="kvk_number") from error
    if case is None and not (address or business_name or kvk_number):
        raise DomainError(_("Vul een adres, bedrijfsnaam of KvK-nummer in, of leg de interventie vast bij een casus."),
                          field="address")
    legal_basis = " ".join((legal_basis or "").split()) or DEFAULT_LEGAL_BASIS[kind]
    if len(legal_basis) > 200 or len(address) > 200 or len(business_name) > 200:
        raise DomainError(_("Gebruik hoogstens 200 tekens."), field="legal_basis" if len(legal_basis) > 200
                          else "address" if len(address) > 200 else "business_name")
    with transaction.atomic():
        intervention = Intervention.objects.create(
            case=case, municipality=municipality, kind=kind, decided_on=decided_on, legal_basis=legal_basis,
            result=(result or "").strip(), address=address, business_name=business_name, kvk_number=kvk_number,
            recorded_by=actor)
        record_event(actor=actor, action="case.intervention_recorded", target_type=target_of(intervention),
                     target_uuid=intervention.uuid,
                     fields=["kind", "decided_on", "legal_basis", "result", "address", "business_name", "kvk_number"],
                     purpose="bestuurlijke aanpak",
                     details={"kind": kind, "case": str(case.uuid) if case else None})
    return intervention


def record_intervention_result(intervention: Intervention, *, actor: User, result: str) -> Intervention:
    """Add the outcome when it is known (a Bibob test takes weeks)."""
    if intervention.case is not None:
        case_access(actor, intervention.case).ensure_manages()
    elif not is_af_of(actor, intervention.municipality_id):
        raise DomainError(_("Alleen een aandachtsfunctionaris van de gemeente kan dit doen."), code="forbidden")
    result = (result or "").strip()
    if not result:
        raise DomainError(_("Beschrijf het resultaat."), field="result")
    with transaction.atomic():
        intervention.result = result
        intervention.save(update_fields=["result", "updated_at"])
        record_event(actor=actor, action="case.intervention_result", target_type=target_of(intervention),
                     target_uuid=intervention.uuid, fields=["result"], purpose="bestuurlijke aanpak",
                     details={"kind": intervention.kind})
    return intervention
