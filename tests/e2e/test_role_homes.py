"""Issue 14's start pages in a real browser, on the demo region: each role logs in, lands on its home, sees its
work from the seeded demo (counts, overdue first), follows one link to that work, and its home passes axe-core with
no violations under the strict CSP. The AF still lands in the inbox and the melder on their own signals.

Screenshots: test-artifacts/homes-<role>.png.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meldroute.demo.seed import DEMO_PASSWORD, seed
from tests.e2e.conftest import assert_no_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# role, demo login, the panel that must show work, its heading, the link followed, where it leads
DAYS = [
    ("procesregisseur", "procesregisseur", "meetings", "Komende overleggen", None, r"/overleggen/[0-9a-f-]{36}/$"),
    ("partner", "partner.politie", "referrals", "Doorverwijzingen om te beantwoorden", None,
     r"/doorverwijzingen/[0-9a-f-]{36}/$"),
    ("ketenregisseur", "ketenregisseur", "regional", "Regio Veenhorst in 2026", "Naar de regionale cijfers",
     r"/regio/$"),
    ("burgemeester", "burgemeester.veenhorst", "reports", "Rapportages Gemeente Veenhorst", None,
     r"/rapportages/\?kind="),
    ("zorgcoordinator", "zorgcoordinator", "care", "Slachtoffers: bedenktijd en opvang", None,
     r"/slachtoffers/[0-9a-f-]{36}/$"),
    ("casusregisseur", "casusregisseur", "cases", "Mijn casussen en acties", None, r"/casussen/[0-9a-f-]{36}/$"),
    ("beheerder", "beheerder", "proposals", "Gebruikers die wachten op goedkeuring", None,
     r"/gebruikers/[0-9a-f-]{36}/$"),
]


def demo_login(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


def test_one_day_of_each_role_starts_from_its_home(live_server, page: Page):
    seed(signals_count=60)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for role, username, key, heading, link, target in DAYS:
        demo_login(page, live_server.url, username)
        expect(page).to_have_url(f"{live_server.url}/")
        panel = page.get_by_test_id(f"home-panel-{key}")
        expect(panel.get_by_role("heading", name=heading)).to_be_visible()
        expect(panel.locator(".mr-figure").first).to_be_visible()  # the counts on top
        if link is None:
            expect(panel.locator(".mr-worklist__row").first).to_be_visible()  # work, not the empty sentence
        page.screenshot(path=str(ARTIFACTS / f"homes-{role}.png"), full_page=True)
        assert_no_violations(page)
        if link is None:
            panel.locator(".mr-worklist__row a").first.click()
        else:
            panel.get_by_role("link", name=link).click()
        expect(page).to_have_url(re.compile(target))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_role("heading", name="Niet gevonden")).to_have_count(0)

    # The burgemeester's menu names the reports; the casusregisseur's overdue actions show their text, first.
    demo_login(page, live_server.url, "burgemeester.veenhorst")
    expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Rapportages")).to_be_visible()
    demo_login(page, live_server.url, "casusregisseur")
    first = page.get_by_test_id("home-panel-cases").locator(".mr-worklist__row").first
    expect(first).to_have_class(re.compile("mr-worklist__row--overdue"))
    expect(first.locator(".mr-overdue")).to_contain_text("uiterlijk")

    # The AF keeps landing in the inbox, the melder on their own signals.
    demo_login(page, live_server.url, "af.veenhorst")
    expect(page).to_have_url(re.compile(r"/inbox/$"))
    page.screenshot(path=str(ARTIFACTS / "homes-af.png"), full_page=True)
    demo_login(page, live_server.url, "melder.veenhorst")
    expect(page.get_by_role("heading", name="Mijn meldingen")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "homes-melder.png"), full_page=True)
