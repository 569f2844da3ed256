"""The demo's omgevingsscan: every Veenhorst municipality has a fictional wijk map with registers, the demo signals
lie in its wijken, and the AF of Veenhorst sees the wasstraat of the pattern alert flagged."""

import pytest
from django.urls import reverse

from meldroute.organisations.models import Organisation
from meldroute.risk.figures import scan_figures, scan_map
from meldroute.risk.models import Area, RegisterImport
from meldroute.risk.selectors import risk_flags_for

pytestmark = pytest.mark.clock  # the seed reads the clock


def test_every_demo_municipality_has_a_map_and_six_registers_imported_by_its_af(seeded):
    for municipality in Organisation.objects.municipalities().filter(region__slug="veenhorst"):
        assert Area.objects.filter(municipality=municipality).count() == 3
        imports = RegisterImport.objects.filter(municipality=municipality)
        assert imports.count() == 6 and all(i.imported_by.has_role("aandachtsfunctionaris") for i in imports)


def test_the_demo_map_shows_risk_businesses_and_signals_per_wijk(seeded):
    veenhorst = Organisation.objects.get(code="GM9901")
    figures = scan_figures(veenhorst)
    assert all(row.risk_businesses > 0 for row in figures.rows if row.code)
    assert figures.total.signals > 0 and sum(row.signals for row in figures.rows if row.code) > 0
    assert scan_map(figures, "sectoren").count("<path") == 3


def test_the_af_of_veenhorst_sees_the_wasstraat_flagged_and_the_ketenregisseur_sees_the_region(seeded, client):
    veenhorst = Organisation.objects.get(code="GM9901")
    from meldroute.accounts.models import User

    af = User.objects.get(username="af.veenhorst")
    flags = risk_flags_for(af, veenhorst)
    assert ("9901AB", "14", 9) in [(f.postcode, f.house_number, f.registrations) for f in flags]
    client.force_login(User.objects.get(username="ketenregisseur"))
    page = client.get(reverse("risk:index")).content.decode()
    assert "Gemeente Veenhorst" in page and "Gemeente Oosterbroek" in page
