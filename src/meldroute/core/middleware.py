"""The interface language: Dutch for everyone unless the user picked another one with the language switch."""

from collections.abc import Callable

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
