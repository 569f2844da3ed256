"""Intake's background jobs (registered with the worker in core.jobs): each is safe to repeat."""

from meldroute.core.jobs import register_job

from . import services

register_job("expired_information_requests", services.expire_information_requests)
register_job("feedback_reminders", services.send_feedback_reminders)
register_job("acute_alerts", lambda now: services.send_pending_acute_alerts())
