"""Shared pieces of the browser tests: indicators after flushes, logging in through the real login page."""

import pytest
from playwright.sync_api import Page, expect

PASSWORD = "Test-wachtwoord-123"


@pytest.fixture(autouse=True)
def indicators(transactional_db):
    """Re-seed the signalenlijst: a transactional test flushes the rows the data migration created."""
    from meldroute.intake.indicator_catalogue import INDICATORS
    from meldroute.intake.models import Indicator

    for position, spec in enumerate(INDICATORS):
        Indicator.objects.update_or_create(code=spec.code, defaults={"form": spec.form, "text": spec.text,
                                                                     "position": position, "is_active": True})


def login(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
