"""Decisions on victim care: the trajectory, shelter placements, bedenktijd and its reminders, B8/B9 steps, and
the responsible municipality (derived by the rule, overridable with a reason).

Each takes the actor, runs in a transaction and writes its audit event in it; refusals are DomainErrors in Dutch.
"""

import calendar
from datetime import date, datetime, timedelta
from typing import cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.cases.constants import CaseRole
from meldroute.cases.permissions import case_access
from meldroute.core.exceptions import DomainError
from meldroute.core.jobs import claim_send_audit
from meldroute.core.language import recorded
from meldroute.intake.services import config
from meldroute.organisations.constants import OrganisationKind
from meldroute.organisations.models import Organisation
from meldroute.persons.constants import Citizenship
from meldroute.persons.models import Person

from .constants import PermitEventKind, PlacementKind, ReflectionKind, ResidenceStatus
from .models import CareTrajectory, PermitEvent, Placement, PlacementRequest, ReflectionPeriod, ReflectionReminder

EARLIEST = date(2000, 1, 1)


# --- Who may do what ---------------------------------------------------------------------------------------------

def _ensure_can_work(user: User, person: Person) -> None:
    # The zorgcoördinator on the case team, and the case's regie / AFs of its municipality.
    if not case_access(user, person.case).may_work_on_care(person):
        raise DomainError(_("Alleen de zorgcoördinator en de casusregie kunnen het zorgtraject bijwerken."),
                          code="forbidden")


