"""Overleggen: recurring meetings, their self-compiling agendas, decisions and minutes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meldroute.meetings"
    label = "meetings"
    verbose_name = _("Overleggen")

    def ready(self) -> None:
        from . import jobs  # noqa: F401 — registers the minutes' outbox with the worker
