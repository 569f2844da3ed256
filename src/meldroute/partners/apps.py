"""Chain partners: the partner directory (wegwijzer) and the sharing rules per partner type."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "meldroute.partners"
    label = "partners"
    verbose_name = _("Ketenpartners")

    def ready(self) -> None:
        from . import receivers  # noqa: F401 — every change of a sharing rule is audited
