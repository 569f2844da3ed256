"""Access to a person's identity follows recorded consent or a recorded legal ground, plus a stated purpose.

Each test is an insider's attempt: the procesregisseur who sees the case only because it was brought into the ZVH,
the zorgcoördinator reading attributes of a victim never shared with care, anyone skipping the purpose. And the
other side: a zorgcoördinator for whom consent was recorded gets the identity (after a purpose), not a 404.
"""

from datetime import date

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from tests.factories import OrganisationFactory, UserFactory

from meldroute.accounts.constants import Role
from meldroute.audit.models import AccessLogEntry
from meldroute.organisations.constants import OrganisationKind
from meldroute.persons import services

from .helpers import BSN_A, add_victim, make_case

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

BIRTH = date(1998, 2, 3)
PURPOSE = "Screeningsoverleg: veiligheidsplan opstellen"


@pytest.fixture
def case(world):
    return make_case(world)  # brought into the ZVH of region 1; casusregisseur and zorgcoördinator on the team


@pytest.fixture
def victim(world, case):
    return add_victim(case, world.af_a, birth_date=BIRTH, citizenship="ER",
                      is_unaccompanied_minor_foreigner=False, gender="female")


@pytest.fixture
def regional_zorgco(world):
    """A zorgcoördinator of the region's zorgcoördinatie, not on the case team."""
    care = OrganisationFactory(name="Zorgcoördinatie Regio Een", code="ZC-R1", kind=OrganisationKind.CARE_COORDINATION,
                               region=world.region, email="")
    return UserFactory(username="zorgco_regio", organisation=care, roles=[Role.ZORGCOORDINATOR])


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _identity_logged(user, person) -> bool:
    return any("bsn" in entry.fields for entry in AccessLogEntry.objects.filter(actor=user, target_uuid=person.uuid))


def _shows_identity(html: str) -> bool:
    return "Zwaantje" in html or BSN_A in html or "3 februari 1998" in html


# --- The procesregisseur: "ingebracht bij ZVH" is not a ground ------------------------------------------------------

def test_procesregisseur_without_consent_sees_no_identity_on_the_page(client, world, victim):
    client.force_login(world.procesregisseur)
    page = client.get(reverse("persons:detail", args=[victim.uuid]))
    html = page.content.decode()
    assert page.status_code == 200 and not _shows_identity(html) and victim.pseudonym in html
    assert 'data-testid="identity-hidden"' in html and 'data-testid="identity-ask"' not in html
    asked = client.post(reverse("persons:identity", args=[victim.uuid]), {"purpose": PURPOSE})
    assert asked.status_code == 404 and not _shows_identity(asked.content.decode())
    assert not _identity_logged(world.procesregisseur, victim)


def test_procesregisseur_without_consent_gets_no_identity_through_the_api(world, victim):
    api = _api(world.procesregisseur)
    detail = api.get(f"/api/v1/persons/{victim.uuid}/")
    assert detail.status_code == 200 and detail.json()["identity"] is None
    assert not _shows_identity(detail.content.decode())
    asked = api.post(f"/api/v1/persons/{victim.uuid}/identity/", {"purpose": PURPOSE}, format="json")
    assert asked.status_code == 404 and not _shows_identity(asked.content.decode())
    assert not _identity_logged(world.procesregisseur, victim)


def test_procesregisseur_with_consent_to_share_with_the_zvh_sees_identity_after_a_purpose(client, world, victim):
    services.record_consent(victim, actor=world.af_a, kind="sharing", partner_type="zvh", given=True, given_by="self")
    client.force_login(world.procesregisseur)
    html = client.get(reverse("persons:detail", args=[victim.uuid])).content.decode()
    assert not _shows_identity(html) and 'data-testid="identity-ask"' in html
    page = client.post(reverse("persons:identity", args=[victim.uuid]), {"purpose": PURPOSE})
    assert page.status_code == 200 and _shows_identity(page.content.decode())
    assert "no-store" in page["Cache-Control"]
    entry = AccessLogEntry.objects.filter(actor=world.procesregisseur, target_uuid=victim.uuid).latest("id")
    assert "toestemming" in entry.purpose and entry.purpose.endswith(PURPOSE) and "bsn" in entry.fields


def test_a_recorded_legal_ground_opens_the_identity_too(world, victim):
    services.record_override(victim, actor=world.af_a, kind="sharing", partner_type="zvh",
                             legal_ground="vital_interest",
                             reason="Acuut gevaar voor het slachtoffer, overleg met de ZVH.", approver=world.af_a2)
    api = _api(world.procesregisseur)
    response = api.post(f"/api/v1/persons/{victim.uuid}/identity/", {"purpose": PURPOSE}, format="json")
    assert response.status_code == 200 and response.json()["identity"]["bsn"] == BSN_A
    assert response.json()["identity_ground"].startswith("grondslag")


