"""One small JSON-over-HTTP helper for the register adapters: every failure becomes an AdapterError in Dutch."""

import json
import urllib.error
import urllib.request
from typing import Any

from django.utils.translation import gettext as _


class AdapterError(Exception):
    """A lookup that could not be answered; `message` is Dutch and safe to show the AF."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotConfigured(AdapterError):
    pass


class NotFound(AdapterError):
    pass


def request_json(method: str, url: str, *, headers: dict[str, str], body: dict[str, Any] | None = None,
                 timeout: float, service: str, not_found: str) -> Any:
    """Send one request; return the decoded JSON body or raise AdapterError with a message naming `service`."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,  # noqa: S310 — URL comes from settings
                                     headers={"Accept": "application/json", **headers,
                                              **({"Content-Type": "application/json"} if data else {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            payload = response.read(2_000_000)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise NotFound(not_found) from error
        if error.code in (401, 403):
            raise AdapterError(_("%(service)s weigert de toegang: controleer de API-sleutel.")
                               % {"service": service}) from error
        if error.code == 400:
            raise AdapterError(_("%(service)s kan deze zoekvraag niet beantwoorden: controleer de invoer.")
                               % {"service": service}) from error
        raise AdapterError(_("%(service)s gaf een fout (%(code)s). Probeer het later opnieuw.")
                           % {"service": service, "code": error.code}) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        # Down, refused, unreachable or too slow: all the AF can do is try again later.
        raise AdapterError(_("%(service)s is nu niet bereikbaar. Probeer het later opnieuw.")
                           % {"service": service}) from error
    try:
        return json.loads(payload or b"null")
    except ValueError as error:
        raise AdapterError(_("%(service)s gaf een onleesbaar antwoord. Probeer het later opnieuw.")
                           % {"service": service}) from error
