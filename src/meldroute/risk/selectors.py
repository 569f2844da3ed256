"""Who sees which omgevingsscan (issue 15, I1): the AF and the burgemeester their own municipality, the
ketenregisseur every municipality of its region (aggregates only); the address flags only the municipality's AF,
each flagged address read access-logged. Anyone else: 404."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.http import Http404

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import in_role
from meldroute.audit.services import record_access
from meldroute.audit.targets import target_of
from meldroute.core.language import recorded
from meldroute.organisations.models import Organisation

from .constants import risk_sectors, rni_flag_threshold, sectors_of
from .models import Business, RniAddress
from .parsers import address_key


def scan_municipalities_for(user: Any) -> list[Organisation]:
    if in_role(user, Role.AF, Role.BURGEMEESTER, municipality=True):
        return [user.organisation]
    if in_role(user, Role.KETENREGISSEUR, organisation=True):
        return list(Organisation.objects.municipalities().filter(region=user.organisation.region)
                    .order_by("name", "id"))
    raise Http404


def scan_municipality_for(user: Any, municipality_uuid: UUID | str) -> Organisation:
    for municipality in scan_municipalities_for(user):
        if str(municipality.uuid) == str(municipality_uuid):
            return municipality
    raise Http404


def importing_municipality_for(user: Any) -> Organisation:
    """The municipality whose registers the user imports: their own, as its AF."""
    if in_role(user, Role.AF, municipality=True):
        organisation: Organisation = user.organisation
        return organisation
    raise Http404


def can_see_flags(user: Any, municipality: Organisation) -> bool:
    return in_role(user, Role.AF, municipality=True) and user.organisation_id == municipality.pk


@dataclass(frozen=True)
class Flag:
    postcode: str
    house_number: str
    registrations: int
    businesses: list[tuple[str, str, list[str]]]  # (name, KvK number, risk sector labels)


def risk_flags_for(user: Any, municipality: Organisation) -> list[Flag]:
    """Addresses with at least the threshold of RNI registrations and a risk-sector business at the same address.
    The AF of the municipality only; every flagged address shown is an access-log entry."""
    if not can_see_flags(user, municipality):
        raise Http404
    sectors = risk_sectors()
    labels = {sector.key: sector.label for sector in sectors}
    at_address: dict[str, list[tuple[str, str, list[str]]]] = defaultdict(list)
    for business in Business.objects.filter(municipality=municipality).order_by("name", "id"):
        keys = sectors_of(list(business.sbi_codes), sectors)
        if keys:
            at_address[address_key(business.postcode, business.house_number)].append(
                (business.name, business.kvk_number, [labels[key] for key in keys]))
    threshold = rni_flag_threshold()
    flags: list[tuple[RniAddress, Flag]] = []
    for rni in RniAddress.objects.filter(municipality=municipality, registrations__gte=threshold):
        businesses = at_address.get(address_key(rni.postcode, rni.house_number))
        if businesses:
            flags.append((rni, Flag(rni.postcode, rni.house_number, rni.registrations, businesses)))
    flags.sort(key=lambda pair: (-pair[1].registrations, pair[1].postcode, pair[1].house_number))
    for rni, _flag in flags:
        record_access(actor=user, target_type=target_of(RniAddress), target_uuid=rni.uuid,
                      fields=["postcode", "house_number", "registrations"],
                      purpose=recorded("Omgevingsscan: risicoadressen (RNI en risicosector)"))
    return [flag for _rni, flag in flags]
