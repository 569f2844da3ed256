"""Omgevingsscan / risico-analyse (issue 15, I1): a municipality's registers per wijk, combined with signal hotspots."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "meldroute.risk"
    label = "risk"
    verbose_name = _("Omgevingsscan en risico-analyse")
