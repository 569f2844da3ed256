"""Victim care (zorgcoördinatie): trajectories, shelter placements, bedenktijd, permits, responsible municipality."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "meldroute.care"
    label = "care"
    verbose_name = _("Opvang en hulpverlening")

    def ready(self):
        from meldroute.core.jobs import register_job

        from . import services

        register_job("reflection_reminders", services.send_reflection_reminders)
