"""Health endpoints for the load balancer and the orchestrator (django-health-check):

- `/gezondheid/live/`: the process answers (no database, no other service) — restart it when this fails;
- `/gezondheid/klaar/`: ready for traffic — the database answers, a worker has been seen lately, the mail that must
  go out is not piling up, and the audit chain has a recent checkpoint. The apps above core add their own checks
  (`register_readiness_check`): core knows no app.

Both answer JSON without logging in and show only check names and their state, never data. 503 when not ready.
"""

import dataclasses
import logging
import timeit
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views import View
from health_check.base import HealthCheck, HealthCheckResult
from health_check.exceptions import HealthCheckException, ServiceUnavailable, ServiceWarning
from health_check.views import HealthCheckView

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def _setting(name: str, default: int) -> int:
    return int(str(settings.MELDROUTE.get(name, default)))


class InRequestThreadCheck(HealthCheck):  # type: ignore[misc]  # the library ships no types
    """A check that runs in the request's own thread, on its own database connection (so it sees what the request
    sees). Meldroute serves WSGI: the checks are a few quick queries, run one after the other (`_JsonHealthView`)."""

    def check(self) -> None:
        raise NotImplementedError

    def run(self) -> None:
        self.check()


@dataclasses.dataclass
class Database(InRequestThreadCheck):
    def check(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            if cursor.fetchone() != (1,):
                raise ServiceUnavailable("database gaf een onverwacht antwoord")


@dataclasses.dataclass
class Worker(InRequestThreadCheck):
    """The newest heartbeat of any worker (core.jobs writes one every round) is younger than WORKER_MAX_SILENCE."""

    def check(self) -> None:
        newest = WorkerHeartbeat.objects.order_by("-last_seen_at").values_list("last_seen_at", flat=True).first()
        if newest is None:
            raise ServiceUnavailable("nog geen worker gezien")
        silence = timezone.now() - newest
        if silence > timedelta(seconds=_setting("WORKER_MAX_SILENCE_SECONDS", 300)):
            raise ServiceUnavailable(f"geen worker gezien sinds {int(silence.total_seconds())} s")


# Mail that should have gone out but has not: each app counts its own (registered from its jobs.py).
_BACKLOGS: dict[str, Callable[[], int]] = {}
_CHECKS: list[type[HealthCheck]] = []


def register_mail_backlog(name: str, count: Callable[[], int]) -> None:
    """`count()` is the number of mails of this kind overdue for sending (a claim not yet taken)."""
    _BACKLOGS[name] = count


def register_readiness_check(check: type[HealthCheck]) -> None:
    if check not in _CHECKS:
        _CHECKS.append(check)


@dataclasses.dataclass
class MailBacklog(InRequestThreadCheck):
    def check(self) -> None:
        limit = _setting("MAIL_BACKLOG_MAX", 20)
        waiting = {name: count() for name, count in _BACKLOGS.items()}
        total = sum(waiting.values())
        if total > limit:
            raise ServiceUnavailable(f"{total} mails wachten op verzending: "
                                     + ", ".join(f"{k}={v}" for k, v in waiting.items() if v))
        if total:
            raise ServiceWarning(f"{total} mails wachten op verzending")


class _JsonHealthView(HealthCheckView):  # type: ignore[misc]  # the library ships no types
    """JSON whatever the client accepts (no HTML page to style under our CSP); 503 rather than 500 when not ready,
    so a proxy does not mistake a probe for a crash. Synchronous, unlike the library's view: the app is served by
    WSGI workers, and an async view there needs an event loop per request (and fails where one already runs)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = View.dispatch(self, request, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        add_never_cache_headers(response)
        return response

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.results = [_result(check) for check in self.get_checks()]
        return self.render_to_response_json(200)

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        return self.render_to_response_json(response_kwargs.get("status", 200))

    def render_to_response_json(self, status: int) -> JsonResponse:
        failing = [r for r in self.results if r.error and not isinstance(r.error, ServiceWarning)]
        body = {
            "status": "fail" if failing else "ok",
            "checks": {type(r.check).__name__: ("OK" if not r.error else str(r.error)) for r in self.results},
        }
        return JsonResponse(body, status=503 if failing else 200)


def _result(check: HealthCheck) -> HealthCheckResult:
    start = timeit.default_timer()
    try:
        check.run()
    except HealthCheckException as error:
        failure: HealthCheckException | None = error
    except Exception:  # never the message: it may name a host or a row
        logger.exception("health check %s failed unexpectedly", type(check).__name__)
        failure = HealthCheckException("onverwachte fout")
    else:
        failure = None
    return HealthCheckResult(check=check, error=failure, time_taken=timeit.default_timer() - start)


class LiveView(_JsonHealthView):
    checks = ()


class ReadyView(_JsonHealthView):
    def get_checks(self) -> Any:
        checks: list[type[HealthCheck]] = [Database, Worker, MailBacklog, *_CHECKS]
        for check in checks:
            yield check()


urlpatterns = [
    path("gezondheid/live/", LiveView.as_view(), name="health_live"),
    path("gezondheid/klaar/", ReadyView.as_view(), name="health_ready"),
]
