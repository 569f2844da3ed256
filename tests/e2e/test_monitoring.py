"""Monitoring in a real browser: the AF's dashboard (charts beside tables) and the RIEC's suppressed regional view.

Runs against pytest-django's live server on Debian's Chromium (see conftest.py and TOOLCHAIN.md §1).
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meldroute.triage.services import classify_signal
from tests.e2e.conftest import assert_no_violations, login
from tests.factories import make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "monitoring"


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def seed(world):
    # Aadorp: 3 sexual + 9 labour; Beekstad: 8 sexual + 7 labour. Aadorp's 3 is below the shared threshold of 5.
    for melder, af, spec in ((world.melder_a, world.af_a, [("sexual", 3), ("labour", 9)]),
                             (world.melder_b, world.af_b, [("sexual", 8), ("labour", 7)])):
        for form, n in spec:
            for _ in range(n):
                signal = make_signal(melder)
                classify_signal(signal, actor=af, assessment="suspected", forms=[form], sector="hospitality")


def test_af_dashboard_shows_charts_with_tables_and_the_regional_view_suppresses_small_cells(live_server, page: Page,
                                                                                           world):
    seed(world)

    login(page, live_server.url, "af_a")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Dashboard mensenhandel — Gemeente Aadorp")).to_be_visible()
    expect(page.get_by_test_id("signal-total")).to_have_text("12")
    form_figure = page.get_by_test_id("figure-form")
    expect(form_figure.get_by_role("img", name="Vorm van uitbuiting")).to_be_visible()  # the SVG, by its <title>
    expect(form_figure.get_by_role("row", name="Seksuele uitbuiting 3")).to_be_visible()
    shot(page, "01-dashboard")
    assert_no_violations(page)
    with page.expect_download() as download:
        form_figure.get_by_role("link", name="als CSV").click()
    assert "Seksuele uitbuiting;3" in Path(download.value.path()).read_text(encoding="utf-8-sig")
    # The AF has no regional view: an AF knows their own row and could difference out the neighbours' cells.
    page.goto(f"{live_server.url}/regio/")
    expect(page.get_by_role("heading", name="Niet gevonden")).to_be_visible()

    page.context.clear_cookies()
    login(page, live_server.url, "ketenregisseur")
    page.get_by_role("link", name="Regio", exact=True).click()
    table = page.get_by_test_id("regional-table")
    expect(table).to_be_visible()
    aadorp = table.get_by_role("row", name="Gemeente Aadorp")
    sexual_cell = aadorp.get_by_role("cell").nth(0)
    expect(sexual_cell).to_have_text("<5")
    expect(aadorp.get_by_role("cell").last).to_have_text("12")  # totals published
    expect(page.get_by_text("niet getoond om herleidbaarheid te voorkomen")).to_be_visible()
    shot(page, "02-regional")
    assert_no_violations(page)
