"""Daily rollups of signals per municipality: the dashboard's and the regional view's counts, kept with every change."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupsConfig(AppConfig):
    name = "meldroute.rollups"
    label = "rollups"
    verbose_name = _("Dagtotalen")

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