def test_withdrawn_consent_closes_the_identity_again(world, victim):
    consent = services.record_consent(victim, actor=world.af_a, kind="sharing", partner_type="zvh", given=True,
                                      given_by="self")
    services.withdraw_consent(consent, actor=world.af_a, reason="Betrokkene wil niet meer dat de ZVH meekijkt.")
    response = _api(world.procesregisseur).post(f"/api/v1/persons/{victim.uuid}/identity/", {"purpose": PURPOSE},
                                                format="json")
    assert response.status_code == 404


def test_consent_for_another_partner_type_is_no_ground(world, victim):
    services.record_consent(victim, actor=world.af_a, kind="sharing", partner_type="police", given=True,
                            given_by="self")
    response = _api(world.procesregisseur).post(f"/api/v1/persons/{victim.uuid}/identity/", {"purpose": PURPOSE},
                                                format="json")
    assert response.status_code == 404


# --- The purpose is asked before the identity is shown --------------------------------------------------------------

@pytest.mark.parametrize("purpose", ["", "   ", "kijk", "x" * 151])
def test_no_identity_without_a_real_purpose(client, world, victim, purpose):
    client.force_login(world.af_a)
    page = client.post(reverse("persons:identity", args=[victim.uuid]), {"purpose": purpose})
    html = page.content.decode()
    assert page.status_code == 200 and not _shows_identity(html) and "doel" in html.lower()
    assert not _identity_logged(world.af_a, victim)
    response = _api(world.af_a).post(f"/api/v1/persons/{victim.uuid}/identity/", {"purpose": purpose}, format="json")
    assert response.status_code == 400 and not _shows_identity(response.content.decode())
    assert not _identity_logged(world.af_a, victim)


def test_the_page_itself_never_shows_the_identity(client, world, victim):
    client.force_login(world.af_a)
    html = client.get(reverse("persons:detail", args=[victim.uuid])).content.decode()
    assert not _shows_identity(html) and 'data-testid="identity-ask"' in html
    assert _api(world.af_a).get(f"/api/v1/persons/{victim.uuid}/").json()["identity"] is None
    assert not _identity_logged(world.af_a, victim)


# --- The zorgcoördinator ------------------------------------------------------------------------------------------

def test_zorgcoordinator_with_recorded_consent_gets_the_identity_after_a_purpose_not_a_404(client, world, victim,
                                                                                          regional_zorgco):
    services.record_consent(victim, actor=world.af_a, kind="sharing", partner_type="care_coordination", given=True,
                            given_by="self")
    client.force_login(regional_zorgco)
    page = client.get(reverse("persons:detail", args=[victim.uuid]))
    assert page.status_code == 200 and not _shows_identity(page.content.decode())
    page = client.post(reverse("persons:identity", args=[victim.uuid]), {"purpose": "Intake opvang plannen"})
    assert page.status_code == 200 and _shows_identity(page.content.decode())
    entry = AccessLogEntry.objects.filter(actor=regional_zorgco, target_uuid=victim.uuid).latest("id")
    assert entry.purpose.startswith("inzage identiteit") and entry.purpose.endswith("Intake opvang plannen")
    assert {"bsn", "first_name", "birth_date"} <= set(entry.fields)
    assert client.get(reverse("care:list")).content.decode().count(victim.pseudonym) == 1


def test_an_english_zorgcoordinator_reads_the_ground_in_english_and_the_log_keeps_it_in_dutch(
        client, world, victim, regional_zorgco):
    services.record_consent(victim, actor=world.af_a, kind="sharing", partner_type="care_coordination", given=True,
                            given_by="self")
    client.force_login(regional_zorgco)
    client.cookies["django_language"] = "en"
    page = client.post(reverse("persons:identity", args=[victim.uuid]), {"purpose": "Intake opvang plannen"})
    assert page["Content-Language"] == "en" and _shows_identity(page.content.decode())
    assert "consent (" in page.content.decode()
    entry = AccessLogEntry.objects.filter(actor=regional_zorgco, target_uuid=victim.uuid).latest("id")
    assert entry.purpose == "inzage identiteit (toestemming (Zorgcoördinatie mensenhandel)): Intake opvang plannen"


def test_zorgcoordinator_of_another_region_gets_404_even_with_consent(client, world, victim):
    care = OrganisationFactory(name="Zorgcoördinatie Regio Twee", code="ZC-R2",
                               kind=OrganisationKind.CARE_COORDINATION, region=world.region2, email="")
    stranger = UserFactory(username="zorgco_r2", organisation=care, roles=[Role.ZORGCOORDINATOR])
    services.record_consent(victim, actor=world.af_a, kind="care", given=True, given_by="self")
    client.force_login(stranger)
    assert client.get(reverse("persons:detail", args=[victim.uuid])).status_code == 404
    assert client.post(reverse("persons:identity", args=[victim.uuid]), {"purpose": PURPOSE}).status_code == 404
    assert not AccessLogEntry.objects.filter(actor=stranger).exists()


