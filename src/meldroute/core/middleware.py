"""The interface language (Dutch for everyone unless the user picked another one with the language switch), private
pages, and the session's sliding idle timeout without a write on every request."""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control


class ChosenLanguageMiddleware:
    """Like LocaleMiddleware, minus Accept-Language: a browser set to English must not get a mixed interface
    by accident; English is a deliberate choice, remembered in the language cookie set by `set_language`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def language_reset(**kwargs: Any) -> None:
    """At `request_finished` (after a streamed response's last chunk) the thread goes back to the default language:
    `activate` is per thread, and a worker thread that served an English user must not write the next job's mail,
    notification or error message in English."""
    translation.deactivate()


class PrivatePagesMiddleware:
    """Pages served to a signed-in user carry personal data: no browser or proxy may keep them, so that after
    logging out the Back button or a shared computer's cache shows nothing. Logging out also asks the browser to
    clear what it kept of this site (`Clear-Site-Data`), including htmx's history snapshots. API calls authenticate
    in the view, after this runs, so a request that carries credentials counts as signed in too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated or "Authorization" in request.headers:
            patch_cache_control(response, private=True, no_store=True)
        if signed_in and request.method == "POST" and not request.user.is_authenticated:
            response.headers["Clear-Site-Data"] = '"cache", "storage"'
        return response


class SessionRenewalMiddleware:
    """The session's idle timeout (SESSION_COOKIE_AGE, 30 minutes) slides with use, as SESSION_SAVE_EVERY_REQUEST
    would make it, but the session is written at most once a minute instead of on every request: a GET of a page
    then writes nothing, so the primary database is not written for every read across the country (issue 17). The
    timeout is measured from the last renewal, so an idle session ends between 29 and 30 minutes after the last
    request. A request that changes the session saves it anyway, renewing it. Sits right after SessionMiddleware."""

    RENEWED = "_meldroute_renewed"
    RENEW_AFTER = 60  # seconds

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session this request already read (the signed-in user's): an anonymous page loads none.
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if session.modified or now - int(session.get(self.RENEWED, 0)) >= self.RENEW_AFTER:
                session[self.RENEWED] = now  # marks it modified: SessionMiddleware saves it, with a new expiry
        return response


def renewed_at_login(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Logging in saves the session: that counts as its renewal (so the next minute's pages write nothing either)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SessionRenewalMiddleware.RENEWED] = int(time.time())
