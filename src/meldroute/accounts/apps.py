"""Users, their organisation and their roles."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "meldroute.accounts"
    label = "accounts"
    verbose_name = _("Gebruikers")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 — the OpenID Connect configuration is complete or off
            receivers,  # noqa: F401 — the audit safety net for changes of power outside the services
        )


class SuperuserAdminConfig(admin_apps.AdminConfig):
    """The stock Django admin, open only to active superusers (who exist only through `createsuperuser`)."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin; AccountsConfig is this module's app
    default_site = "meldroute.accounts.admin_site.SuperuserAdminSite"
