"""The demo shows issue 13's routes: Veenhorst follows Noord- en Midden-Limburg, its screeningsoverleg decided one
signal is concrete enough, and the ZVH's procesregisseur finds "Casus starten" on the case list."""

import pytest
from django.urls import reverse

from meldroute.accounts.models import User
from meldroute.cases.permissions import signals_the_zvh_may_open
from meldroute.routing.constants import StepState
from meldroute.routing.models import SignalRouteStep

pytestmark = pytest.mark.clock


def test_the_demo_zvh_has_a_case_to_start_from_its_screeningsoverleg(seeded, client):
    zvh = User.objects.get(username="procesregisseur")
    waiting = list(signals_the_zvh_may_open(zvh))
    assert len(waiting) == 1
    step = SignalRouteStep.objects.get(signal_route__signal=waiting[0], key="casus-starten")
    assert step.state == StepState.ACTIVE and step.actor == "zvh"
    client.force_login(zvh)
    assert waiting[0].reference in client.get(reverse("cases:list")).content.decode()


def test_every_demo_route_step_cites_its_source(seeded):
    assert not SignalRouteStep.objects.filter(source="").exists()

