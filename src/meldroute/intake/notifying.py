"""Who is told when the reporter answers the AF's question (issue 14): the AF who asked and the AF the signal is
assigned to, in the application and (per their choice) by mail — from the answer's save, in its transaction."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from meldroute.notifications.constants import Kind
from meldroute.notifications.services import notify

from .models import InformationRequest


@receiver(post_save, sender=InformationRequest, dispatch_uid="intake.notify_answer")
def notify_answer(sender: type[InformationRequest], instance: InformationRequest, created: bool,
                  update_fields: frozenset[str] | None = None, **kwargs: Any) -> None:
    if created or kwargs.get("raw") or not update_fields or "answered_at" not in update_fields:
        return
    if instance.answered_at is None:
        return
    signal = instance.signal
    notify(users=[instance.asked_by, signal.assigned_to], kind=Kind.QUESTION_ANSWERED, urgent=signal.is_acute,
           text=f"De melder heeft uw vraag bij {signal.reference} beantwoord",
           link=reverse("triage:signal", args=[signal.uuid]))
