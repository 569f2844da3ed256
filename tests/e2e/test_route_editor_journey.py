"""Issue 13's journey in a real browser: a beheerder changes a deadline in the form editor, walks a sample signal
through the draft, and a second beheerder publishes it. Every page of the editor passes axe with 0 violations."""

import pytest
from playwright.sync_api import Page, expect

from meldroute.accounts.constants import Role
from meldroute.routing import services as routing_services
from meldroute.routing.constants import DraftStatus
from meldroute.routing.models import RouteDefinition, RouteDraft, SignalRoute
from meldroute.routing.tests.test_drafts import ROUTE
from tests.e2e.conftest import assert_no_violations, login
from tests.factories import UserFactory, make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_beheerder_drafts_a_deadline_walks_a_sample_signal_and_a_second_beheerder_publishes(live_server,
                                                                                            page: Page, world):
    UserFactory(username="beheerder2", organisation=world.b, roles=[Role.BEHEERDER])
    routing_services.install_route(world.region, ROUTE, actor=world.beheerder)
    signal = make_signal(world.melder_a)
    routing_services.start_route(signal, actor=world.af_a)

    # 1. The beheerder opens the form editor and changes the first step's deadline to 3 working days.
    login(page, live_server.url, "beheerder")
    page.goto(f"{live_server.url}/beheer-meldroute/")
    page.get_by_test_id("open-editor").click()
    expect(page.get_by_role("heading", name="Meldroute wijzigen")).to_be_visible()
    assert_no_violations(page)
    page.get_by_label("Stap 1: Termijn").select_option(label="Binnen 3 werkdagen")
    page.get_by_test_id("save-draft").first.click()

    # 2. The draft shows its difference from version 1, and is not in use yet.
    expect(page.get_by_test_id("status")).to_have_text("Concept")
    changes = page.get_by_test_id("changes")
    expect(changes).to_contain_text("termijn gewijzigd")
    expect(changes.get_by_test_id("new-value")).to_have_text("binnen 3 werkdagen")
    expect(page.get_by_test_id("publish")).to_have_count(0)  # the maker cannot publish its own draft
    assert RouteDefinition.objects.get(is_active=True).version == 1

    # 3. A made-up acute victim signal walks through the draft: which steps, in which order, by whom, how soon.
    dry_run = page.get_by_test_id("dry-run")
    dry_run.get_by_label("Acuut?").select_option(label="Acuut")
    dry_run.get_by_label("Soort signaal").select_option(label="Slachtoffersignaal")
    dry_run.get_by_test_id("walk").click()
    walk = page.get_by_test_id("walk-draft")
    expect(walk.locator('tr[data-step="oppakken"]')).to_contain_text("binnen 3 werkdagen")
    expect(walk.locator('tr[data-step="acuut"]')).to_contain_text("binnen 4 uur")
    expect(walk.locator('tr[data-step="pct"]')).to_contain_text("overgeslagen")
    expect(walk.locator('tr[data-step="zorg"]')).to_contain_text("Aandachtsfunctionaris Zorg")
    expect(page.get_by_test_id("walk-active").locator('tr[data-step="oppakken"]')).to_contain_text(
        "binnen 1 werkdag")
    assert_no_violations(page)
    assert SignalRoute.objects.get(signal=signal).steps.get(key="oppakken").deadline_working_days == 1

    # 4. A second beheerder finds the draft and publishes it.
    page.context.clear_cookies()
    login(page, live_server.url, "beheerder2")
    page.goto(f"{live_server.url}/beheer-meldroute/")
    page.get_by_test_id("open-draft").get_by_role("link", name="Concept bekijken").click()
    assert_no_violations(page)
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("status")).to_contain_text("Gepubliceerd")
    expect(page.get_by_text("versie 2 van de meldroute is nu in gebruik")).to_be_visible()
    page.goto(f"{live_server.url}/beheer-meldroute/concepten/")
    expect(page.get_by_test_id("draft-list")).to_contain_text("Gepubliceerd")
    assert_no_violations(page)

    active = RouteDefinition.objects.get(is_active=True)
    assert active.version == 2 and active.steps.get(key="oppakken").deadline_working_days == 3
    assert RouteDraft.objects.get().status == DraftStatus.PUBLISHED
    # The signal already on its way keeps its own copy.
    assert SignalRoute.objects.get(signal=signal).steps.get(key="oppakken").deadline_working_days == 1


def test_the_editor_with_mistakes_and_the_ketenregisseur_s_draft_page_pass_axe(live_server, page: Page, world):
    from meldroute.routing import drafts
    from meldroute.routing.tests.test_drafts import changed_route

    routing_services.install_route(world.region, ROUTE, actor=world.beheerder)
    login(page, live_server.url, "beheerder")
    page.goto(f"{live_server.url}/beheer-meldroute/concept/")
    page.get_by_test_id("add-step").click()  # a new, empty row
    expect(page.get_by_test_id("step-table").locator("tbody tr")).to_have_count(len(ROUTE["steps"]) + 1)
    page.get_by_label("Stap 2: Titel").fill("")
    page.get_by_test_id("save-draft").first.click()
    errors = page.get_by_test_id("editor-errors")
    expect(errors).to_contain_text("Stap 2, titel: Geef de stap een titel.")
    assert_no_violations(page)
    assert not RouteDraft.objects.exists()

    draft = drafts.save_draft(world.region, changed_route(3), actor=world.beheerder)
    page.context.clear_cookies()
    login(page, live_server.url, "ketenregisseur")
    page.get_by_role("link", name="Meldroute-concepten").click()
    page.get_by_role("link", name=draft.data["name"]).click()
    expect(page.get_by_test_id("publish")).to_be_visible()
    assert_no_violations(page)
