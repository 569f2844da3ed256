"""The demo shows every home filled in: each role's demo login lands on a home whose panels list work (rows, not
only the "nothing here" sentence), in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meldroute.accounts.models import User

pytestmark = pytest.mark.clock  # the demo is seeded relative to the clock

# Each demo login, and the panels whose rows its home must show.
HOMES = {
    "procesregisseur": ["meetings"],
    "partner.politie": ["referrals"],
    "ketenregisseur": ["regional", "route_drafts"],
    "burgemeester.veenhorst": ["reports"],
    "zorgcoordinator": ["care"],
    "casusregisseur": ["cases"],
    "beheerder": ["proposals", "route_drafts"],
}


@pytest.mark.parametrize("username", list(HOMES))
def test_every_demo_home_is_filled_in(client, seeded, username):
    client.force_login(User.objects.get(username=username))
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    panels = {panel.key: panel for panel in response.context["panels"]}
    for key in HOMES[username]:
        assert panels[key].rows, (username, key)
    assert len(captured) <= 40, (username, len(captured))
    if username == "procesregisseur":  # the ZVH chairs the screeningsoverleg: what waits to be put on its agenda
        assert "signalen en casussen wachten op agendering" in [f.label for f in panels["meetings"].figures]
    if username == "partner.politie":  # the demo's acute referral of this morning comes first
        assert panels["referrals"].sorted_rows()[0].badge == "Acuut"
