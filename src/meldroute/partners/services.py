"""Writes of the partners app: the national default sharing rules, and the check every share must pass."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from meldroute.accounts.constants import Role
from meldroute.accounts.safety_net import audited_by_service
from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.core.exceptions import DomainError
from meldroute.intake.constants import Phenomenon
from meldroute.organisations.models import Region

from .constants import DataCategory, LegalGround, PartnerType, default_phenomenon_receivers, default_sharing_rules
from .models import PhenomenonReceiver, SharingRule
from .selectors import RegionRef, allowed_grounds


def ensure_default_sharing_rules() -> int:
    """Create the national rules that are missing; never overwrite one the beheerder has changed. Idempotent."""
    created = 0
    with transaction.atomic(), audited_by_service():
        for row in default_sharing_rules():
            _rule, was_created = SharingRule.objects.get_or_create(
                region=None, partner_type=row["partner_type"], category=row["category"],
                defaults={"grounds": row["grounds"], "source": row["source"]})
            created += was_created
        if created:
            record_event(actor=None, action="sharing_rule.defaults_created", target_type=target_of(SharingRule),
                         purpose="deelregels beheren", details={"created": created})
    return created


def refused_categories(*, region: RegionRef, partner_type: str, categories: Iterable[str], ground: str) -> list[str]:
    return [c for c in DataCategory.values if c in set(categories)
            and ground not in allowed_grounds(region, partner_type, c)]


def check_share(*, region: RegionRef, partner_type: str, categories: Iterable[str], ground: str) -> None:
    """Refuse a share unless every category may go to this partner type on this ground (rules enforced on the server).

    The caller records the refusal in the audit trail: nothing was shared, but the attempt must be visible."""
    categories = list(categories)
    if ground not in LegalGround.values:
        raise DomainError(_("Kies een grondslag."), field="legal_ground")
    if partner_type not in PartnerType.values:
        raise DomainError(_("Onbekende soort ketenpartner."), field="receiver")
    if any(c not in DataCategory.values for c in categories):
        raise DomainError(_("Onbekende soort gegevens."), field="categories")
    refused = refused_categories(region=region, partner_type=partner_type, categories=categories, ground=ground)
    if refused:
        raise DomainError(
            _("Deze gegevens mogen niet naar %(partner)s op grond van '%(ground)s': %(categories)s. Kies een andere "
              "grondslag of deel minder.")
            % {"partner": PartnerType(partner_type).label, "ground": LegalGround(ground).label,
               "categories": "; ".join(str(DataCategory(c).label) for c in refused)},
            field="categories")


# --- Who receives a signal of another phenomenon ----------------------------------------------------------------

def ensure_default_phenomenon_receivers() -> int:
    """Create the national defaults that are missing; never overwrite one. Idempotent."""
    created = 0
    with transaction.atomic():
        for row in default_phenomenon_receivers():
            _row, was_created = PhenomenonReceiver.objects.get_or_create(
                region=None, phenomenon=row["phenomenon"],
                defaults={k: row[k] for k in ("partner_type", "receiver_name", "source")})
            created += was_created
        if created:
            record_event(actor=None, action="phenomenon_receiver.defaults_created",
                         target_type=target_of(PhenomenonReceiver), purpose="ontvangers ander fenomeen beheren",
                         details={"created": created})
    return created


def set_phenomenon_receiver(region: Region, *, actor: Any, phenomenon: str, partner_type: str, receiver_name: str,
                            source: str) -> PhenomenonReceiver:
    """The region's own receiver for a phenomenon (overriding the national default). The beheerder of the region
    only (the view checks the role; this checks the region)."""
    _ensure_region_beheerder(actor, region)
    receiver_name, source = " ".join((receiver_name or "").split()), (source or "").strip()
    if phenomenon not in Phenomenon.values:
        raise DomainError(_("Kies een fenomeen."), field="phenomenon")
    if partner_type and partner_type not in PartnerType.values:
        raise DomainError(_("Onbekende soort ketenpartner."), field="partner_type")
    if not receiver_name:
        raise DomainError(_("Vul in wie het signaal ontvangt."), field="receiver_name")
    if len(receiver_name) > 160:
        raise DomainError(_("Gebruik voor de ontvanger maximaal 160 tekens."), field="receiver_name")
    if not source:
        raise DomainError(_("Geef de bron: welk plan of welke afspraak dit zegt."), field="source")
    with transaction.atomic():
        row, created = PhenomenonReceiver.objects.update_or_create(
            region=region, phenomenon=phenomenon,
            defaults={"partner_type": partner_type, "receiver_name": receiver_name, "source": source})
        record_event(actor=actor, action="phenomenon_receiver.set", target_type=target_of(row), target_uuid=row.uuid,
                     fields=["partner_type", "receiver_name", "source"], purpose="ontvangers ander fenomeen beheren",
                     details={"region_id": region.pk, "phenomenon": phenomenon, "partner_type": partner_type,
                              "created": created})
    return row


def reset_phenomenon_receiver(region: Region, *, actor: Any, phenomenon: str) -> None:
    """Drop the region's own receiver: the national default applies again."""
    _ensure_region_beheerder(actor, region)
    with transaction.atomic():
        row = PhenomenonReceiver.objects.filter(region=region, phenomenon=phenomenon).first()
        if row is None:
            raise DomainError(_("Voor dit fenomeen geldt al de landelijke standaard."), field="phenomenon")
        uuid = row.uuid
        row.delete()
        record_event(actor=actor, action="phenomenon_receiver.reset", target_type=target_of(PhenomenonReceiver),
                     target_uuid=uuid, fields=["partner_type", "receiver_name", "source"],
                     purpose="ontvangers ander fenomeen beheren",
                     details={"region_id": region.pk, "phenomenon": phenomenon})


def _ensure_region_beheerder(actor: Any, region: Region) -> None:
    organisation = getattr(actor, "organisation", None)
    if (organisation is None or not actor.has_role(Role.BEHEERDER) or organisation.region_id != region.pk):
        raise DomainError(_("Alleen de functioneel beheerder van deze regio kan dit doen."), code="forbidden")
