"""Audit's background job: head and count of the audit chains, outside the database, every AUDIT_CHECKPOINT_MINUTES."""

from meldroute.core.jobs import register_job

from .checkpoints import write_checkpoint_if_due

register_job("audit_checkpoint", write_checkpoint_if_due)
