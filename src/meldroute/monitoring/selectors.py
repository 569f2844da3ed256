"""Who may see which figures (SPEC F1, G1–G3): scoping only; the figures themselves are assembled in tables.py.

The AF and the burgemeester see their own municipality's dashboard; the ketenregisseur sees the suppressed regional
view of their region; the zorgcoördinator exports their region's victims. Anyone else gets 404. The regional view is
*not* offered to AFs; its publication version is public, and suppression holds against a reader who knows one
municipality's row exactly (suppression.protect_regional: every viewpoint audited).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import in_role
from meldroute.organisations.models import Organisation, Region


def dashboard_municipality_for(user: Any) -> Organisation:
    """The municipality whose dashboard the user sees: their own, as AF or burgemeester."""
    if in_role(user, Role.AF, Role.BURGEMEESTER, municipality=True):
        organisation: Organisation = user.organisation
        return organisation
    raise Http404


def can_edit_reports(user: Any) -> bool:
    return bool(user.has_role(Role.AF))


def regional_view_region_for(user: Any) -> Region:
    if in_role(user, Role.KETENREGISSEUR, organisation=True):
        region: Region = user.organisation.region
        return region
    raise Http404


def comensha_region_for(user: Any) -> Region:
    if in_role(user, Role.ZORGCOORDINATOR, organisation=True):
        region: Region = user.organisation.region
        return region
    raise Http404


def municipalities_of(region: Region) -> list[Organisation]:
    return list(Organisation.objects.municipalities().filter(region=region).order_by("name", "id"))
