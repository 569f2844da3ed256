"""Background jobs: each is a service call that is safe to repeat (it acts only on what is due and unclaimed)."""

import logging

from django.utils import timezone

from . import services

logger = logging.getLogger(__name__)


def run_due_jobs(now=None) -> dict[str, int]:
    now = now or timezone.now()
    results = {
        "expired_information_requests": services.expire_information_requests(now),
        "feedback_reminders": services.send_feedback_reminders(now),
        "acute_alerts": services.send_pending_acute_alerts(),
    }
    if any(results.values()):
        logger.info("jobs: %s", results)
    return results