def test_zorgcoordinator_not_on_the_team_and_not_shared_gets_404(client, world, victim, regional_zorgco):
    client.force_login(regional_zorgco)
    assert client.get(reverse("persons:detail", args=[victim.uuid])).status_code == 404


def test_zorgcoordinator_sees_no_attributes_of_a_victim_not_shared_with_them(client, world, case):
    minor = add_victim(case, world.af_a, birth_date=date(timezone.localdate().year - 15, 1, 1), citizenship="ER",
                       is_unaccompanied_minor_foreigner=True, gender="female")
    client.force_login(world.zorgcoordinator)
    attribute_words = ["Vrouw", "Eritrea", "ER)", "minderjarig", "Minderjarig", "AMV", "Nidos",
                       "Vermoedelijk slachtoffer", "Politie (AVIM)"]
    for url in (reverse("persons:detail", args=[minor.uuid]), reverse("care:list"),
                reverse("care:trajectory", args=[minor.uuid])):
        page = client.get(url)
        html = page.content.decode()
        assert page.status_code == 200 and minor.pseudonym in html, url
        leaked = [w for w in attribute_words if w in html.split('<main', 1)[-1]]
        assert not leaked, (url, leaked)
    request = RequestFactory().get("/")
    request.user = world.zorgcoordinator
    panel = Template("{% load persons_tags %}{% case_persons case %}").render(Context({"request": request,
                                                                                        "case": case}))
    assert minor.pseudonym in panel and "minderjarig" not in panel and "AMV" not in panel and "Nidos" not in panel
    api = _api(world.zorgcoordinator)
    detail = api.get(f"/api/v1/persons/{minor.uuid}/").json()
    for key in ("gender", "age_band", "citizenship", "is_minor", "minor_at_exploitation",
                "is_unaccompanied_minor_foreigner", "victim_status"):
        assert key not in detail, key
    victims = api.get("/api/v1/care/victims/").json()
    assert [row["is_minor"] for row in victims if row["id"] == str(minor.uuid)] == [None]
    listed = api.get(f"/api/v1/cases/{case.uuid}/persons/").json()
    assert listed and all("is_minor" not in row and "victim_status" not in row for row in listed)
    entry = AccessLogEntry.objects.filter(actor=world.zorgcoordinator, target_uuid=minor.uuid).latest("id")
    assert not {"gender", "age_band", "citizenship"} & set(entry.fields)


def test_once_shared_with_care_the_zorgcoordinator_sees_the_attributes(client, world, case):
    minor = add_victim(case, world.af_a, birth_date=date(timezone.localdate().year - 15, 1, 1), citizenship="ER",
                       is_unaccompanied_minor_foreigner=True, gender="female")
    services.record_consent(minor, actor=world.zorgcoordinator, kind="care", given=True, given_by="guardian")
    client.force_login(world.zorgcoordinator)
    html = client.get(reverse("persons:detail", args=[minor.uuid])).content.decode()
    assert "Eritrea" in html and "minderjarig" in html and "Nidos" in html
    assert _api(world.zorgcoordinator).get(f"/api/v1/persons/{minor.uuid}/").json()["is_minor"] is True


# --- The matrix: every role × identity request, without and with consent to share with the ZVH ----------------------

USERS = ["melder_a", "melder_a2", "af_a", "af_a2", "melder_b", "af_b", "af_c", "partner", "partner2",
         "zorgcoordinator", "procesregisseur", "casusregisseur", "ketenregisseur", "beheerder", "burgemeester"]
# Who gets the identity (after a purpose). Without consent only the municipality's AFs (the controller); with consent
# to share with the ZVH also everyone of the ZVH who can open the person (in this world the zorgcoördinator works at
# the ZVH too).
IDENTITY_WITHOUT_CONSENT = {"af_a", "af_a2"}
IDENTITY_WITH_ZVH_CONSENT = {"af_a", "af_a2", "procesregisseur", "casusregisseur", "zorgcoordinator"}


@pytest.mark.parametrize("consent", [False, True], ids=["no-consent", "zvh-consent"])
@pytest.mark.parametrize("who", USERS)
def test_identity_matrix(world, victim, who, consent):
    if consent:
        services.record_consent(victim, actor=world.af_a, kind="sharing", partner_type="zvh", given=True,
                                given_by="self")
    user = getattr(world, who)
    response = _api(user).post(f"/api/v1/persons/{victim.uuid}/identity/", {"purpose": PURPOSE}, format="json")
    allowed = who in (IDENTITY_WITH_ZVH_CONSENT if consent else IDENTITY_WITHOUT_CONSENT)
    assert response.status_code == (200 if allowed else 404)
    assert _shows_identity(response.content.decode()) is allowed
    assert _identity_logged(user, victim) is allowed
