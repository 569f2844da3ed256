"""Reads of the audit log: who looked at an object."""

from uuid import UUID

from django.db.models import QuerySet

from .models import AccessLogEntry


def access_log_for(target_uuid: UUID | str, limit: int = 50) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(target_uuid=target_uuid).order_by("-id")[:limit]
