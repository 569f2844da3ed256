"""Signals from every channel: the reporting form, partner API, attachments, receipts, questions, feedback."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "meldroute.intake"
    label = "intake"
    verbose_name = _("Signalen")

    def ready(self) -> None:
        from . import jobs, notifying  # noqa: F401 — the worker's jobs; notifications on answers
