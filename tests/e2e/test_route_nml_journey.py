"""Issue 13's journey in a real browser, Noord- en Midden-Limburg (seed 003 §4.2, §5.1): a soft signal is enriched
while it waits ("In de tussentijd kan uiteraard al het signaal worden verrijkt"), is decided at the next weekly
screeningsoverleg, the ZVH's procesregisseur opens the case ("casus starten" has the ZVH as actor), AVIM returns an
outcome, and steps 8 and 9 complete by themselves — no step is ticked by hand.
"""

import re
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meldroute.cases.models import Case
from meldroute.meetings import services as meeting_services
from meldroute.meetings.constants import Cadence, Weekday
from meldroute.meetings.models import MeetingSeries
from meldroute.partners.services import ensure_default_sharing_rules
from meldroute.referrals.models import Referral
from meldroute.routing import services as routing_services
from meldroute.routing.constants import Decision, MeetingKind, StepState
from meldroute.routing.models import SignalRouteStep
from tests.e2e.conftest import assert_no_violations, login
from tests.factories import make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "route-nml-journey"
DESCRIPTION = "In de loods achter de garage slapen zes arbeiders; ze hebben hun paspoort niet zelf (fictief)."
OUTCOME = "AVIM: controle uitgevoerd, twee arbeiders gesproken; onderzoek loopt."
FEEDBACK = "Dank voor uw melding. Er is actie ondernomen; meer kunnen we niet delen."


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def states(signal) -> dict[str, str]:
    return dict(SignalRouteStep.objects.filter(signal_route__signal=signal).values_list("key", "state"))


