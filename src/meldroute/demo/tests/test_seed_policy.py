"""The demo's policy follow-up (issue 15): basisniveau with one municipality missing actieve signalering, a plan's
actiepunten (one overdue, with dated progress), trainings and awareness activities, the region's cadence."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meldroute.organisations.models import Organisation
from meldroute.policy import selectors
from meldroute.policy.constants import Level, Requirement
from meldroute.policy.models import ActionPoint, Activity, EvaluationCadence, Training

pytestmark = pytest.mark.clock  # the seed reads the clock


DEMO_SIGNALS = 40  # the conftest's seeded_once seeds a demo this size


def test_the_demo_has_basisniveau_actiepunten_trainings_and_activities(seeded):
    region_municipalities = Organisation.objects.municipalities().filter(region__slug="veenhorst")
    states = {m.code: selectors.basisniveau_of(m) for m in region_municipalities}
    assert states["GM9901"].level == Level.MET
    assert states["GM9904"].requirement(Requirement.SIGNALLING).level != Level.MET
    assert states["GM9903"].requirement(Requirement.SIGNALLING).level != Level.MET
    actions = ActionPoint.objects.filter(region__slug="veenhorst")
    assert actions.count() == 9
    today = timezone.localdate()
    assert any(a.is_overdue(today) for a in actions)
    assert actions.filter(updates__isnull=False).distinct().count() == 3
    assert Training.objects.filter(with_experts=True).exists()
    assert Activity.objects.values("kind").distinct().count() == 6
    assert EvaluationCadence.objects.get(region__slug="veenhorst").every_months == 12


def test_the_demo_ketenregisseur_opens_the_overview(seeded, client):
    from meldroute.accounts.models import User

    client.force_login(User.objects.get(username="ketenregisseur"))
    page = client.get(reverse("policy:overview")).content.decode()
    assert "Oosterbroek" in page and ("Voldoet niet" in page or "Deels" in page)
    assert "1 van 3" in page and "0 van 3" in page  # the region's goals recorded per municipality
    assert client.get(reverse("policy:actions")).status_code == 200
