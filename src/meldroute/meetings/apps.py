"""Overleggen: recurring meetings, their self-compiling agendas, decisions and minutes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meldroute.meetings"
    label = "meetings"
    verbose_name = _("Overleggen")
