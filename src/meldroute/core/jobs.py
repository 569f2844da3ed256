"""Background work: the job registry, one worker round, and the one claim → send → audit step of every reminder."""

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from .mail import send_template_mail

logger = logging.getLogger(__name__)

Job = Callable[[datetime], int]

# Filled by each app's jobs.py (imported from its AppConfig.ready()); core imports no app.
_REGISTERED: dict[str, Job] = {}


def register_job(name: str, job: Job) -> None:
    """Add a job `job(now) -> number of things done` to every round of the worker."""
    _REGISTERED[name] = job


def run_due_jobs(now: datetime | None = None) -> dict[str, int]:
    """Run every job once. A failing job (say, the mail server is down) is logged and retried next round;
    it never stops the others or the worker."""
    now = now or timezone.now()
    results = {}
    for name, job in _REGISTERED.items():
        try:
            results[name] = job(now)
        except Exception:
            logger.exception("background job %s failed; it will be retried", name)
            results[name] = -1
    if any(results.values()):
        logger.info("jobs: %s", results)
    return results


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
