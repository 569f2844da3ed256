"""Signals from every channel: the reporting form, partner API, attachments, receipts, questions, feedback."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "meldroute.intake"
    label = "intake"
    verbose_name = _("Signalen")

    def ready(self) -> None:
        from . import jobs, notifying, timeline  # noqa: F401 — the worker's jobs; notifications on answers

        timeline.register("intake", timeline.intake_entries)  # the signal's timeline: the other apps add theirs

        from django.db.models.signals import post_delete

        from .models import Attachment
        from .thumbnails import on_attachment_deleted

        post_delete.connect(on_attachment_deleted, sender=Attachment, dispatch_uid="intake.thumbnail_deleted")
