"""axe-core on the beheerder's user pages (list with a waiting proposal, one user, new user, API tokens with a fresh
secret on screen): no WCAG 2.1 A/AA violations. And the two-person approval clicked through in a real browser."""

import pytest
from playwright.sync_api import Page, expect

from meldroute.accounts import services
from meldroute.accounts.constants import Role
from tests.e2e.conftest import assert_no_violations, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def beheer(world):
    world.beheerder2 = UserFactory(username="beheerder2", organisation=world.b, roles=[Role.BEHEERDER])
    services.propose_role(world.melder_a, actor=world.beheerder2, role=Role.AF, reason="Achtervang voor Aadorp")
    services.create_api_token(world.police, actor=world.beheerder2, name="Politiesysteem", valid_days=30,
                              reason="koppeling")
    return world


@pytest.mark.parametrize("path", ["/gebruikers/", "/gebruikers/nieuw/", "/gebruikers/api-sleutels/", "user"])
def test_beheer_page_has_no_violations(live_server, page: Page, beheer, path):
    login(page, live_server.url, "beheerder")
    url = f"/gebruikers/{beheer.af_a.uuid}/" if path == "user" else path
    response = page.goto(live_server.url + url)
    assert response is not None and response.status == 200
    assert_no_violations(page)


def test_second_beheerder_approves_in_the_browser_and_the_token_secret_shows_once(live_server, page: Page, beheer):
    login(page, live_server.url, "beheerder")
    page.goto(f"{live_server.url}/gebruikers/")
    page.get_by_role("button", name="Goedkeuren").click()
    expect(page.get_by_text("De rol is toegekend.")).to_be_visible()
    page.goto(f"{live_server.url}/gebruikers/api-sleutels/")
    page.get_by_label("Organisatie").select_option(label="RIEC Regio Een")
    page.get_by_label("Naam van het systeem").fill("RIEC-koppeling")
    page.get_by_label("Reden").first.fill("Koppeling met het RIEC-systeem")
    page.get_by_role("button", name="Aanmaken").click()
    expect(page.get_by_test_id("secret")).to_be_visible()
    assert_no_violations(page)
