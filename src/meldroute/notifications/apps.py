"""Notifications: what a user must know about (a referral received, a question answered, an action overdue), in the
application and, per the user's choice, by mail — through a transactional outbox, so none is lost."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "meldroute.notifications"
    label = "notifications"
    verbose_name = _("Notificaties")

    def ready(self) -> None:
        from . import jobs  # noqa: F401 — registers the outbox's sender with the worker
