"""Issue 3's journey in a real browser: a soft signal goes through the weekly screeningsoverleg, whose decision
routes it to a referral that a partner without an account answers through its personal link.

Noord- en Midden-Limburg preset; the screeningsoverleg shares no addresses with its participants, and the referral
shares the description but not the location — neither page may show the address.
"""

import re
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meldroute.meetings.constants import Cadence, Weekday
from meldroute.meetings.models import MeetingSeries
from meldroute.partners.constants import PartnerType
from meldroute.partners.models import DirectoryEntry
from meldroute.referrals.models import Referral
from meldroute.routing import services as routing_services
from meldroute.routing.constants import MeetingKind, StepState
from meldroute.routing.models import SignalRouteStep
from tests.e2e.conftest import login
from tests.factories import make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "route-journey"
DESCRIPTION = "Bij de champignonkwekerij slapen zes arbeiders in een schuur; de uitzendbaas houdt hun loon in."
ADDRESS = "Kwekerijweg 7, Aadorp"
OUTCOME = "Inspectie uitgevoerd: vier arbeiders gesproken, onderzoek naar onderbetaling gestart."


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def step_state(signal, key):
    return SignalRouteStep.objects.get(signal_route__signal=signal, key=key).state


def test_soft_signal_through_screeningsoverleg_to_a_referral_answered_by_link(live_server, page: Page, new_context,
                                                                           world):
    routing_services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    series = MeetingSeries.objects.create(
        region=world.region, kind=MeetingKind.SCREENING, name="Screeningsoverleg Regio Een",
        cadence=Cadence.WEEKLY, weekday=Weekday.TUESDAY, start_time=time(9, 30), chair_organisation=world.zvh,
        shared_categories=["summary", "classification", "description"])
    series.participants.set([world.zvh, world.police, world.a])
    inspectorate = DirectoryEntry.objects.create(
        region=world.region, partner_type=PartnerType.LABOUR_INSPECTORATE, name="Arbeidsinspectie Regio Een",
        contact_route="Via het meldformulier", email="meldingen@arbeidsinspectie.example")
    signal = make_signal(world.melder_a, description=DESCRIPTION, address=ADDRESS)

    # 1. The AF picks the signal up and classifies it: the route moves on to the screeningsoverleg.
    login(page, live_server.url, "af_a")
    page.goto(f"{live_server.url}/inbox/{signal.uuid}/")
    route = page.get_by_test_id("route-progress")
    expect(route).to_contain_text("Aandachtsfunctionaris pakt het signaal op")
    page.get_by_test_id("assign-to-me").click()  # the AF takes it with one click
    expect(page.get_by_text("Het signaal is toegewezen.")).to_be_visible()
    page.get_by_role("radio", name="Vermoedelijk slachtoffer").check()
    page.get_by_role("checkbox", name="Arbeidsuitbuiting", exact=True).check()
    page.get_by_role("radio", name="Slachtoffersignaal").check()
    page.get_by_role("button", name="Classificatie opslaan").click()
    expect(page.get_by_text("De classificatie is opgeslagen.")).to_be_visible()
    expect(page.get_by_test_id("route-current")).to_contain_text("screeningsoverleg")
    shot(page, "01-signal-waits-for-screening")

    # 2. The procesregisseur (ZVH, the chair) opens the next screeningsoverleg: the signal is on its agenda.
    chair = new_context().new_page()
    login(chair, live_server.url, "procesregisseur")
    chair.goto(f"{live_server.url}/overleggen/")
    row = chair.get_by_test_id("series").locator("tr", has_text="Screeningsoverleg Regio Een")
    row.get_by_role("link").first.click()
    agenda = chair.get_by_test_id("agenda")
    expect(agenda).to_contain_text(signal.reference)
    expect(agenda).to_contain_text("uitzendbaas houdt hun loon in")  # description is shared with this meeting
    expect(chair.get_by_text("Kwekerijweg")).to_have_count(0)  # the location is not
    shot(chair, "02-screening-agenda")
    chair.get_by_role("radio", name="Doorverwijzen naar een ketenpartner").check()
    chair.get_by_role("combobox", name="Doorverwijzen naar").select_option(PartnerType.LABOUR_INSPECTORATE.value)
    chair.get_by_role("combobox", name="Eigenaar (organisatie)").select_option(label=world.a.name)
    chair.get_by_role("textbox", name="Actie").fill("AF verwijst door naar de Arbeidsinspectie.")
    chair.get_by_label("Uiterlijk").fill((date.today() + timedelta(days=7)).isoformat())
    chair.get_by_role("button", name="Besluit vastleggen").click()
    expect(agenda).to_contain_text("Doorverwijzen naar een ketenpartner")
    shot(chair, "03-decision")
    assert step_state(signal, "screeningsoverleg") == StepState.DONE
    assert step_state(signal, "doorverwijzen") == StepState.ACTIVE

    # 3. The AF sees the decision on the route and refers the signal with what the sharing rule allows.
    page.reload()
    expect(page.get_by_test_id("route-current")).to_contain_text("Doorverwijzen naar de ketenpartner")
    expect(page.get_by_test_id("signal-meetings")).to_contain_text("Doorverwijzen naar een ketenpartner")
    page.get_by_role("link", name="Doorverwijzen").first.click()
    page.get_by_role("combobox", name="Naar").select_option(label=inspectorate.name)
    page.get_by_role("textbox", name="Doel van de doorverwijzing").fill(
        "Besloten in het screeningsoverleg: controle op arbeidsuitbuiting bij de kwekerij.")
    page.get_by_role("combobox", name="Grondslag").select_option("public_task")
    page.get_by_role("checkbox", name=re.compile("Omschrijving van het signaal")).check()
    page.get_by_role("checkbox", name=re.compile("Classificatie")).check()
    shot(page, "04-referral-form")
    page.get_by_role("button", name="Doorverwijzing versturen").click()
    page.get_by_role("button", name="Persoonlijke link maken").click()
    link = page.get_by_test_id("new-link").inner_text().strip()
    assert "/verwijzing/" in link
    shot(page, "05-referral-link")
    assert step_state(signal, "doorverwijzen") == StepState.DONE

    # 4. The inspectorate has no account: it opens the link, sees only the shared fields, accepts and reports back.
    partner = new_context().new_page()
    # The link is built on the configured BASE_URL; the test server listens elsewhere.
    partner.goto(live_server.url + link[link.index("/verwijzing/"):])
    expect(partner.get_by_role("heading", level=1)).to_contain_text(signal.reference)
    expect(partner.get_by_text(DESCRIPTION)).to_be_visible()
    expect(partner.get_by_text("Kwekerijweg")).to_have_count(0)
    shot(partner, "06-link-page")
    partner.get_by_role("button", name="Doorverwijzing accepteren").click()
    partner.get_by_role("radio", name="Opgepakt voor onderzoek").check()
    partner.get_by_role("textbox", name="Toelichting").fill(OUTCOME)
    partner.get_by_role("button", name="Uitkomst versturen").click()
    expect(partner.get_by_test_id("referral-outcome")).to_have_text(OUTCOME)
    shot(partner, "07-outcome-returned")

    # 5. The AF reads the outcome; the signal is back in the route for the feedback steps 8 and 9.
    referral = Referral.objects.get(signal=signal)
    assert referral.status == "done" and referral.outcome == OUTCOME
    page.goto(f"{live_server.url}/doorverwijzingen/{referral.uuid}/")
    expect(page.get_by_test_id("referral-outcome")).to_have_text(OUTCOME)
    page.goto(f"{live_server.url}/inbox/{signal.uuid}/")
    expect(page.get_by_test_id("status")).to_have_text("In de meldroute")
    # The partner's outcome is the feedback to the AF (step 8): it completed by itself; step 9 is current.
    assert step_state(signal, "terugkoppeling-af") == StepState.DONE
    expect(page.get_by_test_id("route-current")).to_contain_text("Terugkoppeling aan de melder")
    shot(page, "08-back-in-route")
