"""Reads of the audit log: who looked at an object."""

from .models import AccessLogEntry


def access_log_for(target_uuid, limit: int = 50):
    return AccessLogEntry.objects.filter(target_uuid=target_uuid).order_by("-id")[:limit]
