"""The access matrix of the FG's pages (issue 16, SPEC F4/F5): every role × every privacy endpoint → 200 or 404.

A victim on a case of municipality A, brought into the ZVH of region 1. Only an FG answering for that case — the FG
of A, or of the ZVH it was brought into — reaches the person's pages; the FG of B (same region), of C (another region)
and every other role get 404 and nothing is written: no access-log entry, no audit event, no request, no change. The
search page and the register are the FG's own (its organisation's persons, its region's register): 200 for every FG,
404 for everyone else.
"""

import pytest
from django.urls import reverse

from meldroute.accounts.constants import Role
from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.organisations.constants import OrganisationKind
from meldroute.persons.tests.helpers import BSN_A, add_victim, make_case
from meldroute.privacy.models import SubjectRequest
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.django_db]

REASON = "Verzoek per brief, kenmerk MAT-2026-001"
PERSON_ENDPOINTS = ("subject", "correct", "export", "restrict")
OWN_ENDPOINTS = ("index", "register", "register_csv")
ENDPOINTS = PERSON_ENDPOINTS + OWN_ENDPOINTS

# username → does the user answer for the person of A (person endpoints) / is it an FG at all (own endpoints)
FGS = {"fg_a": True, "fg_zvh": True, "fg_b": False, "fg_c": False}
OTHERS = ("af_a", "af_a2", "af_b", "af_c", "melder_a", "melder_b", "partner", "partner2", "zorgcoordinator",
          "procesregisseur", "casusregisseur", "ketenregisseur", "beheerder", "burgemeester")
USERS = [*FGS, *OTHERS]


@pytest.fixture
def setting(world):
    world.fg_a = UserFactory(username="fg_a", organisation=world.a, roles=[Role.FG])
    world.fg_b = UserFactory(username="fg_b", organisation=world.b, roles=[Role.FG])
    world.fg_c = UserFactory(username="fg_c", organisation=world.c, roles=[Role.FG])
    world.fg_zvh = UserFactory(username="fg_zvh", organisation=world.zvh, roles=[Role.FG])
    # a second ZVH elsewhere, so "a ZVH's FG" is not mistaken for "any FG"
    OrganisationFactory(name="ZVH Regio Twee", code="ZVH-R2", kind=OrganisationKind.ZVH, region=world.region2,
                        email="")
    case = make_case(world)
    return add_victim(case, world.af_a)


def _request(client, endpoint, person):
    if endpoint == "export":
        return client.post(reverse("privacy:export", args=[person.uuid]), {"export-reason": REASON})
    if endpoint == "restrict":
        return client.post(reverse("privacy:restrict", args=[person.uuid]),
                           {"restrict-restricted": "1", "restrict-reason": REASON})
    if endpoint in PERSON_ENDPOINTS:
        return client.get(reverse(f"privacy:{endpoint}", args=[person.uuid]))
    if endpoint == "register_csv":
        return client.get(reverse("privacy:register_export", args=["csv"]))
    return client.get(reverse(f"privacy:{endpoint}"))


def _expected(username: str, endpoint: str) -> int:
    if username not in FGS:
        return 404
    if endpoint in OWN_ENDPOINTS:
        return 200
    if not FGS[username]:
        return 404
    return 302 if endpoint == "restrict" else 200


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("username", USERS)
def test_privacy_matrix(client, world, setting, username, endpoint):
    person = setting
    client.force_login(getattr(world, username))
    counts = (AccessLogEntry.objects.count(), AuditEvent.objects.count(), SubjectRequest.objects.count())
    response = _request(client, endpoint, person)
    expected = _expected(username, endpoint)
    assert response.status_code == expected
    person.refresh_from_db()
    if expected == 404:
        body = response.content.decode(errors="replace")
        assert person.pseudonym not in body and BSN_A not in body and "Zwaantje" not in body
        assert (AccessLogEntry.objects.count(), AuditEvent.objects.count(),
                SubjectRequest.objects.count()) == counts
        assert person.restricted_at is None
        return
    if endpoint in PERSON_ENDPOINTS:
        assert AccessLogEntry.objects.count() > counts[0]  # every read of the person is logged
        assert AccessLogEntry.objects.filter(target_uuid=person.uuid, actor=getattr(world, username)).exists()
    if endpoint in ("export", "restrict"):
        assert SubjectRequest.objects.count() == counts[2] + 1
    if endpoint == "restrict":
        assert person.restricted_at is not None


def test_a_register_shows_the_fgs_own_region_only(client, world, setting):
    client.force_login(world.fg_c)
    body = client.get(reverse("privacy:register")).content.decode()
    assert "Regio Twee" in body and "Gemeente Aadorp" not in body
