"""The start page of every role (meldroute.homes): its work from every app, through their selectors."""

from django.apps import AppConfig


class HomesConfig(AppConfig):
    name = "meldroute.homes"
    label = "homes"
    verbose_name = "Startpagina's"

    def ready(self) -> None:
        from .panels import register_builtin_panels

        register_builtin_panels()
