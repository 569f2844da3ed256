"""The omgevingsscan in a real browser: an AF imports the wijk map, the postcode table and a KvK extract (a bad
extract first: refused whole, Dutch errors per line, input kept) and sees the risk map with its table; the
ketenregisseur opens the same municipality from the region. Screenshots in test-artifacts/risk/, axe-core finds no
WCAG 2.1 A/AA violations, the CSP blocks nothing."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meldroute.risk.tests import samples
from tests.e2e.conftest import assert_no_violations, login
from tests.factories import make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "risk"


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def upload(page: Page, register: str, name: str, content: bytes, reason: str = "Omgevingsscan 2026") -> None:
    page.get_by_label("Register", exact=True).select_option(label=register)
    page.get_by_label("Bestand").set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": content}])
    page.get_by_label("Reden van de import").fill(reason)
    page.get_by_role("button", name="Importeren").click()


def test_an_af_imports_a_kvk_extract_and_sees_the_map(live_server, page: Page, world):
    for _ in range(6):
        make_signal(world.melder_a, postcode="1011AA")
    login(page, live_server.url, "af_a")
    page.get_by_role("link", name="Risicokaart").click()
    expect(page.get_by_role("heading", name="Omgevingsscan — Gemeente Aadorp", level=1)).to_be_visible()
    expect(page.get_by_text("Er is nog geen wijk- en buurtkaart geïmporteerd")).to_be_visible()

    page.get_by_role("link", name="Register importeren").click()
    upload(page, "Wijk- en buurtkaart (GeoJSON van het CBS)", "wijkenbuurten.geojson", samples.areas_geojson())
    expect(page.get_by_text("Wijk- en buurtkaart (GeoJSON van het CBS) geïmporteerd: 3 regels.")).to_be_visible()
    page.get_by_role("link", name="Register importeren").click()
    upload(page, "Postcode per wijk of buurt (CSV)", "pc6-wijk.csv", samples.POSTCODES)

    page.get_by_role("link", name="Register importeren").click()
    bad = samples.KVK + b"1234;;Kapot;Kadeweg;x;;1011AA;Aadorp;4120;;\n"
    upload(page, "KvK-uittreksel met SBI-codes (CSV)", "kvk-kapot.csv", bad, reason="Levering KvK juni")
    errors = page.get_by_test_id("risk-file-errors")
    expect(errors).to_contain_text("Regel 8: het KvK-nummer ‘1234’ moet uit 8 cijfers bestaan.")
    expect(errors).to_contain_text("Regel 8: ‘x’ is geen geldig huisnummer.")
    expect(page.get_by_label("Reden van de import")).to_have_value("Levering KvK juni")
    shot(page, "01-import-errors")
    assert_no_violations(page)

    upload(page, "KvK-uittreksel met SBI-codes (CSV)", "kvk-aadorp.csv", samples.KVK, reason="Levering KvK juni")
    expect(page.get_by_text("KvK-uittreksel met SBI-codes (CSV) geïmporteerd: 6 regels.")).to_be_visible()
    the_map = page.get_by_test_id("risk-map")
    expect(the_map.get_by_role("img", name="Kaart: bedrijven in risicosectoren per wijk of buurt in Gemeente "
                                            "Aadorp")).to_be_visible()
    beside = page.get_by_test_id("risk-measure-table")
    expect(beside.get_by_role("row", name="Centrum 2")).to_be_visible()
    expect(beside.get_by_role("row", name="Totaal 5")).to_be_visible()
    shot(page, "02-risk-map")
    assert_no_violations(page)

    page.get_by_role("link", name="Signalen", exact=True).click()
    expect(beside.get_by_role("row", name="Centrum 6")).to_be_visible()
    shot(page, "03-signal-map")
    assert_no_violations(page)

    page.context.clear_cookies()
    login(page, live_server.url, "ketenregisseur")
    page.get_by_role("link", name="Risicokaart").click()
    expect(page.get_by_test_id("risk-region-map").get_by_role("img")).to_be_visible()
    shot(page, "04-region")
    assert_no_violations(page)
    page.get_by_test_id("risk-overview").get_by_role("link", name="Gemeente Aadorp").click()
    expect(page.get_by_test_id("risk-map").get_by_role("img")).to_be_visible()
    expect(page.get_by_role("link", name="Risicoadressen (RNI en risicosector)")).to_have_count(0)
