"""Who may do what by role: the predicates on a user's roles and organisation, and the view decorator that answers 404.

Not 403: a user outside a role must not learn which pages or objects exist. Rules about one case (its team, its
municipality, its ZVH) live in cases/permissions.py, built on these.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from meldroute.core.exceptions import DomainError
from meldroute.organisations.models import Region

from .constants import Role
from .models import User

_View = TypeVar("_View", bound=Callable[..., Any])


def in_role(user: Any, *roles: str, organisation: bool = False, municipality: bool = False) -> bool:
    """The user is signed in and holds one of `roles`; with `organisation`, belongs to an organisation; with
    `municipality`, belongs to a municipality."""
    if not getattr(user, "is_authenticated", False) or not any(user.has_role(role) for role in roles):
        return False
    if (organisation or municipality) and user.organisation_id is None:
        return False
    return not municipality or user.organisation.is_municipality


def role_required(*roles: str, organisation: bool = False, municipality: bool = False) -> Callable[[_View], _View]:
    """View decorator: 404 unless `in_role(request.user, *roles, ...)`. Put it under @login_required, so a visitor who
    is not signed in is still sent to the login page."""

    def decorator(view: _View) -> _View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not in_role(request.user, *roles, organisation=organisation, municipality=municipality):
                raise Http404  # not 403: other roles must not learn what exists
            return view(request, *args, **kwargs)

        return cast(_View, wrapped)

    return decorator


def is_af_of(user: User, municipality_id: int) -> bool:
    """The aandachtsfunctionaris of that municipality."""
    return user.has_role(Role.AF) and user.organisation_id == municipality_id


def ensure_af_of(user: User, signal: Any) -> None:
    """Refuse unless the user is the AF of the signal's municipality (`signal` is anything with municipality_id)."""
    if not is_af_of(user, signal.municipality_id):
        raise DomainError(_("Alleen een aandachtsfunctionaris van deze gemeente kan dit doen."), code="forbidden")


def managed_region(user: Any) -> Region:
    """The region whose users and meldroute this beheerder manages: the region of its own organisation. Anyone else:
    404."""
    if not in_role(user, Role.BEHEERDER, organisation=True):
        raise Http404
    region: Region = user.organisation.region
    return region
