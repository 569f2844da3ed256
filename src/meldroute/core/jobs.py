"""The background job registry and one worker round: each app registers its own jobs (its `jobs.py`), safe to repeat."""

import logging
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

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
