"""The FG's retention page in a real browser: the report with a signal due, a hold placed (and a bad one refused at
the field, input kept), the hold lifted; axe-core finds no WCAG 2.1 A/AA violations and the CSP blocks nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meldroute.accounts.constants import Role
from meldroute.intake.models import Signal
from tests.e2e.conftest import AXE, WCAG_TAGS, login
from tests.factories import UserFactory, make_signal, to_closed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def assert_no_violations(page: Page) -> None:
    """axe-core on this page's own content (<main>): the shared header is checked by the other journeys (it had a
    contrast problem of the notifications link, another part's, at the time this was written)."""
    origin = "/".join(page.url.split("/")[:3])
    page.add_script_tag(url=f"{origin}/static/vendor/{AXE.name}")
    result = page.evaluate("tags => axe.run('main', {runOnly: {type: 'tag', values: tags}, "
                           "resultTypes: ['violations']})", WCAG_TAGS)
    assert result["testEngine"]["name"] == "axe-core"
    assert not result["violations"], [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def test_the_fg_reads_the_report_places_a_hold_and_lifts_it(live_server, page: Page, world):
    UserFactory(username="fg", organisation=world.a, roles=[Role.FG])
    signal = make_signal(world.melder_a)
    to_closed(signal, world.af_a)
    Signal.objects.filter(pk=signal.pk).update(closed_at=timezone.now() - timedelta(days=400))
    login(page, live_server.url, "fg")
    page.get_by_role("link", name="Bewaartermijnen").click()
    expect(page.get_by_role("heading", name="Bewaartermijnen", level=1)).to_be_visible()
    expect(page.get_by_test_id("due-signal_no_follow_up")).to_have_text("1")
    assert_no_violations(page)

    page.get_by_label("Code van het signaal of de casus").fill("ONBEKEND-1")
    page.get_by_label("Reden").fill("Lopend onderzoek politie")
    page.get_by_label("Tot en met").fill((timezone.localdate() + timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Blokkade plaatsen").click()
    expect(page.get_by_text("Geen signaal of casus met deze code in uw regio.").first).to_be_visible()
    expect(page.get_by_label("Reden")).to_have_value("Lopend onderzoek politie")
    assert_no_violations(page)

    page.get_by_label("Code van het signaal of de casus").fill(signal.reference)
    page.get_by_role("button", name="Blokkade plaatsen").click()
    expect(page.get_by_text("De blokkade is geplaatst")).to_be_visible()
    expect(page.get_by_test_id("due-signal_no_follow_up")).to_have_text("0")
    expect(page.get_by_test_id("retention-holds")).to_contain_text(signal.reference)
    page.get_by_role("button", name="Opheffen").click()
    expect(page.get_by_text("De blokkade is opgeheven.")).to_be_visible()
    expect(page.get_by_test_id("due-signal_no_follow_up")).to_have_text("1")
