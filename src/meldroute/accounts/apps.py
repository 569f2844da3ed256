"""Users, their organisation and their roles."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "meldroute.accounts"
    label = "accounts"
    verbose_name = _("Gebruikers")