def _check_date(value, field: str, today: date, *, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            raise DomainError(_("Vul de datum in."), field=field)
        return None
    if not isinstance(value, date):
        raise DomainError(_("Vul een geldige datum in, bijvoorbeeld 2026-03-31."), field=field)
    if value > today:
        raise DomainError(_("Deze datum ligt in de toekomst."), field=field)
    if value < EARLIEST:
        raise DomainError(_("Een datum vóór 2000 kan niet kloppen; controleer het jaartal."), field=field)
    return value


def _check_municipality(org: Organisation | None, field: str) -> Organisation | None:
    if org is not None and org.kind != OrganisationKind.MUNICIPALITY:
        raise DomainError(_("Kies een gemeente."), field=field)
    return org


# --- Responsible municipality ------------------------------------------------------------------------------------

def derive_responsible_municipality(registered: Organisation | None, found: Organisation | None):
    """Seed 000 bijlage 2: the municipality where the victim is registered; if not registered, where found."""
    return registered or found


def _rederive(trajectory: CareTrajectory) -> None:
    if not trajectory.responsible_override_reason:
        trajectory.responsible_municipality = derive_responsible_municipality(
            trajectory.registered_municipality, trajectory.found_municipality)


# --- The trajectory ----------------------------------------------------------------------------------------------

def _zorgcoordinator_for(actor: User, person: Person) -> User | None:
    if actor.has_role(Role.ZORGCOORDINATOR):
        return actor
    member = person.case.members.filter(role=CaseRole.ZORGCOORDINATOR, ended_at__isnull=True).select_related(
        "user").first()
    return member.user if member else None


def start_trajectory(person: Person, *, actor: User, started_on, residence_status: str = ResidenceStatus.UNKNOWN,
                     registered_municipality: Organisation | None = None,
                     found_municipality: Organisation | None = None) -> CareTrajectory:
    _ensure_can_work(actor, person)
    if not person.is_victim:
        raise DomainError(_("Alleen een slachtoffer krijgt een zorgtraject."))
    if CareTrajectory.objects.filter(person=person).exists():
        raise DomainError(_("Voor deze persoon loopt al een zorgtraject."))
    today = timezone.localdate()
    started_on = _check_date(started_on, "started_on", today)
    if residence_status not in ResidenceStatus.values:
        raise DomainError(_("Kies de verblijfsstatus."), field="residence_status")
    with transaction.atomic():
        trajectory = CareTrajectory(person=person, zorgcoordinator=_zorgcoordinator_for(actor, person),
                                    started_on=started_on, residence_status=residence_status, created_by=actor,
                                    registered_municipality=_check_municipality(registered_municipality,
                                                                                "registered_municipality"),
                                    found_municipality=_check_municipality(found_municipality, "found_municipality"))
        _rederive(trajectory)
        trajectory.save()
        record_event(actor=actor, action="care.trajectory_started", target_type=target_of(trajectory),
                     target_uuid=trajectory.uuid,
                     fields=["started_on", "residence_status", "registered_municipality", "found_municipality",
                             "responsible_municipality"], purpose="zorgcoördinatie",
                     details={"person": str(person.uuid)})
    return trajectory


def update_trajectory(trajectory: CareTrajectory, *, actor: User, residence_status: str, aangifte_made: bool,
                      aangifte_on=None, registered_municipality: Organisation | None = None,
                      found_municipality: Organisation | None = None, ended_on=None) -> CareTrajectory:
    _ensure_can_work(actor, trajectory.person)
    today = timezone.localdate()
    if residence_status not in ResidenceStatus.values:
        raise DomainError(_("Kies de verblijfsstatus."), field="residence_status")
    aangifte_on = _check_date(aangifte_on, "aangifte_on", today, required=False)
    if aangifte_on and not aangifte_made:
        raise DomainError(_("Vink 'aangifte gedaan' aan, of laat de datum leeg."), field="aangifte_made")
    ended_on = _check_date(ended_on, "ended_on", today, required=False)
    if ended_on and ended_on < trajectory.started_on:
        raise DomainError(_("Het traject kan niet eindigen vóór het begon (%(d)s).")
                          % {"d": trajectory.started_on.strftime("%d-%m-%Y")}, field="ended_on")
    values = {"residence_status": residence_status, "aangifte_made": bool(aangifte_made), "aangifte_on": aangifte_on,
              "registered_municipality": _check_municipality(registered_municipality, "registered_municipality"),
              "found_municipality": _check_municipality(found_municipality, "found_municipality"),
              "ended_on": ended_on}
    with transaction.atomic():
        changed = sorted(k for k, v in values.items() if getattr(trajectory, k) != v)
        for key, value in values.items():
            setattr(trajectory, key, value)
        _rederive(trajectory)
        trajectory.save()
        record_event(actor=actor, action="care.trajectory_updated", target_type=target_of(trajectory),
                     target_uuid=trajectory.uuid,
                     fields=changed, purpose="zorgcoördinatie")
    return trajectory


def set_responsible_municipality(trajectory: CareTrajectory, *, actor: User, municipality: Organisation | None,
                                 reason: str) -> CareTrajectory:
    """Deviate from the rule (say, a victim placed far from home for safety): only with a reason. Choosing the
    municipality the rule gives — or none — returns to the rule."""
    _ensure_can_work(actor, trajectory.person)
    reason = (reason or "").strip()
    derived = derive_responsible_municipality(trajectory.registered_municipality, trajectory.found_municipality)
    municipality = _check_municipality(municipality, "municipality")
    with transaction.atomic():
        if municipality is None or municipality == derived:
            trajectory.responsible_municipality, trajectory.responsible_override_reason = derived, ""
            overridden = False
        else:
            if len(reason) < 5:
                raise DomainError(_("Schrijf waarom een andere gemeente verantwoordelijk is dan de regel aangeeft."),
                                  field="reason")
            trajectory.responsible_municipality, trajectory.responsible_override_reason = municipality, reason
            overridden = True
        trajectory.save(update_fields=["responsible_municipality", "responsible_override_reason", "updated_at"])
        record_event(actor=actor, action="care.responsible_municipality_set", target_type=target_of(trajectory),
                     target_uuid=trajectory.uuid, fields=["responsible_municipality", "responsible_override_reason"],
                     purpose="zorgcoördinatie",
                     details={"municipality": trajectory.responsible_municipality.code
                              if trajectory.responsible_municipality else None, "overridden": overridden})
    return trajectory


# --- Placements --------------------------------------------------------------------------------------------------

def _overlapping(trajectory: CareTrajectory, started_on: date, ended_on: date | None, exclude_pk=None):
    """Two stays overlap unless one ends on or before the day the other starts (moving day counts for the new one)."""
    for placement in trajectory.placements.exclude(pk=exclude_pk):
        if (placement.started_on < (ended_on or date.max)
                and started_on < (placement.ended_on or date.max)) or placement.started_on == started_on:
            return placement
    return None


def add_placement(trajectory: CareTrajectory, *, actor: User, kind: str, provider: str, started_on,
                  ended_on=None) -> Placement:
    _ensure_can_work(actor, trajectory.person)
    today = timezone.localdate()
    if kind not in PlacementKind.values:
        raise DomainError(_("Kies de soort opvang."), field="kind")
    provider = " ".join((provider or "").split())
    if not provider:
        raise DomainError(_("Vul de aanbieder van de opvang in."), field="provider")
    started_on = _check_date(started_on, "started_on", today)
    ended_on = _check_date(ended_on, "ended_on", today, required=False)
    if ended_on and started_on and ended_on < started_on:
        raise DomainError(_("De einddatum ligt vóór de begindatum."), field="ended_on")
    assert started_on is not None
    other = _overlapping(trajectory, started_on, ended_on)
    if other is not None:
        raise DomainError(_("Deze opvang overlapt met %(kind)s vanaf %(d)s. Sluit die eerst af.")
                          % {"kind": other.get_kind_display(), "d": other.started_on.strftime("%d-%m-%Y")},
                          field="started_on")
    with transaction.atomic():
        placement = Placement.objects.create(trajectory=trajectory, kind=kind, provider=provider,
                                             started_on=started_on, ended_on=ended_on, recorded_by=actor)
        record_event(actor=actor, action="care.placement_added", target_type=target_of(trajectory),
                     target_uuid=trajectory.uuid,
                     fields=["placements"], purpose="zorgcoördinatie",
                     details={"placement": str(placement.uuid), "kind": kind})
    return placement


def end_placement(placement: Placement, *, actor: User, ended_on) -> Placement:
    _ensure_can_work(actor, placement.trajectory.person)
    if placement.ended_on is not None:
        raise DomainError(_("Deze opvang is al beëindigd."))
    ended_on = _check_date(ended_on, "ended_on", timezone.localdate())
    assert ended_on is not None
    if ended_on < placement.started_on:
        raise DomainError(_("De einddatum ligt vóór de begindatum (%(d)s).")
                          % {"d": placement.started_on.strftime("%d-%m-%Y")}, field="ended_on")
    with transaction.atomic():
        placement.ended_on = ended_on
        placement.save(update_fields=["ended_on", "updated_at"])
        record_event(actor=actor, action="care.placement_ended", target_type=target_of(placement.trajectory),
                     target_uuid=placement.trajectory.uuid, fields=["placements"], purpose="zorgcoördinatie",
                     details={"placement": str(placement.uuid)})
    return placement


# --- Bedenktijd --------------------------------------------------------------------------------------------------

def bedenktijd_rule() -> dict:
    return cast(dict, settings.MELDROUTE["BEDENKTIJD"])


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reflection_deadline(kind: str, starts_on: date, granted_on: date) -> tuple[date, str]:
    """The last day of the bedenktijd and the rule that gave it. At most `regular_months`; in a Dublin case granted
    on or after `dublin_since`, `dublin_days`. The start day counts as the first day."""
    rule = bedenktijd_rule()
    if kind == ReflectionKind.DUBLIN and granted_on >= date.fromisoformat(rule["dublin_since"]):
        days = int(rule["dublin_days"])
        return starts_on + timedelta(days=days - 1), recorded(
            "%(days)s dagen (Dublinzaak vanaf %(since)s), %(source)s",
            {"days": days, "since": rule["dublin_since"], "source": rule["source"]})
    months = int(rule["regular_months"])
    return _add_months(starts_on, months) - timedelta(days=1), recorded("%(months)s maanden, %(source)s", {
        "months": months, "source": rule["source"]})


def grant_reflection_period(trajectory: CareTrajectory, *, actor: User, kind: str, starts_on,
                            granted_on=None) -> ReflectionPeriod:
    _ensure_can_work(actor, trajectory.person)
    person = trajectory.person
    if person.citizenship == Citizenship.NL:
        raise DomainError(_("Een bedenktijd geldt niet voor iemand met de Nederlandse nationaliteit: die heeft "
                            "rechtmatig verblijf."), field="kind")
    if trajectory.residence_status == ResidenceStatus.LAWFUL:
        raise DomainError(_("Een bedenktijd is er voor slachtoffers zonder rechtmatig verblijf; de verblijfsstatus "
                            "staat op rechtmatig."), field="kind")
    if ReflectionPeriod.objects.filter(trajectory=trajectory).exists():
        raise DomainError(_("Er is al een bedenktijd vastgelegd."))
    if kind not in ReflectionKind.values:
        raise DomainError(_("Kies de soort bedenktijd."), field="kind")
    today = timezone.localdate()
    starts_on = _check_date(starts_on, "starts_on", today)
    granted_on = _check_date(granted_on or starts_on, "granted_on", today)
    assert starts_on is not None and granted_on is not None
    if starts_on < granted_on - timedelta(days=31):
        raise DomainError(_("De bedenktijd gaat in op of kort vóór de dag dat hij is verleend."), field="starts_on")
    deadline, rule = reflection_deadline(kind, starts_on, granted_on)
    with transaction.atomic():
        period = ReflectionPeriod.objects.create(trajectory=trajectory, kind=kind, granted_on=granted_on,
                                                 starts_on=starts_on, deadline=deadline, rule=rule[:200],
                                                 recorded_by=actor)
        record_event(actor=actor, action="care.reflection_granted", target_type=target_of(trajectory),
                     target_uuid=trajectory.uuid,
                     fields=["reflection_period"], purpose="zorgcoördinatie",
                     details={"kind": kind, "deadline": deadline.isoformat()})
    return period


def _reminder_recipients(trajectory: CareTrajectory) -> list[str]:
    users = [trajectory.zorgcoordinator] if trajectory.zorgcoordinator else []
    if not users:
        users = [m.user for m in trajectory.person.case.members.filter(
            role=CaseRole.ZORGCOORDINATOR, ended_at__isnull=True).select_related("user")]
    return [u.email for u in users if u and u.is_active and u.email]


def send_reflection_reminders(now: datetime | None = None) -> int:
    """Remind the zorgcoördinator N days before a bedenktijd ends (MELDROUTE["BEDENKTIJD"]["remind_days_before"]),
    each once: the reminder row is claimed before the mail goes. When the worker was down past several thresholds,
    one mail goes and all of them are claimed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    thresholds = sorted({int(d) for d in bedenktijd_rule()["remind_days_before"]})
    if not thresholds:
        return 0
    due = (ReflectionPeriod.objects.filter(deadline__gte=today, deadline__lte=today + timedelta(days=thresholds[-1]),
                                           trajectory__ended_on__isnull=True)
           .select_related("trajectory__person__case", "trajectory__zorgcoordinator"))
    return sum(_remind_reflection(period, now, today, thresholds) for period in due)


def _remind_reflection(period: ReflectionPeriod, now: datetime, today: date, thresholds: list[int]) -> bool:
    days_left = (period.deadline - today).days
    claimed: list[int] = []

    def claim() -> bool:
        for days_before in (d for d in thresholds if days_left <= d):
            try:
                with transaction.atomic():
                    ReflectionReminder.objects.create(period=period, days_before=days_before, sent_at=now)
            except IntegrityError:
                continue
            claimed.append(days_before)
        return bool(claimed)

    trajectory = period.trajectory
    case = trajectory.person.case
    # Case reference and link only: a mail never carries personal data.
    return claim_send_audit(
        claim=claim, recipients=lambda: _reminder_recipients(trajectory), mail="care/mail/reflection_reminder",
        context=lambda: {"ref": case.reference, "due": period.deadline.strftime("%d-%m-%Y"), "days": days_left,
                         "link": config("BASE_URL") + reverse("care:trajectory", args=[trajectory.person.uuid])},
        audit=lambda sent_to: record_event(
            actor=None, action="care.reflection_reminder_sent", target_type=target_of(trajectory),
            target_uuid=trajectory.uuid,
            fields=["reflection_period"], purpose="termijnbewaking",
            details={"days_before": claimed, "recipients": len(sent_to)}))


# --- Permits -----------------------------------------------------------------------------------------------------

_APPLICATION_OF = {PermitEventKind.B8_GRANTED: PermitEventKind.B8_APPLIED,
                   PermitEventKind.B8_REFUSED: PermitEventKind.B8_APPLIED,
                   PermitEventKind.B9_GRANTED: PermitEventKind.B9_APPLIED,
                   PermitEventKind.B9_REFUSED: PermitEventKind.B9_APPLIED}


def record_permit_event(trajectory: CareTrajectory, *, actor: User, kind: str, occurred_on,
                        note: str = "") -> PermitEvent:
    _ensure_can_work(actor, trajectory.person)
    if trajectory.person.citizenship == Citizenship.NL:
        raise DomainError(_("Een verblijfsvergunning is niet nodig voor iemand met de Nederlandse nationaliteit."),
                          field="kind")
    if kind not in PermitEventKind.values:
        raise DomainError(_("Kies de stap."), field="kind")
    occurred_on = _check_date(occurred_on, "occurred_on", timezone.localdate())
    assert occurred_on is not None
    application = _APPLICATION_OF.get(PermitEventKind(kind))
    if application and not trajectory.permit_events.filter(kind=application, occurred_on__lte=occurred_on).exists():
        raise DomainError(_("Leg eerst de aanvraag vast (op of vóór deze datum)."), field="kind")
    with transaction.atomic():
        event = PermitEvent.objects.create(trajectory=trajectory, kind=kind, occurred_on=occurred_on,
                                           note=" ".join((note or "").split())[:300], recorded_by=actor)
        record_event(actor=actor, action="care.permit_event", target_type=target_of(trajectory),
                     target_uuid=trajectory.uuid,
                     fields=["permit_events"], purpose="zorgcoördinatie", details={"kind": kind})
    return event


# --- Shelter requests from the screeningsoverleg -------------------------------------------------------------------

def start_placement_request(item, *, actor: User | None) -> PlacementRequest:
    """The screeningsoverleg decided that the persons of an agenda item must be sheltered (seed 003 §6, footnote
    12): open a placement request for the region's zorgcoördinators, naming the signal or case by reference only.
    Called by care.receivers on meetings' `shelter_decided`, inside the decision's transaction; the alert goes on
    commit (and by the worker if that mail failed)."""
    subject = item.case if item.case_id is not None else item.signal
    municipality = subject.municipality
    request = PlacementRequest.objects.create(
        region_id=municipality.region_id, municipality=municipality, reference=subject.reference,
        signal=item.signal if item.case_id is None else None, case=item.case, agenda_item=item,
        meeting_label=str(item.meeting), requested_by=actor)
    record_event(actor=actor, action="care.placement_requested", target_type=target_of(request),
                 target_uuid=request.uuid, fields=["reference", "municipality"], purpose="opvang (besluit overleg)",
                 details={"meeting": str(item.meeting.uuid), "item": str(item.uuid)})
    transaction.on_commit(lambda: send_placement_request_alerts(request_id=request.pk), robust=True)
    return request


def zorgcoordinators_of_region(region_id: int):
    return User.objects.filter(is_active=True, organisation__region_id=region_id,
                               role_assignments__role=Role.ZORGCOORDINATOR).distinct()


def take_placement_request(request: PlacementRequest, *, actor: User) -> PlacementRequest:
    """A zorgcoördinator of the region takes the request up (then starts the trajectory and its placement on the
    case's victim, as usual)."""
    if not actor.has_role(Role.ZORGCOORDINATOR) or actor.organisation is None \
            or actor.organisation.region_id != request.region_id:
        raise DomainError(_("Alleen een zorgcoördinator van de regio kan deze aanvraag oppakken."), code="forbidden")
    with transaction.atomic():
        locked = PlacementRequest.objects.select_for_update().get(pk=request.pk)
        if not locked.is_open:
            raise DomainError(_("Deze aanvraag is al opgepakt."))
        locked.taken_by, locked.taken_at = actor, timezone.now()
        locked.save(update_fields=["taken_by", "taken_at", "updated_at"])
        record_event(actor=actor, action="care.placement_request_taken", target_type=target_of(locked),
                     target_uuid=locked.uuid, fields=["taken_by", "taken_at"], purpose="opvang regelen")
    return locked


def send_placement_request_alerts(now: datetime | None = None, *, request_id: int | None = None) -> int:
    """Alert the region's zorgcoördinators of each new shelter request, once (claimed by `notified_at`); the mail
    carries the reference and a link only."""
    now = now or timezone.now()
    pending = PlacementRequest.objects.filter(notified_at__isnull=True)
    if request_id is not None:
        pending = pending.filter(pk=request_id)
    return sum(_alert_placement_request(request, now) for request in pending)


def _alert_placement_request(request: PlacementRequest, now: datetime) -> bool:
    def claim() -> bool:
        return bool(PlacementRequest.objects.filter(pk=request.pk, notified_at__isnull=True).update(notified_at=now))

    def recipients() -> list[str]:
        return sorted(u.email for u in zorgcoordinators_of_region(request.region_id) if u.email)

    def context() -> dict:
        return {"ref": request.reference, "meeting": request.meeting_label,
                "link": config("BASE_URL") + reverse("care:list")}

    def audit(sent_to) -> None:
        record_event(actor=None, action="care.placement_request_alerted", target_type=target_of(request),
                     target_uuid=request.uuid, fields=["notified_at"], purpose="opvang (besluit overleg)",
                     details={"recipients": len(sent_to)})

    return claim_send_audit(claim=claim, recipients=recipients, mail="care/mail/placement_request",
                            context=context, audit=audit)
