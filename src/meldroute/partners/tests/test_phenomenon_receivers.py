"""Who receives a signal of another phenomenon (seed 000 §4.2): the national default with its source, a region's own
receiver on the beheerder's page, audited; other roles and regions get 404 and nothing is written."""

import pytest
from django.urls import reverse
from tests.factories import UserFactory, actions_since, audit_mark

from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.partners import services
from meldroute.partners.constants import PartnerType
from meldroute.partners.models import PhenomenonReceiver
from meldroute.partners.selectors import phenomenon_receiver, phenomenon_receivers

pytestmark = [pytest.mark.django_db]


def test_national_defaults_name_a_receiver_and_a_source_for_every_phenomenon(world):
    services.ensure_default_phenomenon_receivers()
    assert services.ensure_default_phenomenon_receivers() == 0  # idempotent
    receivers = phenomenon_receivers(world.region)
    assert set(receivers) == {"undermining", "domestic_violence", "poor_housing", "labour_law",
                              "illegal_prostitution", "care_need", "other"}
    assert all(row.source and row.receiver_name and row.region_id is None for row in receivers.values())
    assert receivers["domestic_violence"].partner_type == PartnerType.VEILIG_THUIS
    assert receivers["undermining"].partner_type == PartnerType.RIEC
    assert receivers["poor_housing"].partner_type == ""  # bouw- en woningtoezicht: outside Meldroute
    assert "woningtoezicht" in receivers["poor_housing"].receiver_name


def test_a_region_overrides_the_default_and_resetting_brings_it_back(world):
    mark = audit_mark()
    services.set_phenomenon_receiver(world.region, actor=world.beheerder, phenomenon="illegal_prostitution",
                                     partner_type=PartnerType.HEIT, receiver_name="HEIT",
                                     source="Beleidsplan Zoeterwoude §5.5")
    assert actions_since(mark) == ["phenomenon_receiver.set"]
    assert phenomenon_receiver(world.region, "illegal_prostitution").receiver_name == "HEIT"
    assert phenomenon_receiver(world.region2, "illegal_prostitution").partner_type == PartnerType.PCT
    mark = audit_mark()
    services.reset_phenomenon_receiver(world.region, actor=world.beheerder, phenomenon="illegal_prostitution")
    assert actions_since(mark) == ["phenomenon_receiver.reset"]
    assert phenomenon_receiver(world.region, "illegal_prostitution").partner_type == PartnerType.PCT


@pytest.mark.parametrize(("values", "field"), [
    ({"phenomenon": "weather"}, "phenomenon"),
    ({"partner_type": "bakery"}, "partner_type"),
    ({"receiver_name": "  "}, "receiver_name"),
    ({"source": ""}, "source"),
])
def test_bad_values_are_refused_at_their_field(world, values, field):
    kwargs = {"phenomenon": "care_need", "partner_type": "", "receiver_name": "Sociaal team", "source": "afspraak",
              **values}
    with pytest.raises(DomainError) as error:
        services.set_phenomenon_receiver(world.region, actor=world.beheerder, **kwargs)
    assert error.value.field == field
    assert not PhenomenonReceiver.objects.filter(region=world.region).exists()


def test_only_the_regions_beheerder_may_set_it(world):
    other = UserFactory(username="beheerder_c", organisation=world.c, roles=["beheerder"])
    for actor in (world.af_a, other):
        with pytest.raises(DomainError):
            services.set_phenomenon_receiver(world.region, actor=actor, phenomenon="care_need", partner_type="",
                                             receiver_name="Sociaal team", source="afspraak")
    assert not AuditEvent.objects.filter(action="phenomenon_receiver.set").exists()


def test_the_page_shows_the_source_and_keeps_input_on_a_refusal(client, world):
    client.force_login(world.beheerder)
    page = client.get(reverse("partners:phenomena")).content.decode()
    assert "Bouw- en woningtoezicht" in page and "landelijke standaard" in page and "Basisniveau" in page
    response = client.post(reverse("partners:phenomena"), {"phenomenon": "care_need", "partner_type": "",
                                                           "receiver_name": "Sociaal team Oost", "source": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Geef de bron" in body and "Sociaal team Oost" in body
    response = client.post(reverse("partners:phenomena"), {"phenomenon": "care_need", "partner_type": "",
                                                           "receiver_name": "Sociaal team Oost",
                                                           "source": "Regionale afspraak 2026"}, follow=True)
    assert "regionale afspraak" in response.content.decode()
    assert phenomenon_receiver(world.region, "care_need").receiver_name == "Sociaal team Oost"
    response = client.post(reverse("partners:phenomenon_reset", args=["care_need"]), follow=True)
    assert "landelijke standaard" in response.content.decode()
    assert not PhenomenonReceiver.objects.filter(region=world.region).exists()


def test_an_unknown_phenomenon_posted_is_a_message_not_a_500(client, world):
    client.force_login(world.beheerder)
    response = client.post(reverse("partners:phenomena"), {"phenomenon": "weather", "receiver_name": "x",
                                                           "source": "y"})
    assert response.status_code == 200
    assert "Kies een fenomeen." in response.content.decode()
