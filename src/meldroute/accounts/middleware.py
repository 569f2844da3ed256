"""Until a signed-in user has passed the second factor, every page leads to setting it up or entering it."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from .oidc import IDP_SECOND_FACTOR_SESSION_KEY


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user  # is_verified() is django_otp's (OTPMiddleware), unknown to the stubs
        if (settings.MELDROUTE["REQUIRE_2FA"] and user.is_authenticated and not user.is_verified()  # type: ignore[attr-defined]
                and not request.session.get(IDP_SECOND_FACTOR_SESSION_KEY)  # the IdP asked it (accounts.oidc)
                and not self._exempt(request.path)):
            if request.path.startswith("/api/"):
                # Session-authenticated API calls need the second factor too; token calls never reach here
                # (the token is checked by DRF, after this middleware, and is the partner system's own secret).
                return JsonResponse({"status": 403, "code": "two_factor_required",
                                     "detail": "Rond eerst de tweestapsverificatie af.", "errors": {}}, status=403)
            target = "two_factor_verify" if user_has_device(user, confirmed=True) else "two_factor_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        open_paths = (reverse("login"), reverse("logout"), reverse("two_factor_setup"), reverse("two_factor_verify"),
                      reverse("set_language"))
        return path in open_paths or path.startswith(settings.STATIC_URL)
