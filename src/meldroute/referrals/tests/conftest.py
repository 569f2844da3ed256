"""Fixtures for referral tests: the national sharing rules, a SHOP entry in the wegwijzer, a signal of A."""

import pytest
from tests.factories import make_signal

from meldroute.partners.constants import DataCategory as D
from meldroute.partners.constants import LegalGround as G
from meldroute.partners.constants import PartnerType
from meldroute.partners.models import DirectoryEntry
from meldroute.partners.services import ensure_default_sharing_rules
from meldroute.referrals import services

SECRET_PERSONS = "Meisje van ongeveer zestien, noemt zich Roos"
SECRET_ADDRESS = "Sluisweg 7"


@pytest.fixture
def rules(db):
    ensure_default_sharing_rules()


@pytest.fixture
def shop(world, rules):
    return DirectoryEntry.objects.create(region=world.region, partner_type=PartnerType.SHOP, name="SHOP Testregio",
                                         email="contact@shop.example", forms=["sexual"])


@pytest.fixture
def signal(world, rules):
    return make_signal(world.melder_a, persons_description=SECRET_PERSONS, address=SECRET_ADDRESS,
                       business_name="Nagelstudio Glans", description="Werkt dag en nacht in de salon.")


def refer(signal, actor, *, to=None, entry=None, categories=(D.DESCRIPTION,), ground=G.PUBLIC_TASK):
    return services.create_referral(signal, actor=actor, receiver_organisation=to, directory_entry=entry,
                                    purpose="Onderzoek naar mogelijke uitbuiting", legal_ground=ground,
                                    categories=categories)


@pytest.fixture
def referral(world, signal):
    """A referral of A's signal to the police of region 1, with the description only (no persons, no location)."""
    return refer(signal, world.af_a, to=world.police)
