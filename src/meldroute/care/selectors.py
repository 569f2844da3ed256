"""Access-checked reads of victim care. The list shows pseudonyms; reading a trajectory is access-logged.

Built on persons.selectors.persons_visible_to: whoever sees a victim sees their care; a zorgcoördinator sees the
victims of the cases they are on, and nothing of suspects or others."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.audit.services import record_access
from meldroute.audit.targets import target_of
from meldroute.persons import selectors as person_selectors
from meldroute.persons.constants import PersonRole
from meldroute.persons.models import Person
from meldroute.persons.permissions import PersonAccess

from . import services
from .models import CareTrajectory, PermitEvent, Placement, PlacementRequest


def victims_for(user: User, today: date) -> list[dict[str, Any]]:
    """The "Slachtoffers" list: pseudonym, case, current placement, bedenktijd deadline (no identity)."""
    current = Placement.objects.current(today).order_by("-started_on")
    persons = (person_selectors.with_attribute_access(user, person_selectors.persons_visible_to(user))
               .filter(role=PersonRole.VICTIM)
               .select_related("case", "care__reflection_period", "care__responsible_municipality")
               .prefetch_related(Prefetch("care__placements", queryset=current, to_attr="current_placements"))
               .defer(*Person.IDENTITY_FIELDS)  # a list never loads (or decrypts) an identity
               .order_by("case__reference", "letter"))
    remind = max(services.bedenktijd_rule()["remind_days_before"] or [0])
    rows: list[dict[str, Any]] = []
    for person in persons:
        trajectory = getattr(person, "care", None)
        period = getattr(trajectory, "reflection_period", None) if trajectory else None
        rows.append({
            "person": person, "trajectory": trajectory,
            "placement": (trajectory.current_placements[0] if trajectory and trajectory.current_placements
                          else None),
            "period": period,
            "expired": bool(period and period.deadline < today),
            "ending_soon": bool(period and today <= period.deadline <= today + timedelta(days=remind)),
        })
    # What needs attention first: a bedenktijd ending soon, then the rest by case.
    rows.sort(key=lambda r: (not r["ending_soon"], r["period"].deadline if r["period"] else date.max))
    return rows


@dataclass
class CareAccess:
    person_access: PersonAccess
    trajectory: CareTrajectory | None
    can_work: bool


def get_care_for(user: User, person_uuid: object, *, purpose: str) -> CareAccess:
    """A victim's care, if the user may see the victim (else 404). The read is logged for the person and the care."""
    access = person_selectors.get_person_for(user, person_uuid, purpose=purpose)
    person = access.person
    if not person.is_victim:
        raise Http404
    trajectory = (CareTrajectory.objects.select_related("zorgcoordinator", "registered_municipality",
                                                        "found_municipality", "responsible_municipality")
                  .filter(person=person).first())
    if trajectory is not None:
        record_access(actor=user, target_type=target_of(trajectory), target_uuid=trajectory.uuid,
                      fields=CareTrajectory.PERSONAL_FIELDS, purpose=purpose)
    return CareAccess(person_access=access, trajectory=trajectory,
                      can_work=access.case_access.may_work_on_care(person) and person.case.is_open)


def placements_of(trajectory: CareTrajectory) -> QuerySet[Placement]:
    return trajectory.placements.select_related("recorded_by").order_by("-started_on", "-id")


def permit_events_of(trajectory: CareTrajectory) -> QuerySet[PermitEvent]:
    return trajectory.permit_events.order_by("occurred_on", "id")


def get_placement_of(trajectory: CareTrajectory, placement_uuid: UUID | str) -> Placement:
    placement = trajectory.placements.filter(uuid=placement_uuid).first()
    if placement is None:
        raise Http404
    return placement


def placement_requests_for(user: User) -> QuerySet[PlacementRequest]:
    """The shelter requests of the screeningsoverleg for the zorgcoördinators of their region (references only, no
    personal data); nothing for anyone else."""
    if not user.has_role(Role.ZORGCOORDINATOR) or user.organisation is None:
        return PlacementRequest.objects.none()
    return (PlacementRequest.objects.filter(region_id=user.organisation.region_id)
            .select_related("municipality", "taken_by").order_by("taken_at", "-created_at"))


def get_placement_request_for(user: User, request_uuid: UUID | str) -> PlacementRequest:
    request = placement_requests_for(user).filter(uuid=request_uuid).first()
    if request is None:
        raise Http404
    return request
