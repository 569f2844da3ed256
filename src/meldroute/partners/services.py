"""Writes of the partners app: the national default sharing rules, and the check every share must pass."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from meldroute.accounts.safety_net import audited_by_service
from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.core.exceptions import DomainError

from .constants import DataCategory, LegalGround, PartnerType, default_sharing_rules
from .models import SharingRule
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
