"""Who may do what on one case: `CaseAccess`, computed once per (user, case) and passed down to persons and care.

Which cases a user sees at all is the scoping rule (models.case_scope); which of them they see whole is
models.full_case_scope. This object answers the rest from those two and the user's place on the team.
"""

from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import in_role, is_af_of
from meldroute.core.exceptions import DomainError
from meldroute.intake.constants import SignalStatus
from meldroute.intake.models import Signal
from meldroute.organisations.constants import OrganisationKind
from meldroute.routing.constants import StepAction, StepActor
from meldroute.routing.models import SignalRouteStep

from .constants import MANAGING_ROLES, CaseRole
from .models import Case


class _HasVictimFlag(Protocol):
    @property
    def is_victim(self) -> bool: ...


@dataclass(frozen=True)
class CaseAccess:
    """What one user may do on one case. Build it with `case_access(user, case)`."""

    case: Case
    user: Any
    team_roles: frozenset[str]  # the user's active roles on the case team
    sees_whole: bool  # the signals, the plan, the interventions and every person (models.full_case_scope)
    is_af: bool  # an AF of the case's municipality: the controller that registers its persons
    manages: bool  # the case's regie and the AFs of its municipality run the case (status, team, plan)
    care_member: bool  # the zorgcoördinator on the team: works on the victims' care, sees nothing else of the case

    @property
    def sees_care_only(self) -> bool:
        """A zorgcoördinator on the team only for care: the case header, the team and what concerns the victims."""
        return not self.sees_whole

    def may_work_on_care(self, person: _HasVictimFlag) -> bool:
        """A victim's care trajectory: the zorgcoördinator on the case team, and the case's regie / AFs."""
        return person.is_victim and (self.care_member or self.manages)

    def may_finish(self, action: Any) -> bool:
        """Completing an action of the plan: its owner, or whoever manages the case."""
        return action.owner_user_id == self.user.pk or self.manages

    def ensure_manages(self) -> None:
        if not self.manages:
            raise DomainError(_("Alleen de casusregie en de aandachtsfunctionaris van de gemeente kunnen dit doen."),
                              code="forbidden")


def case_access(user: Any, case: Case) -> CaseAccess:
    """THE answer to "what may this user do on this case", in two queries (team roles, whole-case scope). Views and
    selectors compute it once per request and pass it down; services compute it afresh for the decision they take."""
    if user is None or not user.is_authenticated:
        return CaseAccess(case=case, user=user, team_roles=frozenset(), sees_whole=False, is_af=False, manages=False,
                          care_member=False)
    team_roles = frozenset(case.members.filter(user=user, ended_at__isnull=True).values_list("role", flat=True))
    is_af = is_af_of(user, case.municipality_id)
    return CaseAccess(
        case=case, user=user, team_roles=team_roles,
        sees_whole=Case.objects.seen_whole_by(user).filter(pk=case.pk).exists(),
        is_af=is_af,
        manages=user.is_active and (is_af or bool(team_roles & MANAGING_ROLES)),
        care_member=user.has_role(Role.ZORGCOORDINATOR) and CaseRole.ZORGCOORDINATOR in team_roles,
    )


def signals_the_zvh_may_open(user: Any) -> "QuerySet[Signal]":
    """Signals a ZVH's procesregisseur may open a case from (seed 003 §5.1: "Als de signalen van uitbuiting voldoende
    concreet zijn wordt een casus opgestart"; the step "casus starten" has the ZVH as actor): signals of the ZVH's
    region whose route waits for the ZVH to open the case — which only a screeningsoverleg's decision "casus starten"
    brings about. Anyone else: none (an AF opens cases from the signal page)."""
    organisation = getattr(user, "organisation", None)
    if (organisation is None or organisation.kind != OrganisationKind.ZVH
            or not in_role(user, Role.PROCESREGISSEUR)):
        return Signal.objects.none()
    waiting = SignalRouteStep.objects.active().filter(action=StepAction.OPEN_CASE, actor=StepActor.ZVH)
    return (Signal.objects.filter(municipality__region_id=organisation.region_id,
                                  pk__in=waiting.values("signal_route__signal_id"))
            .exclude(status=SignalStatus.CANCELLED))
