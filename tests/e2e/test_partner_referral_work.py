"""Issue 14, the partner's day with referrals in a real browser: it filters its list to the acute ones, asks the
sending AF a question on the referral, the AF answers (both told by a notification), and the partner returns a
structured outcome. The AF who tries to send the same signal to the same partner again is warned first."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meldroute.referrals import services as referral_services
from meldroute.referrals.models import Referral, ReferralMessage
from tests.e2e.conftest import assert_no_violations, login
from tests.factories import make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "partner-referrals"
QUESTION = "Is de melder bereikbaar voor een gesprek met de recherche?"
ANSWER = "Ja, via de aandachtsfunctionaris; bel het nummer op het signaal."


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def refer(world, *, acute: bool) -> Referral:
    signal = make_signal(world.melder_a, is_acute=acute, description="Omschrijving voor de politie.")
    return referral_services.create_referral(signal, actor=world.af_a, receiver_organisation=world.police,
                                             purpose="Onderzoek naar mogelijke uitbuiting",
                                             legal_ground="public_task", categories=["description"])


def test_partner_filters_asks_gets_an_answer_and_returns_a_structured_outcome(live_server, page: Page, new_context,
                                                                             world):
    acute, calm = refer(world, acute=True), refer(world, acute=False)

    # 1. The partner filters its referrals to the acute ones.
    login(page, live_server.url, "partner_politie")
    page.goto(f"{live_server.url}/doorverwijzingen/")
    table = page.get_by_test_id("referrals")
    expect(table).to_contain_text(calm.signal.reference)
    page.get_by_label("Alleen acuut").check()
    page.get_by_role("button", name="Filter").click()
    expect(table).to_contain_text(acute.signal.reference)
    expect(table).not_to_contain_text(calm.signal.reference)
    expect(table.get_by_test_id("acute-badge")).to_have_count(1)
    assert_no_violations(page)
    shot(page, "01-acute-filter")

    # 2. It opens the acute referral and asks the AF a question.
    page.get_by_role("link", name=acute.signal.reference).click()
    page.get_by_role("button", name="Doorverwijzing accepteren").click()
    # The page after accepting has the question form too: ask there, not on the page the click is leaving.
    expect(page.get_by_test_id("referral-status")).to_contain_text("Geaccepteerd")
    page.get_by_label("Uw vraag of antwoord").fill(QUESTION)
    page.get_by_role("button", name="Vraag stellen").click()
    expect(page.get_by_test_id("referral-messages")).to_contain_text(QUESTION)
    assert_no_violations(page)
    shot(page, "02-question-asked")

    # 3. The AF is told, reads the question on the referral and answers.
    af = new_context().new_page()
    login(af, live_server.url, "af_a")
    af.goto(f"{live_server.url}/notificaties/")
    af.get_by_role("button", name=re.compile(f"Vraag van .* {acute.signal.reference}")).click()
    expect(af.get_by_test_id("referral-messages")).to_contain_text(QUESTION)
    af.get_by_label("Uw vraag of antwoord").fill(ANSWER)
    af.get_by_role("button", name="Antwoord versturen").click()
    expect(af.get_by_test_id("referral-messages")).to_contain_text(ANSWER)
    assert_no_violations(af)
    shot(af, "03-answered-by-af")
    assert list(ReferralMessage.objects.values_list("from_receiver", flat=True)) == [True, False]

    # 4. The partner reads the answer and returns what it did: handed over to the labour inspectorate.
    page.reload()
    expect(page.get_by_test_id("referral-messages")).to_contain_text(ANSWER)
    page.get_by_role("radio", name="Overgedragen aan een andere organisatie").check()
    page.get_by_role("button", name="Uitkomst versturen").click()
    expect(page.get_by_text("Schrijf aan welke organisatie u het heeft overgedragen.").first).to_be_visible()
    page.get_by_label(re.compile("^Overgedragen aan \\(organisatie\\)")).fill("Nederlandse Arbeidsinspectie")
    page.get_by_role("button", name="Uitkomst versturen").click()
    expect(page.get_by_test_id("referral-outcome-kind")).to_have_text(
        "Overgedragen aan een andere organisatie: Nederlandse Arbeidsinspectie")
    shot(page, "04-outcome-returned")

    # 5. The AF wants to send the calm signal to the police a second time: warned, then confirmed.
    af.goto(f"{live_server.url}/inbox/{calm.signal.uuid}/doorverwijzen/nieuw/")
    af.get_by_role("combobox", name="Naar").select_option(label=world.police.name)
    af.get_by_role("textbox", name="Doel van de doorverwijzing").fill("Aanvullende informatie voor de politie.")
    af.get_by_role("combobox", name="Grondslag").select_option("public_task")
    af.get_by_role("button", name="Doorverwijzing versturen").click()
    expect(af.get_by_text(re.compile("staat al open bij")).first).to_be_visible()
    assert_no_violations(af)
    shot(af, "05-duplicate-warning")
    af.get_by_label("Ja, ik stuur toch nog een doorverwijzing naar deze ketenpartner").check()
    af.get_by_role("button", name="Doorverwijzing versturen").click()
    expect(af.get_by_role("button", name="Persoonlijke link maken")).to_be_visible()
    assert Referral.objects.filter(signal=calm.signal, receiver_organisation=world.police).count() == 2
