"""Cases (casussen): opened from signals, their team, plan van aanpak and bestuurlijke interventies."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "meldroute.cases"
    label = "cases"
    verbose_name = _("Casussen")

    def ready(self) -> None:
        from meldroute.intake import timeline as signal_timeline

        from . import timeline

        signal_timeline.register("cases", timeline.entries)  # its entries on a signal's timeline
        from . import jobs, notifying  # noqa: F401 — the worker's job; notifications on actions
