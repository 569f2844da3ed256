"""Issue 15 in a real browser: the ketenregisseur opens the basisniveau overview, sees which municipality misses
"actieve signalering", opens its training coverage, and records an action's progress (a bad date refused at the field,
input kept); axe-core finds no WCAG 2.1 A/AA violations in the pages' content and the CSP blocks nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meldroute.policy import services
from meldroute.policy.constants import FRONT_LINE_TEAMS
from meldroute.policy.models import ActionPoint
from meldroute.routing import services as routing_services
from tests.e2e.conftest import AXE, WCAG_TAGS, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def assert_no_violations(page: Page) -> None:
    """axe-core on the page's own content (<main>), as the retention journey does."""
    origin = "/".join(page.url.split("/")[:3])
    page.add_script_tag(url=f"{origin}/static/vendor/{AXE.name}")
    result = page.evaluate("tags => axe.run('main', {runOnly: {type: 'tag', values: tags}, "
                           "resultTypes: ['violations']})", WCAG_TAGS)
    assert result["testEngine"]["name"] == "axe-core"
    assert not result["violations"], [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def test_the_ketenregisseur_finds_the_municipality_missing_active_signalling_and_records_progress(
        live_server, page: Page, world):
    today = timezone.localdate()
    routing_services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    services.register_training(actor=world.af_a, municipality=world.a, title="RIEC e-learning",
                               provider="riec_elearning", held_on=today - timedelta(days=20),
                               teams=list(FRONT_LINE_TEAMS), participants=45)
    action = ActionPoint.objects.create(region=world.region, plan="Samen tegen mensenhandel", theme="Bewustwording",
                                        number="2", action="Trainingen aanbieden aan de frontlinieteams",
                                        who="Aandachtsfunctionaris", when_text="Uiterlijk 01-05-2026",
                                        deadline=today - timedelta(days=40))

    login(page, live_server.url, "ketenregisseur")
    page.get_by_role("link", name="Beleid").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Basisniveau aanpak mensenhandel")
    overview = page.get_by_test_id("basisniveau-overview")
    aadorp = overview.locator("tr[data-municipality='Gemeente Aadorp'] td[data-requirement='signalling']")
    beekstad = overview.locator("tr[data-municipality='Gemeente Beekstad'] td[data-requirement='signalling']")
    expect(aadorp).to_have_text("Voldoet")
    expect(beekstad).to_have_attribute("data-level", "partly")
    assert_no_violations(page)

    page.get_by_role("link", name="Gemeente Beekstad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Basisniveau Gemeente Beekstad")
    expect(page.locator("section[data-requirement='signalling'] tr[data-part='trained']")).to_contain_text("nee")
    assert_no_violations(page)
    page.get_by_test_id("coverage-link").click()
    expect(page.get_by_test_id("overdue-count")).to_contain_text("8 teams zijn niet getraind")
    expect(page.locator("tr[data-team='balie']")).to_contain_text("achter: training nodig")
    assert_no_violations(page)

    page.goto(f"{live_server.url}/beleid/actiepunten/")
    expect(page.get_by_test_id("overdue-count")).to_contain_text("1 actiepunt is over de termijn")
    page.get_by_role("link", name="Trainingen aanbieden aan de frontlinieteams").click()
    expect(page.get_by_test_id("due")).to_contain_text("over de termijn")
    assert_no_violations(page)
    page.get_by_label("Status").select_option(label="Loopt")
    page.get_by_label("Datum").fill((today + timedelta(days=5)).isoformat())
    page.get_by_label("Toelichting").fill("Eerste sessie voor balie en KCC gepland")
    page.get_by_role("button", name="Voortgang vastleggen").click()
    expect(page.get_by_text("Deze datum ligt in de toekomst.").first).to_be_visible()
    expect(page.get_by_label("Toelichting")).to_have_value("Eerste sessie voor balie en KCC gepland")
    page.get_by_label("Datum").fill(today.isoformat())
    page.get_by_role("button", name="Voortgang vastleggen").click()
    expect(page.get_by_text("De voortgang is vastgelegd.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Loopt")
    expect(page.get_by_test_id("updates")).to_contain_text("Eerste sessie voor balie en KCC gepland")
    assert_no_violations(page)
    action.refresh_from_db()
    assert action.status == "in_progress" and action.last_update_on == today
