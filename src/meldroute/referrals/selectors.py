"""Access-checked reads of referrals. The receiver only ever reads what went out (shared_data), and after the sender
revoked it only that it was revoked (`receiver_view`); reads are logged with what was actually shown."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import in_role
from meldroute.audit.services import record_access
from meldroute.audit.targets import target_of
from meldroute.organisations.models import Organisation
from meldroute.partners.models import DirectoryEntry

from .constants import OPEN_STATUSES, ReferralStatus
from .models import Referral, ReferralLink, ReferralMessage, hash_token

LIST_FIELDS = ("uuid", "status", "created_at", "receiver_name", "receiver_partner_type", "sender_name",
               "signal__reference", "signal__is_acute")


def referrals_visible_to(user):
    """The scoped QuerySet. Lists built on it show no personal data (code, dates, parties, status)."""
    return Referral.objects.visible_to(user)


def referral_list_for(user):
    return (referrals_visible_to(user).select_related("signal").only(*LIST_FIELDS)
            .order_by("-created_at", "-id"))


def filter_referrals(referrals, *, status: str = "", acute: bool = False, received_from: date | None = None,
                     received_until: date | None = None):
    """The list's filters (forms.ReferralFilterForm): status ("open" = waiting or accepted), acute only, and the
    local dates between which the referral was received."""
    if status == "open":
        referrals = referrals.filter(status__in=OPEN_STATUSES)
    elif status:
        referrals = referrals.filter(status=status)
    if acute:
        referrals = referrals.filter(is_acute=True)  # the signal's flag, copied onto the referral
    zone = timezone.get_current_timezone()
    if received_from:
        referrals = referrals.filter(created_at__gte=datetime.combine(received_from, time.min, tzinfo=zone))
    if received_until:
        referrals = referrals.filter(
            created_at__lt=datetime.combine(received_until + timedelta(days=1), time.min, tzinfo=zone))
    return referrals


def messages_of(referral: Referral, user) -> list[ReferralMessage]:
    """The questions and answers on a referral, for its sender and its receiver (not after a revocation); the read
    was logged with the referral (get_referral_for names "messages")."""
    if is_receiver(user, referral) and receiver_view(referral).revoked and not _is_sender(user, referral):
        return []
    return list(referral.messages.select_related("author"))


def referrals_received_by(user):
    """The partner contact's inbox: referrals sent to their organisation."""
    if not in_role(user, Role.PARTNER, organisation=True):
        return Referral.objects.none()
    return referral_list_for(user).filter(receiver_organisation_id=user.organisation_id)


# What a receiver reads of a revoked referral: that it was revoked, and when. Nothing of what went out.
REVOKED_FIELDS = ("status", "closed_at")


@dataclass(frozen=True)
class ReceiverView:
    """THE rule for what the receiving partner may read of a referral, given its status. Page, API and personal
    link all render from this. While the referral stands: its facts and exactly what went out. Once the sender
    revoked it: only the fact of revocation and its date — the snapshot stays on the referral for the sender's
    audit, but never again reaches the receiver."""

    referral: Referral
    revoked: bool
    revoked_at: datetime | None

    @property
    def fields(self) -> list[str]:
        """The fields this view shows, as the access log names them."""
        return list(REVOKED_FIELDS) if self.revoked else self.referral.shared_fields

    def sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        return [] if self.revoked else self.referral.shared_sections()


def receiver_view(referral: Referral) -> ReceiverView:
    revoked = referral.status == ReferralStatus.REVOKED
    return ReceiverView(referral=referral, revoked=revoked, revoked_at=referral.closed_at if revoked else None)


def is_receiver(user, referral: Referral) -> bool:
    return (user.has_role(Role.PARTNER) and referral.receiver_organisation_id is not None
            and user.organisation_id == referral.receiver_organisation_id)


def _is_sender(user, referral: Referral) -> bool:
    return bool(user.has_role(Role.AF) and user.organisation_id == referral.sender_organisation_id)


def get_referral_for(user, referral_uuid, *, purpose: str) -> Referral:
    """One referral, if the user may see it (else 404). The read is logged with what the user is shown: what went
    out for the sender (and for the receiver until revocation), only the revocation for the receiver after it."""
    referral = (referrals_visible_to(user).select_related("signal", "signal__municipality", "receiver_organisation",
                                                          "sender_organisation", "directory_entry", "created_by")
                .filter(uuid=referral_uuid).first())
    if referral is None:
        raise Http404
    sender = _is_sender(user, referral)
    fields = receiver_view(referral).fields if is_receiver(user, referral) and not sender else referral.shared_fields
    if sender or not receiver_view(referral).revoked:
        fields = [*fields, "messages"]  # the questions and answers are shown with it
    record_access(actor=user, target_type=target_of(referral), target_uuid=referral.uuid, fields=fields,
                  purpose=purpose)
    return referral


def get_referral_for_receiver(user, referral_uuid, *, purpose: str) -> Referral:
    """As the receiving partner contact sees it: only referrals sent to their own organisation."""
    if not in_role(user, Role.PARTNER, organisation=True):
        raise Http404
    if not referrals_received_by(user).filter(uuid=referral_uuid).exists():
        raise Http404
    return get_referral_for(user, referral_uuid, purpose=purpose)


class LinkUnavailable(Http404):
    """A personal link that shows nothing: unknown, expired, revoked, or its referral revoked. All look the same."""


def get_link(token: str) -> ReferralLink:
    """The valid link for a raw token, or LinkUnavailable (a 404): expired, revoked and unknown tokens are
    indistinguishable, and a link to a revoked referral is dead even if the link itself was somehow left valid."""
    if not token or len(token) > 100:
        raise LinkUnavailable
    link = (ReferralLink.objects.valid().select_related("referral", "referral__signal")
            .filter(token_hash=hash_token(token)).first())
    if link is None or receiver_view(link.referral).revoked:
        raise LinkUnavailable
    return link


def read_through_link(token: str, *, purpose: str = "doorverwijzing inzien via persoonlijke link") -> ReferralLink:
    """A use of a personal link: every use is access-logged under the receiver's name (nobody is signed in)."""
    link = get_link(token)
    record_access(actor=AnonymousUser(), target_type=target_of(link.referral), target_uuid=link.referral.uuid,
                  fields=link.referral.shared_fields, purpose=f"{purpose} ({link.uuid})",
                  actor_label=link.referral.link_actor_label)
    return link


def referrals_of_signal(signal):
    """For the AF's signal page; the signal itself was read through its own access-checked selector."""
    return signal.referrals.only(*LIST_FIELDS[:-1], "signal_id").order_by("-created_at", "-id")


def receivers_for(region_id):
    """Who an AF may refer to: partner organisations of the region, and the wegwijzer's region and national entries."""
    organisations = Organisation.objects.partners().filter(region_id=region_id).order_by("name")
    entries = (DirectoryEntry.objects.active().for_region(region_id).filter(organisation__isnull=True)
               .order_by("name"))
    return organisations, entries
