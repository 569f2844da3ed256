"""A resident files on the public form without an account and gets only a receipt code; the closed page, the form,
its errors, the receipt and the beheerder's switch have no WCAG 2.1 A/AA violations and run under the strict CSP."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_no_violations, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_resident_files_and_gets_a_receipt_code(live_server, page: Page, world):
    from meldroute.intake import resident_services
    from meldroute.intake.models import Signal

    resident_services.set_resident_form(world.a, actor=world.beheerder, is_enabled=True,
                                        local_help_name="Zorgcoördinatie Regio Een",
                                        local_help_url="https://zorg.example.nl")
    page.goto(f"{live_server.url}/inwoners/{world.a.code}/melden/")
    expect(page.get_by_role("heading", name="Mensenhandel melden in Gemeente Aadorp")).to_be_visible()
    expect(page.get_by_text("Bij direct gevaar: bel 112.")).to_be_visible()
    expect(page.get_by_label("Laat dit veld leeg")).to_be_hidden()  # the honeypot
    assert_no_violations(page)

    # An empty description: a Dutch message at the field, what was typed stays.
    page.get_by_role("textbox", name="Adres").fill("Zandweg 12, Aadorp")
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("alert")).to_contain_text("Schrijf kort op wat u heeft gezien of gehoord.")
    expect(page.get_by_role("textbox", name="Adres")).to_have_value("Zandweg 12, Aadorp")
    assert_no_violations(page)

    page.get_by_label("Wat heeft u gezien of gehoord?").fill(
        "Elke ochtend om vijf uur haalt een busje tien mannen op bij het pand aan de Zandweg.")
    page.get_by_label("Kan niet vrij gaan en staan", exact=False).check()
    page.get_by_role("button", name="Melding versturen").click()

    expect(page.get_by_role("heading", name="Dank u wel. Uw melding is ontvangen.")).to_be_visible()
    code = page.get_by_test_id("receipt-code").inner_text()
    assert re.fullmatch(r"MR-[A-Z2-9]{8}", code)
    assert code not in page.url
    assert_no_violations(page)

    signal = Signal.objects.get()
    assert signal.reference == code and signal.channel == "inwoner" and not signal.is_acute
    assert signal.reporter is None and signal.indicators.count() == 1

    page.reload()  # the code is shown once
    expect(page.get_by_role("heading", name="Geen ontvangstcode om te tonen")).to_be_visible()
    expect(page.get_by_text(code)).to_have_count(0)


def test_the_closed_page_links_elsewhere(live_server, page: Page, world):
    page.goto(f"{live_server.url}/inwoners/{world.b.code}/melden/")
    expect(page.get_by_test_id("resident-form-closed")).to_be_visible()
    expect(page.get_by_role("link", name="Meld Misdaad Anoniem")).to_have_attribute(
        "href", "https://www.meldmisdaadanoniem.nl")
    expect(page.get_by_role("button", name="Melding versturen")).to_have_count(0)
    assert_no_violations(page)


def test_the_beheerder_switches_the_form_on(live_server, page: Page, world):
    login(page, live_server.url, "beheerder")
    page.goto(f"{live_server.url}/instellingen/inwonerformulier/")
    assert_no_violations(page)
    section = page.get_by_test_id("resident-setting").filter(has_text="Gemeente Beekstad")
    section.get_by_label("Inwonerformulier aan").check()
    section.get_by_role("button", name="Opslaan voor Gemeente Beekstad").click()
    expect(page.get_by_text("Het inwonerformulier van Gemeente Beekstad staat aan.")).to_be_visible()
    assert_no_violations(page)
    page.goto(f"{live_server.url}/inwoners/{world.b.code}/melden/")
    expect(page.get_by_role("button", name="Melding versturen")).to_be_visible()
