"""The meetings' background job (registered with the worker in core.jobs): the minutes' outbox."""

from meldroute.core.jobs import register_job

from . import services

register_job("minutes_notices", services.send_minutes_notices)
