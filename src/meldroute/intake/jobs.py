"""Intake's background job (registered with the worker in core.jobs): acute alerts lost to a crash, safe to repeat."""

from meldroute.core.jobs import register_job

from . import services

register_job("acute_alerts", lambda now: services.send_pending_acute_alerts())
