"""The regions' reporting routes (meldroutes) as data, and each signal's progress along its route."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "meldroute.routing"
    label = "routing"
    verbose_name = _("Meldroutes")
