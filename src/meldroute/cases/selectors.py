"""Access-checked reads of cases. Lists carry no personal data; reading a case page is access-logged."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import in_role
from meldroute.audit.services import record_access
from meldroute.audit.targets import target_of
from meldroute.intake.constants import SignalStatus
from meldroute.intake.models import Signal
from meldroute.triage.selectors import get_signal_for_triage

from .constants import OPEN_STATUSES
from .models import Case, CaseAction, CaseMember, Intervention
from .permissions import CaseAccess, case_access, signals_the_zvh_may_open

LIST_VIEWS = ("mine", "open", "closed", "all")


def cases_visible_to(user):
    """THE scoped QuerySet (models.case_scope)."""
    return Case.objects.visible_to(user)


def case_list_for(user, view: str = "open", today=None):
    """The case list: reference, title (without names), status, next deadline and number of overdue actions,
    in one query however many cases there are.

    The two figures are correlated subqueries on the open actions (a partial index, models.CaseAction), not a join
    with GROUP BY: the pager's count then reads only the cases, and a row costs its open actions, not its history."""
    today = today or timezone.localdate()
    qs = cases_visible_to(user)
    if view == "mine":
        qs = qs.filter(Q(pk__in=CaseMember.objects.filter(user=user, ended_at__isnull=True).values("case_id"))
                       | Q(pk__in=CaseAction.objects.open().filter(owner_user=user).values("case_id")))
    elif view == "closed":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    elif view != "all":
        qs = qs.filter(status__in=OPEN_STATUSES)
    open_actions = CaseAction.objects.open().filter(case_id=OuterRef("pk")).order_by()
    overdue = (open_actions.filter(deadline__lt=today).values("case_id").annotate(n=Count("pk")).values("n"))
    return (qs.select_related("municipality")
            .annotate(next_deadline=Subquery(open_actions.order_by("deadline").values("deadline")[:1]),
                      overdue_count=Coalesce(Subquery(overdue), 0))
            .only("uuid", "reference", "title", "status", "is_complex", "created_at", "municipality__name")
            .order_by("-overdue_count", "next_deadline", "-created_at", "-id"))


def overdue_actions_of(user, today=None):
    """The user's own overdue actions, for "Mijn casussen" (case reference and deadline; no description)."""
    today = today or timezone.localdate()
    return (CaseAction.objects.overdue(today).filter(owner_user=user, case__in=cases_visible_to(user))
            .select_related("case").only("uuid", "deadline", "case__uuid", "case__reference")
            .order_by("deadline", "id"))


def get_case_access_for(user, case_uuid, *, purpose: str) -> CaseAccess:
    """One case, if the user may see it (else 404), with what they may do on it (permissions.CaseAccess, computed
    once here for the whole request). The read is logged with the fields the user sees."""
    case = cases_visible_to(user).select_related("municipality__region", "zvh", "opened_by").filter(
        uuid=case_uuid).first()
    if case is None:
        raise Http404
    access = case_access(user, case)
    # A zorgcoördinator on the team only for care sees the header and the team, not the signals' content, the plan
    # or the interventions (the care part lives in the care app).
    fields = Case.PERSONAL_FIELDS if access.sees_whole else ("title", "members")
    record_access(actor=user, target_type=target_of(case), target_uuid=case.uuid, fields=fields, purpose=purpose)
    return access


def get_case_for(user, case_uuid, *, purpose: str) -> Case:
    """One case, if the user may see it (else 404). The read is logged."""
    return get_case_access_for(user, case_uuid, purpose=purpose).case


def team_of(case: Case):
    return case.members.filter(ended_at__isnull=True).select_related("user__organisation").order_by("role", "id")


def actions_of(case: Case):
    return case.actions.select_related("owner_user", "owner_organisation").order_by("status", "deadline", "id")


def signals_of(case: Case):
    return case.signals.select_related("classification").only(
        "uuid", "reference", "received_at", "status", "is_acute", "classification__assessment",
        "classification__forms").order_by("received_at")


def interventions_of(case: Case):
    return case.interventions.select_related("recorded_by")


def history_of(case: Case):
    return case.status_changes.select_related("actor")


def cases_of_signal(user, signal: Signal):
    """The visible cases a signal belongs to (reference, title, status: no personal data)."""
    return cases_visible_to(user).filter(signals=signal).only("uuid", "reference", "title", "status").order_by(
        "-created_at")


def signals_to_open_for_zvh(user):
    """The ZVH's list of signals its screeningsoverleg decided to start a case from (reference, municipality, dates:
    no personal data)."""
    return (signals_the_zvh_may_open(user).select_related("municipality")
            .only("uuid", "reference", "received_at", "municipality__name").order_by("received_at", "id"))


def get_signal_for_case_opening(user, signal_uuid) -> Signal:
    """The signal a case is opened from: the AF's through triage's selector; the ZVH procesregisseur's only when its
    screeningsoverleg decided to start a case from it. 404 otherwise; the read is access-logged."""
    if in_role(user, Role.AF, municipality=True):
        return get_signal_for_triage(user, signal_uuid)
    signal = signals_the_zvh_may_open(user).filter(uuid=signal_uuid).select_related("municipality").first()
    if signal is None:
        raise Http404
    record_access(actor=user, target_type=target_of(signal), target_uuid=signal.uuid, fields=["reference"],
                  purpose="casus starten vanuit het screeningsoverleg")
    return signal


def signals_for_new_case(user, municipality_id: int, exclude_pk: int | None = None):
    """Other signals of the municipality that could join a new case: visible, not cancelled, newest first."""
    qs = (Signal.objects.visible_to(user).filter(municipality_id=municipality_id)
          .exclude(status=SignalStatus.CANCELLED).exclude(classification__isnull=True)
          .exclude(classification__assessment="none"))
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.only("uuid", "reference", "received_at", "status", "classified_forms").order_by("-received_at", "-id")


def interventions_for(user):
    """All interventions of the AF's municipality, on cases and on addresses without a case. Others: none here
    (a case's team sees its interventions on the case page). The list shows addresses, so the read is logged."""
    if not in_role(user, Role.AF, municipality=True):
        return Intervention.objects.none()
    record_access(actor=user, target_type=target_of(Intervention), target_uuid=None,
                  fields=Intervention.PERSONAL_FIELDS,
                  purpose="overzicht bestuurlijke interventies")
    return (Intervention.objects.filter(municipality_id=user.organisation_id)
            .select_related("case", "recorded_by").order_by("-decided_on", "-id"))


def get_action_of(case: Case, action_uuid) -> CaseAction:
    action = case.actions.select_related("case__municipality", "owner_user").filter(uuid=action_uuid).first()
    if action is None:
        raise Http404
    return action


def get_member_of(case: Case, member_uuid) -> CaseMember:
    member = case.members.select_related("case__municipality", "user").filter(uuid=member_uuid).first()
    if member is None:
        raise Http404
    return member


def get_intervention_for(user, intervention_uuid) -> Intervention:
    """An intervention the user may change: an AF's of their municipality, or one on a case they can see."""
    qs = Intervention.objects.select_related("case__municipality", "municipality")
    scope = Q(case__in=cases_visible_to(user))
    if in_role(user, Role.AF, organisation=True):
        scope |= Q(municipality_id=user.organisation_id)
    intervention = qs.filter(scope, uuid=intervention_uuid).first()
    if intervention is None:
        raise Http404
    return intervention
