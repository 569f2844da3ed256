"""Background jobs: each is a service call that is safe to repeat (it acts only on what is due and unclaimed)."""

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.utils import timezone

from meldroute.audit.checkpoints import write_checkpoint_if_due

from . import services

logger = logging.getLogger(__name__)


# Jobs of the apps above intake (route step reminders, expiring links…), registered from their AppConfig.ready().
_REGISTERED: dict[str, Callable[[Any], int]] = {}


def register_job(name: str, job: Callable[[Any], int]) -> None:
    """Add a job `job(now) -> number of things done` to every round of the worker."""
    _REGISTERED[name] = job


def _jobs(now) -> dict[str, Callable[[], int]]:
    jobs: dict[str, Callable[[], int]] = {
        "expired_information_requests": lambda: services.expire_information_requests(now),
        "feedback_reminders": lambda: services.send_feedback_reminders(now),
        "acute_alerts": services.send_pending_acute_alerts,
        # Head and count of the audit chains, outside the database, every AUDIT_CHECKPOINT_MINUTES.
        "audit_checkpoint": lambda: write_checkpoint_if_due(now),
    }
    for name, job in _REGISTERED.items():
        jobs[name] = partial(job, now)
    return jobs


def run_due_jobs(now=None) -> dict[str, int]:
    """Run every job once. A failing job (say, the mail server is down) is logged and retried next round;
    it never stops the others or the worker."""
    now = now or timezone.now()
    results = {}
    for name, job in _jobs(now).items():
        try:
            results[name] = job()
        except Exception:
            logger.exception("background job %s failed; it will be retried", name)
            results[name] = -1
    if any(results.values()):
        logger.info("jobs: %s", results)
    return results
