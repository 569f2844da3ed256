"""Care's background job (registered with the worker in core.jobs): bedenktijd reminders, once per threshold."""

from meldroute.core.jobs import register_job

from . import services

register_job("reflection_reminders", services.send_reflection_reminders)
register_job("placement_request_alerts", services.send_placement_request_alerts)
