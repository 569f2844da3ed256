"""Retention: terms per record type as configuration, holds, the dry-run report and the daily job."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "meldroute.retention"
    label = "retention"
    verbose_name = _("Bewaartermijnen")

    def ready(self) -> None:
        from . import jobs  # noqa: F401 — registers the daily retention run with the worker
