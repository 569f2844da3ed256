"""Background work: the job registry, one worker round, and the one claim → send → audit step of every reminder.

Any number of workers may run (docs/adr/0001-background-work.md). Two guards keep work from happening twice: a
worker takes a job for the round with a lease on its `JobState` row (a conditional UPDATE: one worker wins), and
every item a job handles is claimed in the database before it is sent (`claim_send_audit`). A failing job is
retried with a growing pause (1, 2, 4 … 60 minutes), and its failures are visible in `JobState` and readiness.
"""

import logging
import os
import socket
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .mail import send_template_mail
from .models import JobState, WorkerHeartbeat

logger = logging.getLogger(__name__)

Job = Callable[[datetime], int]

# Filled by each app's jobs.py (imported from its AppConfig.ready()); core imports no app.
_REGISTERED: dict[str, Job] = {}


def register_job(name: str, job: Job) -> None:
    """Add a job `job(now) -> number of things done` to every round of the worker."""
    _REGISTERED[name] = job


# A round of one job takes seconds; a worker that dies holding a lease frees it after this long.
LEASE = timedelta(minutes=10)
MAX_BACKOFF = timedelta(minutes=60)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def backoff(failures: int) -> timedelta:
    """The pause after the n-th failure in a row: 1, 2, 4, … minutes, at most an hour."""
    return min(timedelta(minutes=2 ** max(failures - 1, 0)), MAX_BACKOFF)


def run_due_jobs(now: datetime | None = None, *, worker: str | None = None) -> dict[str, int]:
    """Run every job that is due and not held by another worker, once. A failing job (say, the mail server is
    down) is logged and retried after its backoff; it never stops the others or the worker. Returns the jobs this
    worker ran: {name: number of things done, or -1 when it failed}."""
    now = now or timezone.now()
    worker = worker or worker_name()
    WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"last_seen_at": now})
    JobState.objects.bulk_create([JobState(name=name) for name in _REGISTERED], ignore_conflicts=True)
    results = {}
    for name, job in _REGISTERED.items():
        if not _take(name, worker, now):
            continue
        try:
            results[name] = job(now)
        except Exception as error:
            logger.exception("background job %s failed; it will be retried", name)
            results[name] = -1
            _release(name, worker, now, error=type(error).__name__)
        else:
            _release(name, worker, now)
    if any(results.values()):
        logger.info("jobs: %s", results)
    return results


def _take(name: str, worker: str, now: datetime) -> bool:
    """The lease: one conditional UPDATE, so of two workers asking at once exactly one gets the job. A worker may take
    back its own lease: a round cut off before it could release (the database restarted under it) would otherwise
    keep that job from this very worker until the lease ran out (benchmarks/load.py's fault drill found it)."""
    return bool(JobState.objects.filter(name=name)
                .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now) | Q(locked_by=worker))
                .filter(Q(next_run_at__isnull=True) | Q(next_run_at__lte=now))
                .update(locked_by=worker, locked_until=now + LEASE))


def _release(name: str, worker: str, now: datetime, *, error: str = "") -> None:
    state = JobState.objects.filter(name=name, locked_by=worker).first()
    if state is None:  # the lease ran out and another worker took the job: its record stands
        return
    state.locked_by, state.locked_until, state.last_run_at = "", None, now
    if error:
        state.failures += 1
        state.last_error = error
        state.next_run_at = now + backoff(state.failures)
    else:
        state.failures, state.last_error, state.next_run_at, state.last_success_at = 0, "", None, now
    state.save()


def claim_send_audit(*, claim: Callable[[], object], recipients: Callable[[], Sequence[str]], mail: str,
                     context: Callable[[], dict[str, Any]], audit: Callable[[Sequence[str]], object]) -> bool:
    """Send one alert or reminder at most once, in one transaction: `claim()` marks it sent in the database (a
    conditional UPDATE or a unique row; falsy when another round already did), then the mail template `mail` goes to
    `recipients()` (if any), then `audit(addresses)` writes the audit event. A mail that fails rolls the claim back,
    so the next round tries again. Returns whether this call claimed it."""
    with transaction.atomic():
        if not claim():
            return False
        addresses = list(recipients())
        if addresses:
            send_template_mail(mail, context(), addresses)
        audit(addresses)
    return True
