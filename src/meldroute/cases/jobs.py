"""Cases' background job (registered with the worker in core.jobs): reminding overdue actions of a plan once."""

from meldroute.core.jobs import register_job

from . import services

register_job("case_action_reminders", services.send_action_reminders)
