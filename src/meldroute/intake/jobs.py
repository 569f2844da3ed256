"""Intake's background job (registered with the worker in core.jobs): acute alerts lost to a crash, safe to repeat."""

from meldroute.core.health import register_mail_backlog
from meldroute.core.jobs import register_job

from . import resident_services, services

register_job("acute_alerts", lambda now: services.send_pending_acute_alerts())
register_job("resident_form_counters", lambda now: resident_services.purge_counters(now))
register_mail_backlog("acute_alerts", services.acute_alerts_overdue)
