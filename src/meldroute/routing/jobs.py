"""Routing's background job (registered with the worker in core.jobs): reminding overdue route steps once."""

from meldroute.core.jobs import register_job

from . import services

register_job("route_step_reminders", services.send_step_reminders)
