"""Issue 13 in a real browser: the beheerder records an AF's task and a region's own receiver of another phenomenon;
the AF hands a poor-housing signal on outside Meldroute (a missing field refused at the field, input kept) and the
signal page says to whom. axe-core finds no WCAG 2.1 A/AA violations in the pages' content; the CSP blocks nothing."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meldroute.intake.constants import SignalStatus
from meldroute.intake.models import Signal
from tests.e2e.conftest import AXE, WCAG_TAGS, login
from tests.factories import make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def assert_no_violations(page: Page) -> None:
    """axe-core on the page's own content (<main>); the shared header is checked by the other journeys."""
    origin = "/".join(page.url.split("/")[:3])
    page.add_script_tag(url=f"{origin}/static/vendor/{AXE.name}")
    result = page.evaluate("tags => axe.run('main', {runOnly: {type: 'tag', values: tags}, "
                           "resultTypes: ['violations']})", WCAG_TAGS)
    assert result["testEngine"]["name"] == "axe-core"
    assert not result["violations"], [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def test_the_beheerder_records_an_af_task_and_a_regional_receiver(live_server, page: Page, world):
    login(page, live_server.url, "beheerder")
    page.goto(f"{live_server.url}/gebruikers/{world.af_a.uuid}/")
    page.locator("#id_duty_duty").select_option("oov")
    page.locator("#id_duty_reason").fill("Beleidsplan: de AOV'er")
    page.get_by_role("button", name="Taak vastleggen").click()
    expect(page.get_by_test_id("af-duty")).to_contain_text("AF OOV")
    assert_no_violations(page)

    page.get_by_role("link", name="Ander fenomeen").click()
    expect(page.get_by_role("heading", name="Ontvangers ander fenomeen", level=1)).to_be_visible()
    section = page.get_by_test_id("phenomenon-care_need")
    section.get_by_text("Regionale afspraak vastleggen").click()
    section.get_by_label("Ontvanger", exact=True).fill("Sociaal wijkteam Oost")
    section.get_by_role("button", name="Vastleggen").click()
    section = page.get_by_test_id("phenomenon-care_need")
    expect(section.get_by_text("Geef de bron").first).to_be_visible()
    expect(section.get_by_label("Ontvanger", exact=True)).to_have_value("Sociaal wijkteam Oost")
    assert_no_violations(page)
    section.get_by_label("Bron en toelichting").fill("Regionale werkafspraak 2026")
    section.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("De ontvanger is vastgelegd voor uw regio.")).to_be_visible()
    expect(page.get_by_test_id("phenomenon-care_need")).to_contain_text("regionale afspraak")
    assert_no_violations(page)


def test_the_af_hands_a_poor_housing_signal_on_outside_meldroute(live_server, page: Page, world):
    signal = make_signal(world.melder_a, description="Twaalf matrassen in een kleine woning.")
    login(page, live_server.url, "af_a")
    page.goto(f"{live_server.url}/inbox/{signal.uuid}/")
    page.get_by_text("Afsluiten").first.click()
    page.get_by_test_id("handover-link").click()
    page.wait_for_url("**/overdragen/")  # the boosted page is swapped in before the form is used
    page.get_by_label("Welk ander fenomeen?").select_option("poor_housing")
    page.get_by_role("button", name="Ontvanger voorstellen").click()
    expect(page.get_by_test_id("proposal")).to_contain_text("woningtoezicht")
    assert_no_violations(page)
    page.get_by_label("Toelichting bij het afsluiten (intern)").fill("Telefonisch besproken.")
    page.get_by_role("button", name="Vastleggen en afsluiten").click()
    expect(page.get_by_text("Vul de contactpersoon of afdeling in").first).to_be_visible()
    expect(page.get_by_label("Toelichting bij het afsluiten (intern)")).to_have_value("Telefonisch besproken.")
    assert_no_violations(page)
    page.get_by_label("Contactpersoon of afdeling").fill("Inspecteur van dienst")
    page.get_by_label("Doorgegeven op").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Vastleggen en afsluiten").click()
    expect(page.get_by_text("Het signaal is doorgegeven en afgesloten.")).to_be_visible()
    expect(page.get_by_test_id("handover")).to_contain_text("buiten Meldroute")
    assert Signal.objects.get(pk=signal.pk).status == SignalStatus.CLOSED
    assert_no_violations(page)
