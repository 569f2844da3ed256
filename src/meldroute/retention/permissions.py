"""Who works on retention: the FG (functionaris gegevensbescherming) and the beheerder, each for the region of their
own organisation; anyone else gets 404."""

from typing import Any

from django.http import Http404

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import in_role
from meldroute.organisations.models import Region

RETENTION_ROLES = (Role.BEHEERDER, Role.FG)


def retention_region(user: Any) -> Region:
    if not in_role(user, *RETENTION_ROLES, organisation=True):
        raise Http404
    region: Region = user.organisation.region
    return region