def test_soft_signal_enriched_while_waiting_decided_weekly_zvh_opens_case_avim_answers(
        live_server, page: Page, new_context, world):
    routing_services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    series = MeetingSeries.objects.create(
        region=world.region, kind=MeetingKind.SCREENING, name="Screeningsoverleg Regio Een",
        cadence=Cadence.WEEKLY, weekday=Weekday.TUESDAY, start_time=time(9, 30), chair_organisation=world.zvh,
        shared_categories=["summary", "classification", "description"])
    series.participants.set([world.zvh, world.police, world.a])
    signal = make_signal(world.melder_a, description=DESCRIPTION)
    ensure_default_sharing_rules()

    # 1. The AF picks it up: the screeningsoverleg and the enrichment are both current — enrichment does not gate it.
    login(page, live_server.url, "af_a")
    page.goto(f"{live_server.url}/inbox/{signal.uuid}/")
    page.get_by_test_id("assign-to-me").click()  # the AF takes it with one click
    expect(page.get_by_text("Het signaal is toegewezen.")).to_be_visible()
    current = page.get_by_test_id("route-current")
    expect(current).to_have_count(2)
    expect(page.get_by_test_id("route-progress")).to_contain_text("eerstvolgende wekelijkse screeningsoverleg")
    expect(page.get_by_test_id("route-progress")).to_contain_text("In de tussentijd verrijken")
    expect(page.get_by_test_id("route-current-source").first).to_contain_text("Seed 003 §4.2")
    assert states(signal)["screeningsoverleg"] == StepState.ACTIVE
    assert states(signal)["verrijken"] == StepState.ACTIVE
    shot(page, "01-waiting-and-enriching")
    page.reload()  # a screenshot leaves style="" on the form fields; htmx's next swap would carry them over

    # 2. While it waits, the AF enriches and classifies: enrichment is done, the table is still to come.
    page.get_by_role("combobox", name="Bron").select_option("brp")
    page.get_by_role("textbox", name="Wat heeft u gevonden?").fill("BRP: acht personen ingeschreven op het adres.")
    page.get_by_role("button", name="Verrijking toevoegen").click()
    expect(page.get_by_text("De verrijking is toegevoegd.")).to_be_visible()
    page.get_by_role("radio", name="Vermoedelijk slachtoffer").check()
    page.get_by_role("checkbox", name="Arbeidsuitbuiting", exact=True).check()
    page.get_by_role("radio", name="Slachtoffersignaal").check()
    page.get_by_role("button", name="Classificatie opslaan").click()
    expect(page.get_by_text("De classificatie is opgeslagen.")).to_be_visible()
    expect(page.get_by_test_id("route-current")).to_have_count(1)
    expect(page.get_by_test_id("route-current")).to_contain_text("screeningsoverleg")
    assert states(signal)["verrijken"] == StepState.DONE
    assert_no_violations(page)

    # 3. The next weekly screeningsoverleg (the ZVH chairs) has it on its agenda and decides: start a case. (The
    # meeting pages are another part's; the table's decision goes through the meetings' own services.)
    meeting = meeting_services.next_meeting(series, actor=world.procesregisseur)
    assert meeting.date - date.today() < timedelta(days=7)  # the next weekly table, not 5 + 7 working days on
    items = meeting_services.compile_agenda(meeting, actor=world.procesregisseur)
    assert [item.signal_id for item in items] == [signal.pk]
    meeting_services.decide_item(items[0], actor=world.procesregisseur, decision=Decision.CASE,
                                 owner_organisation=world.zvh, action="ZVH start de casus; AF schakelt met AVIM.",
                                 deadline=date.today() + timedelta(days=7))
    assert states(signal)["screeningsoverleg"] == StepState.DONE
    assert states(signal)["casus-starten"] == StepState.ACTIVE
    chair = new_context().new_page()
    login(chair, live_server.url, "procesregisseur")

    # 4. The ZVH's procesregisseur opens the case from its own case list.
    chair.goto(f"{live_server.url}/casussen/")
    chair.get_by_test_id("cases-to-open").get_by_role("link", name=re.compile(signal.reference)).click()
    expect(chair.get_by_test_id("zvh-opens")).to_be_visible()
    chair.get_by_role("textbox", name="Werktitel").fill("Loods achter de garage")
    chair.get_by_role("button", name="Casus openen").click()
    expect(chair.get_by_text("is geopend")).to_be_visible()
    assert_no_violations(chair)
    shot(chair, "03-zvh-opened-case")
    case = Case.objects.get(signals=signal)
    assert case.zvh == world.zvh and case.opened_by == world.procesregisseur
    assert states(signal)["casus-starten"] == StepState.DONE
    assert states(signal)["terugkoppeling-af"] == StepState.ACTIVE

    # 5. The AF refers to AVIM (police); AVIM returns its outcome: step 8 completes by itself.
    page.goto(f"{live_server.url}/inbox/{signal.uuid}/doorverwijzen/nieuw/")
    page.get_by_role("combobox", name="Naar").select_option(label=world.police.name)
    page.get_by_role("textbox", name="Doel van de doorverwijzing").fill("Casus gestart door het ZVH: onderzoek.")
    page.get_by_role("combobox", name="Grondslag").select_option("public_task")
    page.get_by_role("checkbox", name=re.compile("Omschrijving van het signaal")).check()
    page.get_by_role("button", name="Doorverwijzing versturen").click()
    expect(page.get_by_role("button", name="Persoonlijke link maken")).to_be_visible()
    referral = Referral.objects.get(signal=signal)
    avim = new_context().new_page()
    login(avim, live_server.url, "partner_politie")
    avim.goto(f"{live_server.url}/doorverwijzingen/{referral.uuid}/")
    avim.get_by_role("button", name="Doorverwijzing accepteren").click()
    avim.get_by_role("radio", name="Opgepakt voor onderzoek").check()
    avim.get_by_role("textbox", name="Toelichting").fill(OUTCOME)
    avim.get_by_role("button", name="Uitkomst versturen").click()
    expect(avim.get_by_test_id("referral-outcome")).to_have_text(OUTCOME)
    assert states(signal)["terugkoppeling-af"] == StepState.DONE
    step8 = SignalRouteStep.objects.get(signal_route__signal=signal, key="terugkoppeling-af")
    assert step8.completed_by == world.partner  # by the partner's outcome, not ticked by the AF

    # 6. Step 9: the AF's feedback to the reporter completes the last step by itself; the route is done.
    page.goto(f"{live_server.url}/inbox/{signal.uuid}/")
    expect(page.get_by_test_id("route-current")).to_contain_text("Terugkoppeling aan de melder")
    page.get_by_role("textbox", name="Terugkoppeling aan de melder").fill(FEEDBACK)
    page.get_by_role("button", name="Terugkoppeling geven").click()
    expect(page.get_by_text("De meldroute is doorlopen.")).to_be_visible()
    assert states(signal)["terugkoppeling-melder"] == StepState.DONE
    assert set(states(signal).values()) <= {StepState.DONE, StepState.SKIPPED}
    shot(page, "04-route-done")
