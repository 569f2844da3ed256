"""Triage's background jobs (registered with the worker in core.jobs): questions that expire, feedback reminders."""

from meldroute.core.jobs import register_job

from . import services

register_job("expired_information_requests", services.expire_information_requests)
register_job("feedback_reminders", services.send_feedback_reminders)
