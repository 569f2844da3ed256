"""Who is told about a referral, and when (issue 14): every status change writes one ReferralStatusChange row, and
this receiver turns it into notifications in the same transaction (meldroute.notifications: in the application,
and by mail through the outbox — the receiving organisation's functional mailbox too).

- sent: the receiving organisation's partner contacts and its mailbox (acute signals marked acuut);
- accepted, rejected, done: the AF who sent it and the AF the signal is assigned to;
- revoked: the receiving organisation's partner contacts and its mailbox;
- a question of the receiver: the AF who sent it and the AF the signal is assigned to; the sender's answer: the
  receiving organisation's partner contacts and its mailbox.

The text names the signal's code and the organisations, never a person or what was observed.
"""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.core.language import recorded_label
from meldroute.notifications.constants import Kind
from meldroute.notifications.services import notify

from .constants import ReferralStatus
from .models import Referral, ReferralMessage, ReferralStatusChange


@receiver(post_save, sender=ReferralStatusChange, dispatch_uid="referrals.notify_status_change")
def notify_status_change(sender: type[ReferralStatusChange], instance: ReferralStatusChange, created: bool,
                         **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    referral = (Referral.objects.select_related("signal", "receiver_organisation", "sender_organisation",
                                                "created_by", "signal__assigned_to")
                .get(pk=instance.referral_id))
    ref, link = referral.signal.reference, reverse("referrals:detail", args=[referral.uuid])
    receiver_org = referral.receiver_organisation
    to_status = instance.to_status
    if to_status in (ReferralStatus.IN_PROGRESS, ReferralStatus.REVOKED) and receiver_org is not None:
        contacts = User.objects.with_role(Role.PARTNER).filter(organisation=receiver_org, is_active=True,
                                                               is_service_account=False)
        if to_status == ReferralStatus.IN_PROGRESS:
            notify(users=contacts, kind=Kind.REFERRAL_RECEIVED, urgent=referral.signal.is_acute,
                   text=f"Nieuwe doorverwijzing van {referral.sender_organisation.name} ({ref})",
                   link=link, mailbox=receiver_org.email)
        else:
            notify(users=contacts, kind=Kind.REFERRAL_REVOKED, link=link, mailbox=receiver_org.email,
                   text=f"Doorverwijzing {ref} ingetrokken door {referral.sender_organisation.name}")
    elif to_status in (ReferralStatus.ACCEPTED, ReferralStatus.REJECTED, ReferralStatus.DONE):
        senders = [referral.created_by, referral.signal.assigned_to]
        label = recorded_label(ReferralStatus(to_status).label).lower()
        notify(users=[u for u in senders if u is not None], kind=Kind.REFERRAL_ANSWERED, link=link,
               urgent=referral.signal.is_acute,
               text=f"{referral.receiver_name} heeft doorverwijzing {ref} {label}")


def _partner_contacts(organisation: Any) -> Any:
    return User.objects.with_role(Role.PARTNER).filter(organisation=organisation, is_active=True,
                                                       is_service_account=False)


@receiver(post_save, sender=ReferralMessage, dispatch_uid="referrals.notify_message")
def notify_message(sender: type[ReferralMessage], instance: ReferralMessage, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    referral = (Referral.objects.select_related("signal", "receiver_organisation", "sender_organisation",
                                                "created_by", "signal__assigned_to")
                .get(pk=instance.referral_id))
    ref, link = referral.signal.reference, reverse("referrals:detail", args=[referral.uuid]) + "#berichten"
    if instance.from_receiver:
        senders = {u.pk: u for u in (referral.created_by, referral.signal.assigned_to) if u is not None}
        notify(users=list(senders.values()), kind=Kind.REFERRAL_MESSAGE, link=link, urgent=referral.signal.is_acute,
               text=f"Vraag van {referral.receiver_name} bij doorverwijzing {ref}")
    elif referral.receiver_organisation is not None:
        organisation = referral.receiver_organisation
        notify(users=_partner_contacts(organisation), kind=Kind.REFERRAL_MESSAGE, link=link,
               mailbox=organisation.email, urgent=referral.signal.is_acute,
               text=f"Antwoord van {referral.sender_organisation.name} bij doorverwijzing {ref}")
