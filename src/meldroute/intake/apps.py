"""Signals from every channel: the reporting form, partner API, attachments, receipts, questions, feedback."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "meldroute.intake"
    label = "intake"
    verbose_name = _("Signalen")

    def ready(self) -> None:
        from . import jobs  # noqa: F401 — registers intake's background jobs with the worker
        from . import notifying  # noqa: F401 — tells the AF when the reporter answers (meldroute.notifications)
