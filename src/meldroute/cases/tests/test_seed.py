"""The demo's casussen: a dozen, in every status, from concrete signals, with plans, overdue actions, interventions."""

import random

import pytest
from django.urls import reverse
from django.utils import timezone

from meldroute.cases.constants import CaseStatus
from meldroute.cases.models import Case, CaseAction, Intervention
from meldroute.demo import seed as demo
from meldroute.demo.seed_cases import seed_cases
from meldroute.triage.constants import Assessment

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_demo_cases_cover_every_status_through_the_services(client):
    orgs = demo._organisations()
    users = demo._users(orgs)
    demo._routes(orgs, users)
    demo._signals(orgs, users, 120, random.Random(2026))
    cases = seed_cases(orgs, users, random.Random(7))
    assert len(cases) >= 10
    assert {c.status for c in cases} == set(CaseStatus.values)
    for case in cases:
        assert case.members.filter(role="casusregisseur").exists()
        for signal in case.signals.all():
            assert signal.municipality_id == case.municipality_id
            assert signal.classification.assessment in (Assessment.SUSPECTED, Assessment.ACTUAL)
        if case.status == CaseStatus.CLOSED:
            assert case.result and not case.actions.open().exists()
    today = timezone.localdate()
    assert CaseAction.objects.overdue(today).exists() and CaseAction.objects.filter(status="done").exists()
    assert CaseAction.objects.open().filter(deadline__gte=today).exists()
    assert Intervention.objects.filter(case__isnull=True).count() == 2
    assert Intervention.objects.filter(case__isnull=False).count() >= 6
    assert seed_cases(orgs, users, random.Random(7)) == []  # seeding twice adds nothing
    # Every demo case page renders for the people who work on it.
    for username in ("af.veenhorst", "casusregisseur", "procesregisseur", "zorgcoordinator"):
        client.force_login(users[username])
        listing = client.get(reverse("cases:list"))
        assert listing.status_code == 200
        for case in Case.objects.visible_to(users[username]):
            assert client.get(reverse("cases:detail", args=[case.uuid])).status_code == 200
    client.force_login(users["af.veenhorst"])
    assert "Kanaalweg 14" in client.get(reverse("cases:interventions")).content.decode()
