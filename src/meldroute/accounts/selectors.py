"""Reads for the beheerder's user pages: only users, proposals, organisations and tokens of the beheerder's own
region; anyone else (and anything outside the region) is a 404. Accounts and roles are configuration, not the
personal data of signals or persons, so these reads are not access-logged."""

import uuid
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from meldroute.organisations.constants import OrganisationKind
from meldroute.organisations.models import Organisation

from .constants import ProposalStatus, Role
from .models import ApiToken, RoleAssignment, RoleProposal, User
from .permissions import managed_region


def _uuid(value: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as error:
        raise Http404 from error


def managed_users(actor: Any) -> QuerySet[User]:
    region = managed_region(actor)
    users: QuerySet[User] = (User.objects.filter(organisation__region=region, is_service_account=False)
            .select_related("organisation")
            .prefetch_related(Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role")))
            .order_by("organisation__name", "last_name", "username"))
    return users


def get_managed_user(actor: Any, user_uuid: object) -> User:
    user = managed_users(actor).filter(uuid=_uuid(user_uuid)).first()
    if user is None:
        raise Http404
    return user


def pending_proposals(actor: Any, user: User | None = None) -> QuerySet[RoleProposal]:
    region = managed_region(actor)
    proposals = (RoleProposal.objects.filter(user__organisation__region=region, status=ProposalStatus.PENDING)
                 .select_related("user", "user__organisation", "proposed_by").order_by("proposed_at", "id"))
    return proposals.filter(user=user) if user is not None else proposals


def get_managed_proposal(actor: Any, proposal_uuid: object) -> RoleProposal:
    proposal = pending_proposals(actor).filter(uuid=_uuid(proposal_uuid)).first()
    if proposal is None:
        raise Http404
    return proposal


def managed_organisations(actor: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(region=managed_region(actor)).order_by("name")


def get_managed_organisation(actor: Any, organisation_uuid: object) -> Organisation:
    organisation = managed_organisations(actor).filter(uuid=_uuid(organisation_uuid)).first()
    if organisation is None:
        raise Http404
    return organisation


def token_organisations(actor: Any) -> QuerySet[Organisation]:
    """Organisations whose systems may get a token: the region's partner organisations, never the beheerder's own."""
    return managed_organisations(actor).exclude(kind=OrganisationKind.MUNICIPALITY).exclude(pk=actor.organisation_id)


def managed_tokens(actor: Any) -> QuerySet[ApiToken]:
    return (ApiToken.objects.filter(organisation__region=managed_region(actor))
            .select_related("organisation", "created_by").order_by("-created_at", "-id"))


def get_managed_token(actor: Any, token_uuid: object) -> ApiToken:
    token = managed_tokens(actor).filter(uuid=_uuid(token_uuid)).first()
    if token is None:
        raise Http404
    return token


# --- Which AF handles a signal (the route's af_oov / af_zorg steps) ------------------------------------------------

def af_for_duty(municipality_id: int, duty: str, today: date | None = None) -> User | None:
    """The AF the municipality recorded for this duty; while that one is absent the achtervang: the AF holding another
    duty (Zoeterwoude's two are each other's), else any present AF. None when nobody holds the duty."""
    afs: list[User] = list(User.objects.with_role(Role.AF).filter(organisation_id=municipality_id).order_by("pk"))
    holder = next((af for af in afs if af.af_duty == duty), None)
    if holder is None or not holder.is_absent(today):
        return holder
    present = [af for af in afs if af.pk != holder.pk and not af.is_absent(today)]
    present.sort(key=lambda af: (not af.af_duty, af.pk))  # the other duty's holder first
    return present[0] if present else holder
