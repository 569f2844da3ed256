"""The whole route in a real browser: a melder files an acute signal, the AF handles it, the melder reads the outcome.

Runs against pytest-django's live server on Debian's Chromium (see conftest.py and TOOLCHAIN.md §1).
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import login
from tests.factories import PNG_BYTES, make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "journey"

DESCRIPTION = "Jonge vrouw aan de balie, een man hield haar paspoort vast en gaf alle antwoorden voor haar."
FEEDBACK = "Dank voor uw melding. Wij hebben het signaal opgepakt en doorgezet naar de juiste partners."


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_acute_signal_from_report_to_feedback(live_server, page: Page, new_context, world, tmp_path):
    # An older, non-acute signal: "acute first" must beat "oldest first" in the inbox.
    older = make_signal(world.melder_a2, description="Eerder signaal over een nagelstudio.")
    type(older).objects.filter(pk=older.pk).update(received_at=timezone.now() - timedelta(days=2))
    mail.outbox.clear()
    photo = tmp_path / "foto.png"
    photo.write_bytes(PNG_BYTES)

    # 1. The melder files an acute signal.
    login(page, live_server.url, "melder_a")
    page.goto(f"{live_server.url}/melden/")
    shot(page, "01-report-form")
    page.get_by_label("Wat heeft u gezien of gehoord?").fill(DESCRIPTION)
    page.get_by_label("Ja, acuut").check()
    page.get_by_label("Uw team").select_option("balie")
    page.get_by_label("Heeft geen controle over eigen paspoort").check()
    page.get_by_label("Iemand anders voert het woord").check()
    page.get_by_label("Bijlagen").set_input_files(photo)
    shot(page, "02-report-filled")
    page.get_by_role("button", name="Signaal versturen").click()

    receipt = page.get_by_test_id("receipt-code")
    expect(receipt).to_be_visible()
    code = receipt.inner_text().strip()
    assert code
    expect(page.get_by_text("De aandachtsfunctionaris en diens achtervang zijn direct gewaarschuwd")).to_be_visible()
    shot(page, "03-receipt")

    # The acute alert went out to the AFs of municipality A, carrying only the code and a link.
    acute_mails = [m for m in mail.outbox if code in m.subject]
    assert len(acute_mails) == 1, [m.subject for m in mail.outbox]
    alert = acute_mails[0]
    assert alert.subject.startswith("ACUUT")
    assert {world.af_a.email, world.af_a2.email} <= set(alert.to)
    assert world.af_b.email not in alert.to
    assert DESCRIPTION not in alert.body

    # 2. The AF (own browser context) sees it on top of the inbox and in the acute banner.
    af_page = new_context().new_page()
    login(af_page, live_server.url, "af_a")
    af_page.goto(f"{live_server.url}/inbox/")
    banner = af_page.get_by_test_id("acute-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(code)
    rows = af_page.get_by_test_id("inbox").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(code)
    expect(rows.first).to_contain_text("acuut")
    expect(rows.nth(1)).to_contain_text(older.reference)
    shot(af_page, "04-inbox")

    # 3. Open, assign to self, enrich, classify, give feedback.
    rows.first.get_by_role("link", name=code).click()
    expect(af_page.get_by_role("heading", level=1)).to_contain_text(code)
    expect(af_page.get_by_test_id("description")).to_have_text(DESCRIPTION)
    expect(af_page.get_by_role("link", name="foto.png")).to_be_visible()
    shot(af_page, "05-signal")

    af_page.get_by_role("combobox", name="Behandelaar").select_option(label=world.af_a.get_full_name())
    af_page.get_by_role("button", name="Toewijzen", exact=True).click()
    expect(af_page.get_by_text("Het signaal is toegewezen.")).to_be_visible()

    af_page.get_by_role("combobox", name="Bron").select_option("brp")
    af_page.get_by_role("textbox", name="Wat heeft u gevonden?").fill(
        "BRP: op het adres staan twaalf personen ingeschreven.")
    af_page.get_by_role("button", name="Verrijking toevoegen").click()
    expect(af_page.get_by_text("De verrijking is toegevoegd.")).to_be_visible()
    expect(af_page.get_by_text("op het adres staan twaalf personen ingeschreven")).to_be_visible()

    af_page.get_by_role("radio", name="Vermoedelijk slachtoffer").check()
    af_page.get_by_role("checkbox", name="Arbeidsuitbuiting", exact=True).check()
    af_page.get_by_role("button", name="Classificatie opslaan").click()
    expect(af_page.get_by_text("De classificatie is opgeslagen.")).to_be_visible()
    expect(af_page.get_by_test_id("classification")).to_contain_text("Vermoedelijk slachtoffer")

    af_page.get_by_role("textbox", name="Terugkoppeling aan de melder").fill(FEEDBACK)
    af_page.get_by_role("button", name="Terugkoppeling geven").click()
    expect(af_page.get_by_text("De terugkoppeling staat klaar voor de melder.")).to_be_visible()
    shot(af_page, "06-signal-handled")

    # 4. Close with an outcome.
    af_page.locator("summary", has_text=re.compile(r"^\s*Afsluiten\s*$")).click()
    af_page.get_by_role("radio", name="Vermoeden mensenhandel, doorgezet in de meldroute").check()
    af_page.get_by_role("textbox", name="Toelichting (intern)").fill("Besproken met politie; opgepakt door ZVH.")
    shot(af_page, "07-close")
    af_page.get_by_role("button", name="Signaal afsluiten").click()
    expect(af_page.get_by_text("Het signaal is afgesloten.")).to_be_visible()
    expect(af_page.get_by_role("button", name="Signaal afsluiten")).to_have_count(0)
    shot(af_page, "08-closed")

    # 5. The melder reads the feedback and sees "Afgerond".
    page.goto(f"{live_server.url}/meldingen/")
    mine = page.get_by_role("table")
    expect(mine).to_contain_text(code)
    shot(page, "09-my-signals")
    mine.get_by_role("link", name=code).click()
    expect(page.get_by_test_id("reporter-status")).to_have_text("Afgerond")
    expect(page.get_by_test_id("feedback")).to_have_count(1)
    expect(page.get_by_test_id("feedback")).to_contain_text(FEEDBACK)
    # The internal enrichment and closing note never reach the melder.
    expect(page.get_by_text("twaalf personen")).to_have_count(0)
    expect(page.get_by_text("Besproken met politie")).to_have_count(0)
    shot(page, "10-my-signal")


def fill_minimal_report(page: Page, description: str) -> None:
    page.get_by_label("Wat heeft u gezien of gehoord?").fill(description)
    page.get_by_label("Nee, het kan via de gewone route").check()
    page.get_by_label("Uw team").select_option("kcc")


def test_report_form_errors_in_dutch_keep_input(live_server, page: Page, world):
    login(page, live_server.url, "melder_a")
    page.goto(f"{live_server.url}/melden/")
    page.get_by_label("Nee, het kan via de gewone route").check()
    page.get_by_role("textbox", name="Adres").fill("Stationsstraat 12, Aadorp")
    page.get_by_role("textbox", name="Postcode").fill("12AB")
    page.get_by_label("Wie waren erbij betrokken?").fill("Twee mannen in een witte bestelbus")
    page.get_by_label("Heeft geen controle over eigen paspoort").check()
    page.get_by_role("button", name="Signaal versturen").click()

    summary = page.get_by_role("alert").filter(has_text="Controleer de volgende punten")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # keyboard and screen-reader users land on the list of problems
    expect(summary).to_contain_text("Wat heeft u gezien of gehoord?: Beschrijf kort wat u heeft gezien of gehoord.")
    expect(summary).to_contain_text("Postcode: Vul een Nederlandse postcode in, bijvoorbeeld 1234 AB.")
    # Each summary item links to its field.
    expect(summary.get_by_role("link", name=re.compile("^Postcode"))).to_have_attribute("href", "#id_postcode")
    expect(page.locator("#id_description_error")).to_have_text("Beschrijf kort wat u heeft gezien of gehoord.")
    expect(page.locator("#id_postcode_error")).to_have_text("Vul een Nederlandse postcode in, bijvoorbeeld 1234 AB.")
    # What was typed is still there.
    expect(page.get_by_role("textbox", name="Adres")).to_have_value("Stationsstraat 12, Aadorp")
    expect(page.get_by_role("textbox", name="Postcode")).to_have_value("12AB")
    expect(page.get_by_label("Wie waren erbij betrokken?")).to_have_value("Twee mannen in een witte bestelbus")
    expect(page.get_by_label("Nee, het kan via de gewone route")).to_be_checked()
    expect(page.get_by_label("Heeft geen controle over eigen paspoort")).to_be_checked()
    expect(page.get_by_label("Uw team")).to_have_value("balie")  # the melder's own team, preselected
    shot(page, "11-report-errors")

    # Fixing the two fields is enough to file it.
    page.get_by_label("Wat heeft u gezien of gehoord?").fill("Bestelbus haalt elke ochtend om vijf uur mensen op.")
    page.get_by_role("textbox", name="Postcode").fill("1234ab")
    page.get_by_role("button", name="Signaal versturen").click()
    expect(page.get_by_test_id("receipt-code")).to_be_visible()


def test_report_form_works_without_javascript(live_server, new_context, world, tmp_path):
    photo = tmp_path / "foto.png"
    photo.write_bytes(PNG_BYTES)
    page = new_context(java_script_enabled=False).new_page()
    login(page, live_server.url, "melder_a")
    page.goto(f"{live_server.url}/melden/")

    # A round trip through the errors first: everything must work without htmx.
    page.get_by_role("textbox", name="Postcode").fill("0000 XX")
    page.get_by_role("button", name="Signaal versturen").click()
    expect(page.get_by_text("Controleer de volgende punten")).to_be_visible()
    expect(page.locator("#id_postcode_error")).to_contain_text("Vul een Nederlandse postcode in")
    expect(page.get_by_role("textbox", name="Postcode")).to_have_value("0000 XX")

    fill_minimal_report(page, "Zonder JavaScript gemeld: man slaapt in de loods van zijn werkgever.")
    page.get_by_role("textbox", name="Postcode").fill("1234 AB")
    page.get_by_label("Huisvesting is geregeld door of gekoppeld aan de werkgever").check()
    page.get_by_label("Bijlagen").set_input_files(photo)
    page.get_by_role("button", name="Signaal versturen").click()
    expect(page.get_by_test_id("receipt-code")).to_have_text(re.compile(r"\S+"))
    shot(page, "12-receipt-no-js")

    page.get_by_role("link", name="Bekijk uw melding").click()
    expect(page.get_by_test_id("reporter-status")).to_have_text("Ontvangen")
    expect(page.get_by_role("link", name="foto.png")).to_be_visible()
