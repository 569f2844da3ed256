"""The policy app: registers its reminder job and its sections of the evaluation report when Django starts."""

from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "meldroute.policy"
    label = "policy"
    verbose_name = "Beleid en voortgang"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from meldroute.accounts.constants import Role
        from meldroute.core.home_panels import register

        from . import jobs, report  # noqa: F401  # registers the reminder job and the report sections
        from .home import basisniveau_panel

        register(Role.KETENREGISSEUR, "basisniveau", basisniveau_panel, order=20)  # replaces homes' placeholder
