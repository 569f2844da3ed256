"""Append-only, hash-chained logs of every write (AuditEvent) and every personal-data read (AccessLogEntry)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "meldroute.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from . import jobs  # noqa: F401 — registers the checkpoint job with the worker
