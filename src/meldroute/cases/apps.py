"""Cases (casussen): opened from signals, their team, plan van aanpak and bestuurlijke interventies."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "meldroute.cases"
    label = "cases"
    verbose_name = _("Casussen")

    def ready(self) -> None:
        from . import jobs, notifying  # noqa: F401 — the worker's job; notifications on actions
