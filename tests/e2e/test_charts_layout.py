"""Issue 14, dashboard charts in a real browser: no horizontal overflow at 1280 px and 375 px on the dashboard and the
regional view (the month × form table made the page 1577 px wide), the stacked month chart is there, axe finds nothing.

Screenshots in test-artifacts/charts/.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meldroute.triage.services import classify_signal
from tests.e2e.conftest import assert_no_violations, login
from tests.factories import make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "charts"
WIDTHS = (1280, 375)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def seed(world):
    for melder, af, spec in ((world.melder_a, world.af_a, [("sexual", 3), ("labour", 6), ("criminal", 2)]),
                             (world.melder_b, world.af_b, [("sexual", 8), ("labour", 7)])):
        for form, n in spec:
            for _ in range(n):
                classify_signal(make_signal(melder), actor=af, assessment="suspected", forms=[form],
                                sector="hospitality")


def assert_fits(page: Page, width: int) -> None:
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.body.scrollWidth, innerWidth]")
    assert sizes[0] <= width and sizes[1] <= width, f"the page is wider than the {width} px viewport: {sizes}"


def test_dashboard_and_regional_view_fit_at_1280_and_375_px(live_server, page: Page, world):
    seed(world)

    login(page, live_server.url, "af_a")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/dashboard/")
        expect(page.get_by_test_id("signal-total")).to_have_text("11")
        month = page.get_by_test_id("figure-month")
        expect(month.get_by_role("img", name="Signalen per maand naar vorm van uitbuiting")).to_be_visible()
        expect(month.get_by_role("img", name="Arbeidsuitbuiting (6)")).to_be_visible()  # a small multiple
        expect(page.get_by_label("Periode")).to_contain_text("Laatste 12 maanden")
        assert_fits(page, width)
        shot(page, f"dashboard-{width}")
        assert_no_violations(page)

    page.context.clear_cookies()
    login(page, live_server.url, "ketenregisseur")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/regio/?onderwerp=form")
        expect(page.get_by_test_id("regional-table")).to_be_visible()
        chart = page.get_by_test_id("regional-chart")
        expect(chart.get_by_role("img", name="Totaal regio: Signalen in")).to_be_visible()
        assert_fits(page, width)
        shot(page, f"regional-{width}")
        assert_no_violations(page)
