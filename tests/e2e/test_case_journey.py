"""Issue 4's journey in a real browser: the AF opens a case from two signals, the procesregisseur adds a plan van
aanpak, the zorgcoördinator registers a victim with consent, a COSM placement and a bedenktijd, the worker (on a fake
clock) reminds the zorgcoördinator once before the bedenktijd ends, and the case closes with a result.

Every user has their own browser context; the zorgcoördinator sees the case without its signals, and a victim's
identity only once it is shared with care.
"""

import re
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from meldroute.care.models import ReflectionPeriod
from meldroute.cases.constants import CaseResult
from meldroute.cases.models import Case, CaseAction
from meldroute.core.jobs import run_due_jobs
from meldroute.persons.models import Person
from meldroute.triage.services import classify_signal
from tests.e2e.conftest import login
from tests.factories import make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "case-journey"
TITLE = "Uitzendbureau Kwekerijweg"
ACTION = "Opvang regelen en een intakegesprek met het slachtoffer plannen."
FIRST_NAME, LAST_NAME, BSN = "Ilinca", "Verzonnescu", "111222333"  # fictional; the BSN passes the elfproef
PROVIDER = "COSM Opvanghuis Regio Een"
RESULT_TEXT = "Slachtoffer veilig opgevangen; aangifte in behandeling bij de politie."


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def panel_form(page: Page, action: str) -> Locator:
    """The form that posts to a case or care panel action (…/<action>/)."""
    return page.locator(f"form[action$='/{action}/']")


def open_details(page: Page, summary: str) -> None:
    page.locator("summary", has_text=summary).click()


def starts(text: str) -> re.Pattern:
    """An accessible name that starts with `text` (optional fields add "(niet verplicht)")."""
    return re.compile("^" + re.escape(text))


def label_of(user) -> str:
    return f"{user.get_full_name()} ({user.organisation.name})"


