"""Log lines that can be followed through a request and that never carry personal data.

Every request gets a request id (the proxy's `X-Request-ID` when it is a plain token, else a new one); it is put on
every log line written while the request runs and sent back in the response's `X-Request-ID`. In production the
lines are JSON (python-json-logger), one object per line, for the log collector.

What a line may hold is decided where it is written: identifiers (references, UUIDs, organisation codes), counts,
class names of errors — never the content of a signal, a person or a search. Query strings are left out of every
access log for the same reason (conf/gunicorn.py).
"""

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

request_id: ContextVar[str] = ContextVar("request_id", default="-")
_TOKEN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id.set(given if _TOKEN.match(given) else uuid.uuid4().hex)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id.get()
        return response


@receiver(request_finished)
def _forget_request_id(**kwargs: Any) -> None:
    """Django logs a response ("Not Found: …") after the middleware returned: the id is dropped only once the
    response is finished, so those lines carry it too."""
    request_id.set("-")


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (`-` outside a request: the worker, a command)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True
