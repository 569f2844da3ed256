"""Policy's background jobs (core.jobs): reminding overdue actions, and keeping the basisniveau history current."""

from meldroute.core.jobs import register_job

from . import services

register_job("policy_action_reminders", services.send_action_reminders)
register_job(services.LEVELS_JOB, services.refresh_levels)