def test_case_from_two_signals_to_victim_care_with_a_bedenktijd_reminder_and_a_result(live_server, page: Page,
                                                                                     new_context, world):
    # 1. Two signals about the same agency, both classified as suspected trafficking: concrete enough for a case.
    first = make_signal(world.melder_a, description="Arbeiders van het uitzendbureau slapen in een schuur.",
                        address="Kwekerijweg 7, Aadorp")
    second = make_signal(world.melder_a, description="Uitzendkracht zegt dat de baas haar paspoort bewaart.")
    for signal in (first, second):
        classify_signal(signal, actor=world.af_a, assessment="suspected", forms=["labour"])

    # 2. The AF opens the case from both signals, marks it complex and builds the team.
    login(page, live_server.url, "af_a")
    page.goto(f"{live_server.url}/inbox/{first.uuid}/")
    page.get_by_role("link", name="Casus openen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(first.reference)
    page.get_by_label("Werktitel").fill(TITLE)
    page.get_by_role("checkbox", name=re.compile(re.escape(second.reference))).check()
    page.get_by_label("Inbrengen bij Zorg- en Veiligheidshuis").select_option(label=world.zvh.name)
    shot(page, "01-open-case")
    page.get_by_role("button", name="Casus openen").click()
    expect(page.get_by_text(re.compile(r"^Casus CS-GM8901-\d{4}-001 is geopend\.$"))).to_be_visible()
    case = Case.objects.get()
    assert set(case.signals.all()) == {first, second}
    expect(page.get_by_test_id("title")).to_have_text(TITLE)
    expect(page.get_by_test_id("status")).to_have_text("Geopend")
    expect(page.get_by_test_id("signals")).to_contain_text(first.reference)
    expect(page.get_by_test_id("signals")).to_contain_text(second.reference)

    open_details(page, "Complexe casus (criteria)")
    panel_form(page, "complex").get_by_role("checkbox", name="Hoog veiligheidsrisico").check()
    panel_form(page, "complex").get_by_role("button", name="Criteria vastleggen").click()
    expect(page.get_by_test_id("complex")).to_contain_text("Hoog veiligheidsrisico")

    for role, user in (("Procesregisseur", world.procesregisseur), ("Zorgcoördinator", world.zorgcoordinator)):
        open_details(page, "Iemand toevoegen")
        form = panel_form(page, "member")
        form.get_by_label("Rol").select_option(label=role)
        form.get_by_label("Wie").select_option(label=label_of(user))
        form.get_by_role("button", name="Toevoegen").click()
        expect(page.get_by_test_id("team")).to_contain_text(f"{role}: {user.get_full_name()}")
    shot(page, "02-case-with-team")

    # 3. The procesregisseur adds a plan van aanpak action, owned by the zorgcoördinator, with a deadline.
    chair = new_context().new_page()
    login(chair, live_server.url, "procesregisseur")
    case_url = f"{live_server.url}/casussen/{case.uuid}/"
    chair.goto(case_url)
    open_details(chair, "Actie toevoegen")
    form = panel_form(chair, "add_action")
    form.get_by_label("Actie").fill(ACTION)
    form.get_by_label("Eigenaar: persoon").select_option(label=label_of(world.zorgcoordinator))
    deadline = timezone.localdate() + timedelta(days=14)
    form.get_by_label("Uiterlijk").fill(deadline.isoformat())
    form.get_by_role("button", name="Actie toevoegen").click()
    expect(chair.get_by_text("De actie staat in het plan van aanpak.")).to_be_visible()
    row = chair.get_by_test_id("actions").locator("tr", has_text=ACTION)
    expect(row).to_contain_text(world.zorgcoordinator.get_full_name())
    expect(row).to_contain_text("Open")
    assert CaseAction.objects.get(case=case).deadline == deadline
    shot(chair, "03-plan-van-aanpak")

    # 4. The zorgcoördinator sees the case without its signals, registers the victim and records consent to care.
    care = new_context().new_page()
    login(care, live_server.url, "zorgco")
    care.goto(case_url)
    expect(care.get_by_test_id("care-only")).to_be_visible()
    expect(care.get_by_test_id("signals")).to_have_count(0)
    expect(care.get_by_test_id("actions")).to_contain_text(ACTION)  # their own action
    care.get_by_test_id("case-persons").get_by_role("link", name="Persoon toevoegen").click()
    person_form = care.get_by_test_id("person-form")
    expect(person_form.get_by_role("radio", name="Verdachte")).to_have_count(0)  # victims only
    person_form.get_by_role("radio", name="Slachtoffer").check()
    person_form.get_by_label("Status slachtofferschap").select_option(label="Vermoedelijk slachtoffer")
    person_form.get_by_role("textbox", name=starts("Status vastgesteld door")).fill("Zorgcoördinatie mensenhandel")
    person_form.get_by_role("textbox", name=starts("Voornaam")).fill(FIRST_NAME)
    person_form.get_by_role("textbox", name=starts("Achternaam")).fill(LAST_NAME)
    person_form.get_by_role("textbox", name=starts("BSN")).fill(BSN)
    person_form.get_by_role("textbox", name=starts("Geboortedatum")).fill("1997-05-14")
    person_form.get_by_label("Gender").select_option(label="Vrouw")
    person_form.get_by_label("Nationaliteit").select_option(label="Roemenië")
    person_form.get_by_role("checkbox", name="Arbeidsuitbuiting").check()
    shot(care, "04-register-victim")
    person_form.get_by_role("button", name="Persoon vastleggen").click()
    expect(care.get_by_test_id("pseudonym")).to_have_text(f"Slachtoffer {case.reference}-A")
    victim = Person.objects.get(case=case)
    assert victim.role == "victim" and victim.created_by == world.zorgcoordinator and victim.bsn == BSN
    # Not shared with care yet: the zorgcoördinator does not see the identity they typed in.
    expect(care.get_by_test_id("identity-hidden")).to_be_visible()
    expect(care.get_by_text(LAST_NAME)).to_have_count(0)

    care.get_by_role("link", name="Toestemming bekijken en vastleggen").click()
    form = care.locator("form[action$='/toestemming/record/']")
    form.get_by_label("Waarvoor").select_option("care")
    form.get_by_role("radio", name="Toestemming gegeven").check()
    form.get_by_role("radio", name=re.compile("^Betrokkene")).check()
    form.get_by_role("button", name="Vastleggen").click()
    expect(care.get_by_text("De toestemming is vastgelegd.")).to_be_visible()
    expect(care.get_by_test_id("consents")).to_contain_text("gegeven")
    care.get_by_role("link", name="Terug naar de persoon").click()
    # Shared with care now: the identity after stating why it is needed (doelbinding, in the access log).
    expect(care.get_by_test_id("identity")).to_have_count(0)
    care.get_by_label("Waarvoor heeft u de identiteit nodig?").fill("Intake opvang plannen")
    care.get_by_role("button", name="Identiteit tonen").click()
    expect(care.get_by_test_id("identity")).to_contain_text(f"{FIRST_NAME} {LAST_NAME}")
    expect(care.get_by_test_id("identity")).to_contain_text(BSN)
    shot(care, "05-victim-with-consent")

    # … opens a care trajectory (no lawful stay), a COSM placement and a bedenktijd. The bedenktijd was granted
    # 80 days ago, so the fake clock of the reminder below stays before today and nothing else falls due.
    start = timezone.localdate() - timedelta(days=80)
    care.get_by_role("link", name="Naar het zorgtraject").click()
    form = panel_form(care, "start")
    form.get_by_label("Gestart op").fill(start.isoformat())
    form.get_by_label("Verblijfsstatus").select_option(label="Zonder rechtmatig verblijf")
    form.get_by_role("button", name="Zorgtraject starten").click()
    expect(care.get_by_text("Het zorgtraject is gestart.")).to_be_visible()
    expect(care.get_by_test_id("trajectory")).to_contain_text("Zonder rechtmatig verblijf")
    expect(care.get_by_test_id("responsible")).to_contain_text(world.a.name)

    open_details(care, "Opvang vastleggen")
    form = panel_form(care, "placement")
    form.get_by_label("Soort opvang").select_option("cosm")
    form.get_by_label("Aanbieder").fill(PROVIDER)
    form.get_by_label("Begin", exact=True).fill(start.isoformat())
    form.get_by_role("button", name="Opvang vastleggen").click()
    expect(care.get_by_text("De opvang is vastgelegd.")).to_be_visible()
    expect(care.get_by_test_id("placements")).to_contain_text("COSM")
    expect(care.get_by_test_id("placements")).to_contain_text(PROVIDER)

    form = panel_form(care, "reflection")
    form.get_by_label("Soort", exact=True).select_option(label="Bedenktijd (B8/3)")
    form.get_by_label("Ingangsdatum", exact=True).fill(start.isoformat())
    form.get_by_role("button", name="Bedenktijd vastleggen").click()
    expect(care.get_by_text("De bedenktijd is vastgelegd.")).to_be_visible()
    expect(care.get_by_test_id("reflection")).to_contain_text("Bedenktijd (B8/3)")
    period = ReflectionPeriod.objects.get(trajectory__person=victim)
    assert period.starts_on == start and start + timedelta(days=88) <= period.deadline <= start + timedelta(days=91)
    shot(care, "06-care-trajectory")

    # 5. The worker on a fake clock, 13 days before the bedenktijd ends: one reminder, by case reference only.
    mail.outbox.clear()
    clock = timezone.make_aware(datetime.combine(period.deadline - timedelta(days=13), time(9, 0)))
    results = run_due_jobs(now=clock)
    assert results["reflection_reminders"] == 1
    # (the worker also sends the notification mails of this day's work, such as the action set for a colleague)
    reminders = [m for m in mail.outbox if m.subject.startswith("Bedenktijd")]
    assert len(reminders) == 1, [m.subject for m in mail.outbox]
    reminder = reminders[0]
    assert reminder.to == [world.zorgcoordinator.email]
    assert case.reference in reminder.subject and case.reference in reminder.body
    for secret in (FIRST_NAME, LAST_NAME, BSN, victim.pseudonym):
        assert secret not in reminder.subject and secret not in reminder.body
    assert run_due_jobs(now=clock)["reflection_reminders"] == 0
    assert len([m for m in mail.outbox if m.subject.startswith("Bedenktijd")]) == 1  # same clock again: no second

    # 6. The procesregisseur completes the action and closes the case with a result.
    chair.goto(case_url)
    row = chair.get_by_test_id("actions").locator("tr", has_text=ACTION)
    row.get_by_text("Afronden", exact=True).click()
    row.get_by_label("Toelichting").fill("Opvang in het COSM geregeld.")
    row.get_by_role("button", name="Actie afronden").click()
    expect(chair.get_by_text("De actie is afgerond.")).to_be_visible()
    expect(chair.get_by_test_id("actions").locator("tr", has_text=ACTION)).to_contain_text("Gedaan")

    open_details(chair, "Status wijzigen")
    form = panel_form(chair, "status")
    form.get_by_label("Nieuwe status").select_option(label="Afgesloten")
    form.get_by_label("Resultaat (verplicht bij afsluiten)").select_option(label=str(CaseResult.VICTIM_SAFE.label))
    form.get_by_label("Reden of toelichting").fill(RESULT_TEXT)
    form.get_by_role("button", name="Status wijzigen").click()
    expect(chair.get_by_text("De status is gewijzigd.")).to_be_visible()
    expect(chair.get_by_test_id("status")).to_have_text("Afgesloten")
    expect(chair.get_by_test_id("result")).to_contain_text(str(CaseResult.VICTIM_SAFE.label))
    expect(chair.get_by_test_id("result")).to_contain_text(RESULT_TEXT)
    shot(chair, "07-case-closed")
    case.refresh_from_db()
    assert case.status == "closed" and case.result == CaseResult.VICTIM_SAFE and case.closed_at is not None
