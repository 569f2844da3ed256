"""Audit's background job: head and count of the audit chains, outside the database, every AUDIT_CHECKPOINT_MINUTES;
and the readiness check that the newest checkpoint is not older than twice that."""

import dataclasses
import json
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from health_check.exceptions import ServiceUnavailable

from meldroute.core.health import InRequestThreadCheck, register_readiness_check
from meldroute.core.jobs import register_job

from .checkpoints import checkpoint_file, last_checkpoint_line, write_checkpoint_if_due

register_job("audit_checkpoint", write_checkpoint_if_due)


@dataclasses.dataclass
class AuditCheckpoint(InRequestThreadCheck):
    """Rows written after the newest checkpoint can be removed unseen (docs/privacy/audit-chain.md): a checkpoint
    that stopped coming is a reason not to take traffic. Switched off checkpoints are not checked."""

    def check(self) -> None:
        path = checkpoint_file()
        if path is None:
            return
        if not path.exists():
            raise ServiceUnavailable("nog geen auditcontrolepunt geschreven")
        try:
            at = datetime.fromisoformat(json.loads(last_checkpoint_line(path))["at"])
        except (ValueError, KeyError, TypeError) as error:
            raise ServiceUnavailable("laatste auditcontrolepunt onleesbaar") from error
        minutes = int(str(settings.MELDROUTE.get("AUDIT_CHECKPOINT_MINUTES", 15)))
        age = timezone.now() - at
        if age > timedelta(minutes=2 * minutes):
            raise ServiceUnavailable(f"laatste auditcontrolepunt is {int(age.total_seconds() // 60)} minuten oud")


register_readiness_check(AuditCheckpoint)
