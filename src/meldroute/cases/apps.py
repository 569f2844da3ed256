"""Cases (casussen): opened from signals, their team, plan van aanpak and bestuurlijke interventies."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "meldroute.cases"
    label = "cases"
    verbose_name = _("Casussen")

    def ready(self) -> None:
        from . import jobs  # noqa: F401 — registers cases' background job with the worker
        from . import notifying  # noqa: F401 — tells an action's owner (meldroute.notifications)
