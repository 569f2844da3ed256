"""Victim care (zorgcoördinatie): trajectories, shelter placements, bedenktijd, permits, responsible municipality."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "meldroute.care"
    label = "care"
    verbose_name = _("Opvang en hulpverlening")

    def ready(self) -> None:
        from . import (
            jobs,  # noqa: F401 — registers care's background job with the worker
            receivers,  # noqa: F401 — follows meetings' shelter decisions
        )
