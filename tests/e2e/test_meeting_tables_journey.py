"""Issue 13 in a real browser: the chair's agenda (compact overview, folded details), the decision form that asks only
what the chosen decision needs (static/meldroute/meetings.js, under the strict CSP), inviting the HEIT to one item,
and the HEIT seeing that item only."""

from datetime import time

import pytest
from playwright.sync_api import Page, expect

from meldroute.accounts.constants import Role
from meldroute.meetings.constants import Cadence, Weekday
from meldroute.meetings.models import MeetingSeries
from meldroute.meetings.tests.conftest import ROUTE
from meldroute.organisations.constants import OrganisationKind
from meldroute.routing import services as routing_services
from meldroute.routing.constants import MeetingKind
from tests.e2e.conftest import assert_no_violations, login
from tests.factories import OrganisationFactory, UserFactory, make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_chair_invites_the_heit_to_one_item_and_the_form_asks_only_what_the_decision_needs(
        live_server, page: Page, new_context, world):
    routing_services.install_route(world.region, ROUTE, actor=world.beheerder)
    series = MeetingSeries.objects.create(
        region=world.region, kind=MeetingKind.SCREENING, name="Screeningsoverleg Regio Een",
        cadence=Cadence.WEEKLY, weekday=Weekday.TUESDAY, start_time=time(9, 30), chair_organisation=world.zvh,
        shared_categories=["summary", "description"])
    series.participants.set([world.zvh, world.police, world.a])
    heit = OrganisationFactory(name="Economisch Interventieteam Regio Een", code="EIT-E2E",
                               kind=OrganisationKind.OTHER, region=world.region)
    UserFactory(username="heit", organisation=heit, roles=[Role.PARTNER])
    first = make_signal(world.melder_a, description="Eerste signaal: werkers slapen in de loods.")
    second = make_signal(world.melder_a, description="Tweede signaal: kamers boven de snackbar.")

    login(page, live_server.url, "procesregisseur")
    page.goto(f"{live_server.url}/overleggen/")
    page.get_by_test_id("series").locator("tr", has_text="Screeningsoverleg Regio Een").get_by_role(
        "link").first.click()
    overview = page.get_by_test_id("agenda-overview")
    expect(overview).to_contain_text(first.reference)
    expect(overview).to_contain_text(second.reference)
    assert_no_violations(page)

    # The first item is at hand (unfolded): "geen mensenhandel" asks for nothing more, "doorverwijzen" for a partner.
    item = page.locator("#punt-1")
    item.get_by_role("radio", name="Geen mensenhandel").check()
    expect(item.get_by_role("combobox", name="Eigenaar (organisatie)")).to_be_hidden()
    expect(item.get_by_role("combobox", name="Doorverwijzen naar")).to_be_hidden()
    item.get_by_role("radio", name="Doorverwijzen naar een ketenpartner").check()
    expect(item.get_by_role("combobox", name="Doorverwijzen naar")).to_be_visible()
    expect(item.get_by_role("combobox", name="Eigenaar (organisatie)")).to_be_visible()

    # Invite the HEIT to the second item only.
    second_item = page.locator("#punt-2")
    second_item.locator("summary").first.click()
    second_item.locator("summary", has_text="Organisatie uitnodigen voor dit punt").click()
    second_item.get_by_role("combobox", name="Organisatie uitnodigen voor dit punt").select_option(label=heit.name)
    second_item.get_by_role("button", name="Uitnodigen").click()
    expect(page.get_by_text(f"{heit.name} is uitgenodigd voor {second.reference}")).to_be_visible()

    guest = new_context().new_page()
    login(guest, live_server.url, "heit")
    guest.goto(f"{live_server.url}/overleggen/")
    guest.get_by_test_id("invited-meetings").get_by_role("link").first.click()
    expect(guest.get_by_test_id("guest-note")).to_be_visible()
    expect(guest.get_by_test_id("agenda-overview")).to_contain_text(second.reference)
    expect(guest.get_by_text(first.reference)).to_have_count(0)
    assert_no_violations(guest)
