"""The omgevingsscan (meldroute.risk) in the access matrix: the AF and the burgemeester see their own municipality's
map, the ketenregisseur every municipality of its region; only the AF imports and sees the address flags
(access-logged); every other role, region and municipality gets 404 and nothing is written. A bad file keeps the
form's input with Dutch errors per line; the map is in the page and in the PDF."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.risk import services
from meldroute.risk.constants import RegisterKind
from meldroute.risk.models import Business, RegisterImport
from meldroute.risk.tests import samples

pytestmark = [pytest.mark.django_db]

ALL = ["melder_a", "melder_a2", "af_a", "af_a2", "melder_b", "af_b", "af_c", "partner", "partner2",
       "zorgcoordinator", "procesregisseur", "casusregisseur", "ketenregisseur", "beheerder", "burgemeester"]
SEES_A = {"af_a", "af_a2", "burgemeester", "ketenregisseur"}
AF_A = {"af_a", "af_a2"}


@pytest.fixture
def setting(world):
    for kind, content in ((RegisterKind.AREAS, samples.areas_geojson()), (RegisterKind.POSTCODES, samples.POSTCODES),
                          (RegisterKind.KVK, samples.KVK), (RegisterKind.RNI, samples.RNI)):
        services.import_register(actor=world.af_a, municipality=world.a, kind=kind, file_name=f"{kind}.csv",
                                 content=content, reason="Omgevingsscan")
    return world


def _state():
    return (AuditEvent.objects.count(), AccessLogEntry.objects.count(), RegisterImport.objects.count(),
            Business.objects.count())


def _upload(content=samples.KVK, name="kvk.csv"):
    return {"kind": RegisterKind.KVK, "reason": "Nieuwe levering", "file": SimpleUploadedFile(name, content)}


@pytest.mark.parametrize("who", sorted(set(ALL) - SEES_A))
def test_every_risk_page_of_municipality_a_is_404_for_others_and_writes_nothing(client, setting, who):
    world = setting
    client.force_login(getattr(world, who))
    before = _state()
    for url in (reverse("risk:map", args=[world.a.uuid]), reverse("risk:map_pdf", args=[world.a.uuid])):
        assert client.get(url).status_code == 404, (who, url)
    if who not in {"af_b", "af_c", "burgemeester"}:
        assert client.get(reverse("risk:index")).status_code == 404, who
    if not who.startswith("af_"):
        assert client.get(reverse("risk:import")).status_code == 404, who
        assert client.post(reverse("risk:import"), _upload(samples.KVK.replace(b"Lees", b"X"))).status_code == 404
        assert client.get(reverse("risk:flags")).status_code == 404, who
    assert _state() == before


@pytest.mark.parametrize("who", ["af_b", "af_c"])
def test_an_af_of_another_municipality_imports_and_sees_flags_only_for_its_own(client, setting, who):
    world = setting
    client.force_login(getattr(world, who))
    before_a = Business.objects.filter(municipality=world.a).count()
    assert client.post(reverse("risk:import"), _upload()).status_code == 302
    assert Business.objects.filter(municipality=world.a).count() == before_a
    own = getattr(world, who).organisation
    assert Business.objects.filter(municipality=own).count() == 6
    page = client.get(reverse("risk:flags")).content.decode()
    assert "1013BC" not in page  # municipality A's flagged address


def test_anonymous_visitors_are_sent_to_the_login_page(client, setting):
    world = setting
    for url in (reverse("risk:index"), reverse("risk:import"), reverse("risk:flags"),
                reverse("risk:map", args=[world.a.uuid]), reverse("risk:map_pdf", args=[world.a.uuid])):
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"]


@pytest.mark.parametrize("who", sorted(SEES_A))
def test_the_map_shows_the_wijken_and_the_table_and_no_address(client, setting, who):
    world = setting
    client.force_login(getattr(world, who))
    before = AccessLogEntry.objects.count()
    response = client.get(reverse("risk:map", args=[world.a.uuid]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "Centrum" in page and 'data-testid="risk-table"' in page
    assert "Kadeweg" not in page and "1013BC" not in page and "Eethuis" not in page  # aggregates only
    assert AccessLogEntry.objects.count() == before
    assert ("/risico/" in dict(response.context["nav_items"]))


def test_the_af_and_the_burgemeester_land_on_their_own_map_the_ketenregisseur_on_the_region(client, setting):
    world = setting
    client.force_login(world.burgemeester)
    assert client.get(reverse("risk:index"))["Location"] == reverse("risk:map", args=[world.a.uuid])
    client.force_login(world.ketenregisseur)
    page = client.get(reverse("risk:index")).content.decode()
    assert "Gemeente Aadorp" in page and "Gemeente Beekstad" in page and "Gemeente Cederveen" not in page
    assert 'id="risk-region-map"' in page and "Gemeente Aadorp, Centrum: 2" in page  # the region's wijken on one map
    assert client.get(reverse("risk:map", args=[world.b.uuid])).status_code == 200
    assert client.get(reverse("risk:map", args=[world.c.uuid])).status_code == 404


def test_the_pdf_has_the_map(client, setting):
    world = setting
    client.force_login(world.ketenregisseur)
    response = client.get(reverse("risk:map_pdf", args=[world.a.uuid]) + "?kaart=signalen")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_only_the_af_sees_the_flags_and_each_address_is_access_logged(client, setting):
    world = setting
    client.force_login(world.af_a2)
    before = AccessLogEntry.objects.count()
    page = client.get(reverse("risk:flags")).content.decode()
    assert "1013BC 5" in page and "Nagelstudio Glans" in page and "1011AA 3-A" in page
    assert AccessLogEntry.objects.count() == before + 2


def test_the_af_imports_a_file_and_a_second_time_changes_nothing(client, setting):
    world = setting
    client.force_login(world.af_a)
    other = samples.KVK.replace(b"Boekhandel Lees", b"Boekhandel Anders")
    response = client.post(reverse("risk:import"), _upload(other), follow=True)
    assert "6 regels" in response.content.decode()
    before = _state()
    response = client.post(reverse("risk:import"), _upload(other, "kopie.csv"), follow=True)
    assert "al geïmporteerd" in response.content.decode()
    assert _state() == before


def test_a_bad_file_keeps_the_input_and_names_each_line(client, setting):
    world = setting
    client.force_login(world.af_a)
    before = _state()
    bad = b"KvK-nummer;Handelsnaam;Huisnummer;Postcode;SBI-code\n1234;A;1;1011AA;4120\n90000001;B;2;XX;4120\n"
    response = client.post(reverse("risk:import"), _upload(bad))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Regel 2: het KvK-nummer" in page and "Regel 3: ‘XX’ is geen geldige postcode" in page
    assert response.context["form"].data["reason"] == "Nieuwe levering"
    assert "file" in response.context["form"].errors
    assert _state() == before


def test_a_missing_reason_or_register_is_a_dutch_message_at_the_field(client, setting):
    world = setting
    client.force_login(world.af_a)
    response = client.post(reverse("risk:import"), {"kind": "", "reason": "",
                                                   "file": SimpleUploadedFile("k.csv", samples.KVK)})
    form = response.context["form"]
    assert form.errors["kind"] == ["Kies een register."] and form.errors["reason"] == ["Geef de reden van de import."]
