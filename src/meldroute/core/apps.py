"""Shared building blocks: base model, domain errors, working days, form rendering."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "meldroute.core"
    label = "core"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks on the keys)
