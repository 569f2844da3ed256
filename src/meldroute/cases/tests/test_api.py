"""Cases in the API: a list without personal data, one case, its status and its plan; structured errors."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from tests.factories import make_api_token

from meldroute.audit.models import AccessLogEntry
from meldroute.cases import services
from meldroute.cases.constants import CaseResult, CaseStatus
from meldroute.cases.models import CaseAction

from .conftest import SECRET

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {make_api_token(user)}")
    return client


def test_the_af_lists_and_reads_cases(world, team_case, signal):
    services.add_action(team_case, actor=world.af_a, description="Bibob", deadline=timezone.localdate(),
                        owner_user=world.af_a)
    listing = api(world.af_a).get(reverse("api:case-list"))
    assert listing.status_code == 200
    row = listing.json()["results"][0] if "results" in listing.json() else listing.json()[0]
    assert row["reference"] == team_case.reference and row["overdue_count"] == 0
    assert row["next_deadline"] == timezone.localdate().isoformat()
    assert SECRET not in listing.content.decode()
    detail = api(world.af_a).get(reverse("api:case-detail", args=[team_case.uuid])).json()
    assert detail["signals"] == [signal.reference] and detail["actions"][0]["description"] == "Bibob"
    assert {m["role"] for m in detail["team"]} == {"casusregisseur", "zorgcoordinator"}
    assert AccessLogEntry.objects.filter(actor=world.af_a, target_uuid=team_case.uuid,
                                         purpose="casus inzien via API").exists()


def test_a_care_only_zorgcoordinator_gets_header_and_team_and_no_plan(world, team_case):
    client = api(world.zorgcoordinator)
    detail = client.get(reverse("api:case-detail", args=[team_case.uuid])).json()
    assert detail["reference"] == team_case.reference and "signals" not in detail and "actions" not in detail
    assert client.get(reverse("api:case-actions", args=[team_case.uuid])).status_code == 404


def test_status_changes_and_refusals_are_structured(world, case):
    client = api(world.af_a)
    url = reverse("api:case-change-status", args=[case.uuid])
    response = client.post(url, {"to_status": "flying"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert "Onbekende status" in str(response.json()["errors"]["to_status"])
    response = client.post(url, {"to_status": CaseStatus.CLOSED}, format="json")
    body = response.json()
    assert response.status_code == 400 and body["errors"] == {"result": ["Kies het resultaat van de casus."]}
    response = client.post(url, {"to_status": CaseStatus.CLOSED, "result": CaseResult.NO_TRAFFICKING}, format="json")
    assert response.status_code == 200 and response.json()["status"] == CaseStatus.CLOSED
    response = client.post(url, {"to_status": CaseStatus.PLAN}, format="json")
    assert response.status_code == 400 and "kan niet naar" in response.json()["detail"]


def test_the_plan_through_the_api(world, case):
    client = api(world.af_a)
    url = reverse("api:case-actions", args=[case.uuid])
    response = client.post(url, {"description": "Controle", "deadline": "2026-02-30",
                                 "owner_organisation": world.police.code}, format="json")
    assert response.status_code == 400 and "Vul een geldige datum in" in str(response.json()["errors"]["deadline"])
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(url, {"description": "Controle", "deadline": past,
                                 "owner_organisation": world.police.code}, format="json")
    assert response.status_code == 400 and "verleden" in response.json()["errors"]["deadline"][0]
    response = client.post(url, {"description": "Controle", "deadline": timezone.localdate().isoformat()},
                           format="json")
    assert response.status_code == 400 and "Kies één eigenaar" in response.json()["detail"]
    response = client.post(url, {"description": "Controle", "deadline": timezone.localdate().isoformat(),
                                 "owner_organisation": world.police.code}, format="json")
    assert response.status_code == 201 and response.json()["owner"] == world.police.name
    assert [a["description"] for a in client.get(url).json()] == ["Controle"]
    assert CaseAction.objects.count() == 1


@pytest.mark.parametrize("username", ["af_b", "af_c", "partner", "melder_a", "ketenregisseur", "beheerder",
                                      "procesregisseur", "casusregisseur", "zorgcoordinator"])
def test_outsiders_get_structured_404_and_an_empty_list(world, case, username):
    client = api(getattr(world, username))
    listing = client.get(reverse("api:case-list"))
    assert listing.status_code == 200 and case.reference not in listing.content.decode()
    for method, url, data in [
            ("get", reverse("api:case-detail", args=[case.uuid]), None),
            ("get", reverse("api:case-actions", args=[case.uuid]), None),
            ("post", reverse("api:case-actions", args=[case.uuid]), {"description": "X", "deadline": "2030-01-01",
                                                                    "owner_user": str(world.af_a.uuid)}),
            ("post", reverse("api:case-change-status", args=[case.uuid]), {"to_status": CaseStatus.PLAN})]:
        response = getattr(client, method)(url, data, format="json")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    case.refresh_from_db()
    assert case.status == CaseStatus.OPENED and not CaseAction.objects.exists()
