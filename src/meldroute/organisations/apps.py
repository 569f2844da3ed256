"""Regions, municipalities and the regional bodies and chain partners in them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "meldroute.organisations"
    label = "organisations"
    verbose_name = _("Organisaties")
