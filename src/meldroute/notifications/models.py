"""A user's notifications, their mail choices, and the outbox every notification mail goes through."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meldroute.core.models import BaseModel

from .constants import Kind


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(BaseModel):
    """One line in a user's list. `text` names the thing by its code (a signal's or referral's reference), never a
    person, an address or what was observed: it is also the mail's text."""

    audit_target = "notifications.notification"  # stored in the audit log: never rename (audit.targets)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("soort"), max_length=32, choices=Kind.choices)
    text = models.CharField(_("tekst"), max_length=200)
    link = models.CharField(_("link"), max_length=300)
    is_urgent = models.BooleanField(_("acuut"), default=False)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
                   models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.text


class MailChoice(models.Model):
    """A user's choice for one kind: mail or not (no row: mail, the default)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_choices")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    by_mail = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_mail_choice_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.by_mail}"


class OutboxMail(BaseModel):
    """A mail written in the same transaction as what it tells about, sent by the worker (notifications.jobs).
    A mail server that is down delays it (backoff per mail), never loses it; `sent_at` is set once, by the one
    worker that claimed it. Addresses are kept until sent, then cleared."""

    template = models.CharField(max_length=100)
    context = models.JSONField(default=dict)
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=128, blank=True)

    class Meta:
        indexes = [models.Index(fields=["next_attempt_at"], condition=Q(sent_at__isnull=True),
                                name="outbox_pending_idx")]

    def __str__(self) -> str:
        return f"{self.template} ({'verzonden' if self.sent_at else 'wacht'})"
