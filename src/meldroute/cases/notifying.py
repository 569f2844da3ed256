"""Who is told about a case's actions (issue 14): the person an action is assigned to, when it is set (in the
application, and by mail per their choice); and — from the reminder job (services._remind_action) — when it is
overdue. The text is the case's code and the deadline: an action's own text may hold personal data."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from meldroute.core.dates import long_date
from meldroute.notifications.constants import Kind
from meldroute.notifications.services import notify

from .models import CaseAction


@receiver(post_save, sender=CaseAction, dispatch_uid="cases.notify_action_assigned")
def notify_action_assigned(sender: type[CaseAction], instance: CaseAction, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw") or instance.owner_user is None:
        return
    if instance.owner_user_id == instance.created_by_id:
        return  # set for oneself: nothing to tell
    case = instance.case
    notify(users=[instance.owner_user], kind=Kind.CASE_ACTION_ASSIGNED,
           text=f"Nieuwe actie voor u in casus {case.reference}, uiterlijk {long_date(instance.deadline)}",
           link=reverse("cases:detail", args=[case.uuid]))


def notify_action_overdue(action: CaseAction, recipients: list[Any]) -> None:
    """Called by the reminder job inside its claim, so the notification is written once, with the reminder."""
    case = action.case
    notify(users=recipients, kind=Kind.CASE_ACTION_OVERDUE, by_mail=False,  # the reminder is its mail
           text=f"Actie in casus {case.reference} is over de termijn (uiterlijk {long_date(action.deadline)})",
           link=reverse("cases:detail", args=[case.uuid]))
