"""Access-checked reads of referrals. The receiver only ever reads what went out (shared_data); reads are logged."""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from meldroute.accounts.constants import Role
from meldroute.audit.services import record_access
from meldroute.organisations.models import Organisation
from meldroute.partners.models import DirectoryEntry

from .models import Referral, ReferralLink, hash_token

TARGET = "referrals.referral"
LIST_FIELDS = ("uuid", "status", "created_at", "receiver_name", "receiver_partner_type", "sender_name",
               "signal__reference")


def referrals_visible_to(user):
    """The scoped QuerySet. Lists built on it show no personal data (code, dates, parties, status)."""
    return Referral.objects.visible_to(user)


def referral_list_for(user):
    return (referrals_visible_to(user).select_related("signal").only(*LIST_FIELDS)
            .order_by("-created_at", "-id"))


def referrals_received_by(user):
    """The partner contact's inbox: referrals sent to their organisation."""
    if not user.has_role(Role.PARTNER) or user.organisation_id is None:
        return Referral.objects.none()
    return referral_list_for(user).filter(receiver_organisation_id=user.organisation_id)


def get_referral_for(user, referral_uuid, *, purpose: str) -> Referral:
    """One referral with what went out, if the user may see it (else 404). The read is logged."""
    referral = (referrals_visible_to(user).select_related("signal", "signal__municipality", "receiver_organisation",
                                                          "sender_organisation", "directory_entry", "created_by")
                .filter(uuid=referral_uuid).first())
    if referral is None:
        raise Http404
    record_access(actor=user, target_type=TARGET, target_uuid=referral.uuid, fields=referral.shared_fields,
                  purpose=purpose)
    return referral


def get_referral_for_receiver(user, referral_uuid, *, purpose: str) -> Referral:
    """As the receiving partner contact sees it: only referrals sent to their own organisation."""
    if not user.has_role(Role.PARTNER) or user.organisation_id is None:
        raise Http404
    if not referrals_received_by(user).filter(uuid=referral_uuid).exists():
        raise Http404
    return get_referral_for(user, referral_uuid, purpose=purpose)


def get_link(token: str) -> ReferralLink:
    """The valid link for a raw token, or 404: expired, revoked and unknown tokens are indistinguishable."""
    if not token or len(token) > 100:
        raise Http404
    link = (ReferralLink.objects.valid().select_related("referral", "referral__signal")
            .filter(token_hash=hash_token(token)).first())
    if link is None:
        raise Http404
    return link


def read_through_link(token: str, *, purpose: str = "doorverwijzing inzien via persoonlijke link") -> ReferralLink:
    """A use of a personal link: every use is access-logged under the receiver's name (nobody is signed in)."""
    link = get_link(token)
    record_access(actor=AnonymousUser(), target_type=TARGET, target_uuid=link.referral.uuid,
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
