"""Overleggen: recurring meetings, their self-compiling agendas, decisions and minutes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meldroute.meetings"
    label = "meetings"
    verbose_name = _("Overleggen")

    def ready(self) -> None:
        from meldroute.intake import timeline as signal_timeline

        from . import timeline

        signal_timeline.register("meetings", timeline.entries)  # its entries on a signal's timeline
        from meldroute.routing.services import register_meeting_dates

        from . import jobs  # noqa: F401 — registers the minutes' outbox with the worker
        from .route_dates import next_table_for

        register_meeting_dates(next_table_for)  # a meeting step is due when its next table meets
