"""The persons and care API: pseudonyms in lists, identity only for those allowed (logged), structured 404s."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from meldroute.audit.models import AccessLogEntry
from meldroute.care import services as care_services

from .helpers import BSN_A, add_suspect, add_victim, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return make_case(world)


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_case_persons_lists_pseudonyms_without_identity(world, case):
    add_victim(case, world.af_a)
    add_suspect(case, world.af_a)
    response = client_for(world.af_a).get(f"/api/v1/cases/{case.uuid}/persons/")
    assert response.status_code == 200
    assert [p["pseudonym"] for p in response.json()] == ["Slachtoffer CS-GM8901-2026-001-A",
                                                         "Verdachte CS-GM8901-2026-001-B"]
    assert "Zwaantje" not in response.content.decode() and BSN_A not in response.content.decode()
    zorgco = client_for(world.zorgcoordinator).get(f"/api/v1/cases/{case.uuid}/persons/")
    assert [p["role"] for p in zorgco.json()] == ["victim"]


def test_person_identity_needs_a_ground_and_a_purpose_and_is_logged(world, case):
    v = add_victim(case, world.af_a, birth_date=date(1998, 2, 3))
    client = client_for(world.af_a)
    assert client.get(f"/api/v1/persons/{v.uuid}/").json()["identity"] is None
    refused = client.post(f"/api/v1/persons/{v.uuid}/identity/", {}, format="json")
    assert refused.status_code == 400 and BSN_A not in refused.content.decode()
    response = client.post(f"/api/v1/persons/{v.uuid}/identity/", {"purpose": "Melding Veilig Thuis"}, format="json")
    assert response.status_code == 200
    assert response.json()["identity"]["bsn"] == BSN_A and response.json()["identity"]["birth_date"] == "1998-02-03"
    entry = AccessLogEntry.objects.filter(target_uuid=v.uuid).latest("id")
    assert entry.purpose.startswith("inzage identiteit") and entry.purpose.endswith("Melding Veilig Thuis")
    assert "bsn" in entry.fields
    # On the case team, but no consent and no recorded ground: no identity, whatever the purpose.
    casus = client_for(world.casusregisseur)
    assert casus.post(f"/api/v1/persons/{v.uuid}/identity/", {"purpose": "Casusoverleg"},
                      format="json").status_code == 404
    zorgco = client_for(world.zorgcoordinator).get(f"/api/v1/persons/{v.uuid}/")
    assert zorgco.status_code == 200 and zorgco.json()["identity"] is None and "means_of_control" not in zorgco.json()
    assert "gender" not in zorgco.json() and "is_minor" not in zorgco.json()


@pytest.mark.parametrize("username", ["af_b", "af_c", "partner", "melder_a", "ketenregisseur", "beheerder"])
def test_outside_the_scope_everything_is_a_structured_404(world, case, username):
    v = add_victim(case, world.af_a)
    client = client_for(getattr(world, username))
    for url in (f"/api/v1/cases/{case.uuid}/persons/", f"/api/v1/persons/{v.uuid}/",
                f"/api/v1/persons/{v.uuid}/care/"):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["status"] == 404, url
    assert client.get("/api/v1/care/victims/").json() == []


def test_zorgcoordinator_reads_care_but_not_a_suspect(world, case):
    v, s = add_victim(case, world.af_a), add_suspect(case, world.af_a)
    care_services.start_trajectory(v, actor=world.zorgcoordinator, started_on=date(2025, 1, 2),
                                   residence_status="without", found_municipality=world.a)
    client = client_for(world.zorgcoordinator)
    body = client.get(f"/api/v1/persons/{v.uuid}/care/").json()
    assert body["trajectory"]["responsible_municipality"] == "GM8901"
    assert body["trajectory"]["reflection_period"] is None
    assert client.get(f"/api/v1/persons/{s.uuid}/care/").status_code == 404
    assert client.get(f"/api/v1/persons/{s.uuid}/").status_code == 404
    rows = client.get("/api/v1/care/victims/").json()
    assert [r["pseudonym"] for r in rows] == [v.pseudonym]
