"""After logging out, the Back button shows the login page, never the signal the AF was reading."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import login
from tests.factories import make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_back_after_logout_shows_no_personal_data(live_server, page: Page, world):
    signal = make_signal(world.melder_a, description="Zeven matrassen in de kelder van de nagelstudio.")
    login(page, live_server.url, "af_a")
    page.goto(f"{live_server.url}/inbox/")
    page.get_by_role("link", name=signal.reference).first.click()  # a boosted navigation, as a user makes it
    expect(page.get_by_text("Zeven matrassen in de kelder")).to_be_visible()

    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", name="Inloggen bij Meldroute")).to_be_visible()
    stored = page.evaluate("JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage)])")
    assert "htmx-history-cache" not in stored and "matrassen" not in stored

    page.go_back()
    expect(page.get_by_role("heading", name="Inloggen bij Meldroute")).to_be_visible()
    expect(page.get_by_text("Zeven matrassen in de kelder")).to_have_count(0)
    page.go_back()
    expect(page.get_by_text("Zeven matrassen in de kelder")).to_have_count(0)
