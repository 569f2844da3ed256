"""Monitoring and reporting: dashboards, disclosure-controlled regional figures, exports, reports. Aggregates only."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "meldroute.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring en rapportage")
