"""Retention's background job (registered with the worker in core.jobs): once a day, the first round claims the day."""

from meldroute.core.jobs import register_job

from .services import run_daily_retention

register_job("retention", run_daily_retention)
