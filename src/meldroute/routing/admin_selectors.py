"""Reads for the beheerder's route pages and API: only the beheerder's own region, everyone else a 404.

Routes are configuration, not personal data; counts of signals per version are numbers only.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import in_role
from meldroute.organisations.models import Region

from .models import RouteDefinition, RouteDraft, SignalRoute


def route_versions(region: Region) -> QuerySet[RouteDefinition]:
    return RouteDefinition.objects.filter(region=region).order_by("-version", "-id")


def route_version(region: Region, route_uuid: object) -> RouteDefinition:
    """One version of the region's route with its steps; another region's route is a 404 like a missing one."""
    try:
        route_uuid = uuid.UUID(str(route_uuid))
    except ValueError as error:
        raise Http404 from error
    definition = (RouteDefinition.objects.filter(region=region, uuid=route_uuid).select_related("region")
                  .prefetch_related("steps").first())
    if definition is None:
        raise Http404
    return definition


def active_version(region: Region) -> RouteDefinition | None:
    return (RouteDefinition.objects.filter(region=region, is_active=True).select_related("region")
            .prefetch_related("steps").first())


@dataclass(frozen=True)
class SignalCount:
    total: int = 0
    open: int = 0  # still on their way along this version


def signal_counts(definition_ids: Iterable[int]) -> dict[int, SignalCount]:
    """How many signals follow each route version, and how many of them are still under way."""
    rows = (SignalRoute.objects.filter(definition_id__in=list(definition_ids)).values("definition_id")
            .annotate(total=Count("id"), open=Count("id", filter=Q(finished_at__isnull=True))))
    return {row["definition_id"]: SignalCount(row["total"], row["open"]) for row in rows}


def reviewing_region(user: object) -> Region:
    """The region whose route drafts this user may read and decide: a beheerder's or the ketenregisseur's (RIEC) own
    region. Anyone else: 404."""
    if not in_role(user, Role.BEHEERDER, Role.KETENREGISSEUR, organisation=True):
        raise Http404
    region: Region = user.organisation.region  # type: ignore[attr-defined]
    return region


def route_drafts(region: Region) -> QuerySet[RouteDraft]:
    return (RouteDraft.objects.filter(region=region).select_related("drafted_by", "decided_by", "published_as")
            .order_by("-created_at", "-id"))


def route_draft(region: Region, draft_uuid: object) -> RouteDraft:
    """One draft of the region's route; another region's draft is a 404 like a missing one."""
    try:
        draft_uuid = uuid.UUID(str(draft_uuid))
    except ValueError as error:
        raise Http404 from error
    draft = route_drafts(region).filter(uuid=draft_uuid).first()
    if draft is None:
        raise Http404
    return draft


def version_number(region: Region, version: int) -> RouteDefinition | None:
    return RouteDefinition.objects.filter(region=region, version=version).prefetch_related("steps").first()
