"""axe-core (vendored) on every main page: no WCAG 2.1 A/AA violations.

The tags are those the Dutch accessibility requirement (EN 301 549 / WCAG 2.1 AA) asks for.
"""


import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_violations, login
from tests.factories import make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]



def open_all_details(page: Page) -> None:
    """Unfold every <details>, so axe also checks what is collapsed at first (axe skips hidden content)."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")


@pytest.fixture
def handled_signal(world):
    """An acute signal of melder_a with indicators, a note, a classification and feedback: the fullest pages."""
    from meldroute.intake.models import Indicator
    from meldroute.triage import services as triage_services

    signal = make_signal(world.melder_a, is_acute=True, indicators=list(Indicator.objects.all()[:2]),
                         postcode="1234 AB", address="Stationsstraat 12")
    triage_services.add_enrichment_note(signal, actor=world.af_a, source="brp", text="Twaalf personen ingeschreven.")
    triage_services.classify_signal(signal, actor=world.af_a, assessment="suspected", forms=["labour"])
    triage_services.give_feedback(signal, actor=world.af_a, text="Dank u wel, wij pakken het op.")
    # A second, untouched acute signal keeps the inbox's acute banner on screen.
    make_signal(world.melder_a, is_acute=True, description="Kind alleen op straat om drie uur 's nachts.")
    return signal


def test_login_page(live_server, page: Page):
    page.goto(f"{live_server.url}/inloggen/")
    assert_no_violations(page)


def test_login_page_with_error(live_server, page: Page, world):
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("melder_a")
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("klopt niet")
    assert_no_violations(page)


def test_report_form(live_server, page: Page, world):
    login(page, live_server.url, "melder_a")
    page.goto(f"{live_server.url}/melden/")
    open_all_details(page)
    assert_no_violations(page)


def test_report_form_with_errors(live_server, page: Page, world):
    login(page, live_server.url, "melder_a")
    page.goto(f"{live_server.url}/melden/")
    page.get_by_role("textbox", name="Postcode").fill("12AB")
    page.get_by_role("button", name="Signaal versturen").click()
    expect(page.get_by_text("Controleer de volgende punten")).to_be_visible()
    open_all_details(page)
    assert_no_violations(page)


def test_receipt(live_server, page: Page, world, handled_signal):
    login(page, live_server.url, "melder_a")
    page.goto(f"{live_server.url}/meldingen/{handled_signal.uuid}/ontvangen/")
    expect(page.get_by_test_id("receipt-code")).to_have_text(handled_signal.reference)
    assert_no_violations(page)


def test_my_signals(live_server, page: Page, world, handled_signal):
    login(page, live_server.url, "melder_a")
    page.goto(f"{live_server.url}/meldingen/")
    expect(page.get_by_role("link", name=handled_signal.reference)).to_be_visible()
    assert_no_violations(page)


def test_my_signal_page(live_server, page: Page, world, handled_signal):
    login(page, live_server.url, "melder_a")
    page.goto(f"{live_server.url}/meldingen/{handled_signal.uuid}/")
    expect(page.get_by_test_id("feedback")).to_be_visible()
    assert_no_violations(page)


def test_inbox(live_server, page: Page, world, handled_signal):
    login(page, live_server.url, "af_a")
    page.goto(f"{live_server.url}/inbox/")
    expect(page.get_by_test_id("acute-banner")).to_be_visible()
    assert_no_violations(page)


def test_af_signal_page(live_server, page: Page, world, handled_signal):
    login(page, live_server.url, "af_a")
    page.goto(f"{live_server.url}/inbox/{handled_signal.uuid}/")
    expect(page.get_by_test_id("classification")).to_be_visible()
    open_all_details(page)
    assert_no_violations(page)


def test_af_signal_page_with_errors(live_server, page: Page, world, handled_signal):
    login(page, live_server.url, "af_a")
    page.goto(f"{live_server.url}/inbox/{handled_signal.uuid}/")
    page.get_by_role("button", name="Verrijking toevoegen").click()
    expect(page.get_by_text("Controleer de volgende punten")).to_be_visible()
    open_all_details(page)
    assert_no_violations(page)
