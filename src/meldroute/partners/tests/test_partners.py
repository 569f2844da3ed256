"""The wegwijzer (page and API) and the sharing rules: defaults, region overrides, the check every share passes."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from tests.factories import make_api_token

from meldroute.core.exceptions import DomainError
from meldroute.partners.constants import DataCategory as D
from meldroute.partners.constants import LegalGround as G
from meldroute.partners.constants import PartnerType as P
from meldroute.partners.models import DirectoryEntry, SharingRule
from meldroute.partners.selectors import allowed_grounds, describe_rules
from meldroute.partners.services import check_share, ensure_default_sharing_rules


@pytest.fixture
def entries(world):
    ensure_default_sharing_rules()
    return {
        "shop": DirectoryEntry.objects.create(region=world.region, partner_type=P.SHOP, name="SHOP Een",
                                              forms=["sexual"], contact_route="Bel het spreekuur"),
        "fairwork": DirectoryEntry.objects.create(region=None, partner_type=P.FAIRWORK, name="FairWork Landelijk",
                                                  forms=["labour"]),
        "elsewhere": DirectoryEntry.objects.create(region=world.region2, partner_type=P.POLICE,
                                                   name="AVIM Regio Twee", forms=["sexual", "labour"]),
        "inactive": DirectoryEntry.objects.create(region=world.region, partner_type=P.OM, name="OM Oud",
                                                  is_active=False),
    }


@pytest.mark.django_db
def test_national_defaults_are_shipped_and_ensuring_them_is_idempotent(db):
    assert SharingRule.objects.filter(region__isnull=True).count() == len(P.values) * (len(D.values) - 1)
    assert ensure_default_sharing_rules() == 0
    SharingRule.objects.filter(partner_type=P.SHOP, category=D.PERSONS).update(grounds=[G.CONSENT])
    ensure_default_sharing_rules()  # never overwrites what the beheerder changed
    assert SharingRule.objects.get(partner_type=P.SHOP, category=D.PERSONS).grounds == [G.CONSENT]


@pytest.mark.django_db
def test_summary_always_allowed_personal_data_to_shop_only_on_vital_interest(world):
    ensure_default_sharing_rules()
    assert allowed_grounds(world.region, P.SHOP, D.SUMMARY) == set(G.values)
    assert allowed_grounds(world.region, P.SHOP, D.PERSONS) == {G.VITAL_INTEREST}
    check_share(region=world.region, partner_type=P.SHOP, categories=[D.SUMMARY, D.PERSONS], ground=G.VITAL_INTEREST)
    with pytest.raises(DomainError) as error:
        check_share(region=world.region, partner_type=P.SHOP, categories=[D.LOCATION, D.PERSONS], ground=G.CONSENT)
    assert error.value.field == "categories"
    assert str(D.LOCATION.label) in error.value.message and str(D.PERSONS.label) in error.value.message
    check_share(region=world.region, partner_type=P.POLICE, categories=D.values, ground=G.PUBLIC_TASK)


@pytest.mark.django_db
def test_region_rule_overrides_the_national_rule(world):
    ensure_default_sharing_rules()
    SharingRule.objects.create(region=world.region, partner_type=P.SHOP, category=D.PERSONS,
                               grounds=[G.VITAL_INTEREST, G.CONSENT])
    assert allowed_grounds(world.region, P.SHOP, D.PERSONS) == {G.VITAL_INTEREST, G.CONSENT}
    assert allowed_grounds(world.region2, P.SHOP, D.PERSONS) == {G.VITAL_INTEREST}
    line = next(x for x in describe_rules(world.region, P.SHOP) if x.category == D.PERSONS)
    assert line.is_regional and "Toestemming" in line.text


@pytest.mark.django_db
def test_unknown_ground_is_refused_at_its_field(world):
    with pytest.raises(DomainError) as error:
        check_share(region=world.region, partner_type=P.POLICE, categories=[D.SUMMARY], ground="gut_feeling")
    assert error.value.field == "legal_ground"


@pytest.mark.django_db
def test_directory_shows_region_and_national_partners_with_contact_route_and_rule(client, world, entries):
    client.force_login(world.melder_a)
    html = client.get(reverse("partners:directory")).content.decode()
    assert "SHOP Een" in html and "FairWork Landelijk" in html and "Bel het spreekuur" in html
    assert "AVIM Regio Twee" not in html and "OM Oud" not in html
    assert "alleen op grond van: Vitaal belang" in html
    filtered = client.get(reverse("partners:directory"), {"vorm": "labour"}).content.decode()
    assert "FairWork Landelijk" in filtered and "SHOP Een" not in filtered
    assert client.get(reverse("partners:directory"), {"vorm": "nonsense"}).status_code == 200


@pytest.mark.django_db
def test_directory_of_another_region(client, world, entries):
    client.force_login(world.af_c)
    html = client.get(reverse("partners:directory")).content.decode()
    assert "AVIM Regio Twee" in html and "FairWork Landelijk" in html and "SHOP Een" not in html


@pytest.mark.django_db
def test_directory_needs_login(client, entries):
    response = client.get(reverse("partners:directory"))
    assert response.status_code == 302 and "inloggen" in response["Location"]


@pytest.mark.django_db
def test_directory_api(world, entries):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_api_token(world.partner)}")
    body = client.get("/api/v1/partners/").json()
    names = {row["name"] for row in body}
    assert names == {"SHOP Een", "FairWork Landelijk"}
    shop = next(row for row in body if row["name"] == "SHOP Een")
    assert shop["sharing_rule"]["persons"] == [G.VITAL_INTEREST] and shop["national"] is False
    assert APIClient().get("/api/v1/partners/").status_code in (401, 403)


@pytest.mark.django_db
def test_demo_directory_has_every_partner_of_the_seeds_with_fictional_contacts(world):
    from meldroute.demo.seed_partners import seed_partners

    entries = seed_partners(world.region, {"POL-VH": world.police})
    types = {e.partner_type for e in entries}
    assert {P.RIEC, P.ZVH, P.POLICE, P.VEILIG_THUIS, P.LABOUR_INSPECTORATE, P.COMENSHA, P.FAIRWORK, P.SHOP, P.HEIT,
            P.PCT, P.NIDOS, P.COA, P.IND, P.OM} <= types
    assert all(e.email.endswith(".example") and e.phone.startswith("0800-0000") for e in entries)
    assert DirectoryEntry.objects.get(partner_type=P.POLICE).organisation == world.police
    assert len(seed_partners(world.region, {})) == len(entries) == DirectoryEntry.objects.count()


@pytest.mark.django_db
def test_superuser_edits_entries_and_rules_in_the_admin_and_the_rule_change_is_audited(client, world, entries):
    from tests.factories import UserFactory

    from meldroute.audit.models import AuditEvent

    superuser = UserFactory(username="root", organisation=None, is_superuser=True, is_staff=True)
    client.force_login(superuser)
    rule = SharingRule.objects.get(region=None, partner_type=P.SHOP, category=D.PERSONS)
    url = reverse("admin:partners_sharingrule_change", args=[rule.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"region": "", "partner_type": P.SHOP, "category": D.PERSONS,
                                 "grounds": [G.VITAL_INTEREST, G.CONSENT], "source": "Regionale afspraak"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert sorted(rule.grounds) == sorted([G.VITAL_INTEREST, G.CONSENT])
    event = AuditEvent.objects.get(action="sharing_rule.changed", target_uuid=rule.uuid)
    assert event.actor == superuser and "grounds" in event.fields
    entry_url = reverse("admin:partners_directoryentry_change", args=[entries["shop"].pk])
    assert client.get(entry_url).status_code == 200
