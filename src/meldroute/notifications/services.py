"""Telling people: `notify` writes the notifications and their mails in the caller's transaction; the worker sends
the mails (`send_outbox`), each once, with backoff while the mail server is down."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from meldroute.accounts.models import User
from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.core.jobs import backoff
from meldroute.core.language import recorded_label
from meldroute.core.mail import send_template_mail

from .constants import Kind
from .models import MailChoice, Notification, OutboxMail

MAIL_TEMPLATE = "notifications/mail/notification"


def notify(*, users: Iterable[User | None], kind: Kind, text: str, link: str, urgent: bool = False,
           mailbox: str = "", by_mail: bool = True) -> list[Notification]:
    """Tell `users` (in the application, and by mail unless they chose otherwise) and, when given, an
    organisation's functional `mailbox` (by mail). Call inside the transaction of the change it tells about: the
    notification and its mail commit with it or not at all. `text` names things by their code, never a person.
    `by_mail=False` when the caller sends its own mail (a reminder, to `wanting_mail(...)`)."""
    people = {user.pk: user for user in users if user is not None and user.is_active}
    rows = Notification.objects.bulk_create(
        [Notification(user=user, kind=kind, text=text, link=link, is_urgent=urgent) for user in people.values()])
    if not by_mail:
        return rows
    addresses = {user.email for user in wanting_mail(people.values(), kind) if user.email}
    if mailbox:
        addresses.add(mailbox)
    context = {"text": text, "link": _absolute(link), "urgent": urgent, "kind": recorded_label(Kind(kind).label)}
    OutboxMail.objects.bulk_create([OutboxMail(template=MAIL_TEMPLATE, context=context, recipients=[address])
                                    for address in sorted(addresses)])
    return rows


def wanting_mail(users: Iterable[User], kind: Kind) -> list[User]:
    """The users who did not switch off mail for this kind."""
    users = list(users)
    declined = set(MailChoice.objects.filter(user_id__in=[u.pk for u in users], kind=kind, by_mail=False)
                   .values_list("user_id", flat=True))
    return [user for user in users if user.pk not in declined]


def _absolute(link: str) -> str:
    return str(settings.MELDROUTE.get("BASE_URL", "")).rstrip("/") + link


# --- The user's own list -----------------------------------------------------------------------

def mark_read(user: User, notification_uuid: Any = None) -> int:
    """Mark one (or, without a uuid, all) of the user's own notifications read. Another user's: nothing happens."""
    mine = Notification.objects.filter(user=user).unread()
    if notification_uuid is not None:
        mine = mine.filter(uuid=notification_uuid)
    return mine.update(read_at=timezone.now())


def mail_choices(user: User) -> dict[str, bool]:
    chosen = dict(MailChoice.objects.filter(user=user).values_list("kind", "by_mail"))
    return {kind: chosen.get(kind, True) for kind in Kind.values}


def set_mail_choices(user: User, by_mail: dict[str, bool]) -> None:
    """Save which kinds the user wants by mail; the change is audited (it is the user's configuration)."""
    before = mail_choices(user)
    changed = sorted(kind for kind in Kind.values if before[kind] != bool(by_mail.get(kind, False)))
    if not changed:
        return
    with transaction.atomic():
        for kind in changed:
            MailChoice.objects.update_or_create(user=user, kind=kind, defaults={"by_mail": bool(by_mail.get(kind))})
        record_event(actor=user, action="notifications.mail_choices_changed", target_type=target_of(user),
                     target_uuid=user.uuid, fields=["mail_choices"], purpose="eigen instellingen notificaties",
                     details={"mail_on": [k for k in changed if by_mail.get(k)],
                              "mail_off": [k for k in changed if not by_mail.get(k)]})


# --- The outbox --------------------------------------------------------------------------------

def send_outbox(now: datetime) -> int:
    """The worker's job: send every mail that is due. Each is claimed by one conditional UPDATE (so two workers
    never send it twice) and sent inside that transaction: a failed send rolls the claim back, and the mail waits
    1, 2, 4 … 60 minutes before its next try. Returns the number sent."""
    due = (OutboxMail.objects.filter(sent_at__isnull=True)
           .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
           .order_by("created_at", "id").values_list("pk", flat=True)[:500])
    sent = 0
    for pk in list(due):
        try:
            with transaction.atomic():
                if not OutboxMail.objects.filter(pk=pk, sent_at__isnull=True).update(sent_at=now):
                    continue  # another worker sent it
                mail = OutboxMail.objects.get(pk=pk)
                send_template_mail(mail.template, mail.context, mail.recipients)
                OutboxMail.objects.filter(pk=pk).update(recipients=[], attempts=mail.attempts + 1)
            sent += 1
        except Exception as error:  # the mail server: try again later, and say why (the class, not the message)
            attempts = (OutboxMail.objects.filter(pk=pk).values_list("attempts", flat=True).first() or 0) + 1
            OutboxMail.objects.filter(pk=pk, sent_at__isnull=True).update(
                attempts=attempts, next_attempt_at=now + backoff(attempts), last_error=type(error).__name__)
            break  # the server is down: the rest waits for the next round instead of each timing out now
    return sent


def mails_overdue() -> int:
    """Mails waiting more than two minutes (readiness: core.health)."""
    return OutboxMail.objects.filter(sent_at__isnull=True,
                                     created_at__lt=timezone.now() - timedelta(minutes=2)).count()
