"""Shared building blocks: base model, domain errors, working days, form rendering."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "meldroute.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core.signals import request_finished

        from . import checks  # noqa: F401  (registers the deployment checks on the keys)
        from .middleware import language_reset, renewed_at_login

        user_logged_in.connect(renewed_at_login, dispatch_uid="meldroute.core.session_renewed_at_login")
        request_finished.connect(language_reset, dispatch_uid="meldroute.core.language_reset")
