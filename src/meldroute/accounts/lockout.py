"""Login lock-out against password spraying: besides the (username, address) pair django-axes counts, failed logins
are counted per source address across usernames, and over the whole installation."""

from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def _failures_since(**filters: Any) -> int:
    window = timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempts = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - window, **filters)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class SprayAwareHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes ships no types
    """A login is refused when its (username, address) pair, its address over all usernames, or the installation
    as a whole has had too many failures within the cool-off time.

    Per address: one office behind one NAT address may mistype a few passwords, so its limit is higher than a
    single account's. Overall: a spray spread over many addresses still adds up; when it passes the limit, logins
    stop for everyone until the cool-off time has passed. That costs availability for a quarter of an hour, which
    Meldroute prefers to a sprayed password on a system holding victims' data (the limits are configuration).
    """

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        return bool(super().is_locked(request, credentials)) or self.is_sprayed(request)

    def user_login_failed(self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        # axes marks the request locked out only by its own (username, address) count; the lock-out page (429)
        # follows from this mark, also when the address or the installation is what is locked.
        if request is not None and not getattr(request, "axes_locked_out", False) and self.is_sprayed(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials

    @staticmethod
    def is_sprayed(request: Any) -> bool:
        limits = settings.MELDROUTE_LOGIN_LIMITS
        address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        if address and _failures_since(ip_address=address) >= limits["per_address"]:
            return True
        return _failures_since() >= limits["overall"]
