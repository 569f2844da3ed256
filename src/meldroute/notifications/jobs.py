"""The outbox's sender, registered with the worker; its backlog counts for readiness."""

from meldroute.core.health import register_mail_backlog
from meldroute.core.jobs import register_job

from . import services

register_job("notification_mail", services.send_outbox)
register_mail_backlog("notifications", services.mails_overdue)
