"""The FG in a real browser: finds a data subject by BSN, downloads the access export, restricts the processing (a
short reason refused at its field, input kept), reads the register; axe-core finds no WCAG 2.1 A/AA violations on the
FG's pages and the CSP blocks nothing."""

import io
import zipfile

import pytest
from playwright.sync_api import Page, expect

from meldroute.accounts.constants import Role
from meldroute.persons.tests.helpers import BSN_A, add_victim, make_case
from tests.e2e.conftest import AXE, WCAG_TAGS, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def assert_no_violations(page: Page) -> None:
    """axe-core on the page's own content (<main>); the shared header is checked by the other journeys."""
    origin = "/".join(page.url.split("/")[:3])
    page.add_script_tag(url=f"{origin}/static/vendor/{AXE.name}")
    result = page.evaluate("tags => axe.run('main', {runOnly: {type: 'tag', values: tags}, "
                           "resultTypes: ['violations']})", WCAG_TAGS)
    assert result["testEngine"]["name"] == "axe-core"
    assert not result["violations"], [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def test_the_fg_exports_restricts_and_reads_the_register(live_server, page: Page, world):
    UserFactory(username="fg", organisation=world.a, roles=[Role.FG])
    victim = add_victim(make_case(world), world.af_a)
    login(page, live_server.url, "fg")
    page.get_by_role("link", name="Privacy (FG)").click()
    expect(page.get_by_role("heading", name="Verzoeken van betrokkenen", level=1)).to_be_visible()
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text("Vul een BSN of een casusnummer in.").first).to_be_visible()
    assert_no_violations(page)

    page.get_by_label("BSN of casusnummer").fill(BSN_A)
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_test_id("found").get_by_role("link", name=victim.pseudonym).click()
    expect(page.get_by_test_id("records")).to_contain_text(victim.case.reference)
    assert_no_violations(page)

    export = page.get_by_test_id("export-form")
    export.get_by_label("Reden en kenmerk van het verzoek").fill("Brief INZ-1, 8 juni 2026")
    with page.expect_download() as download:
        export.get_by_role("button", name="Inzage-export maken").click()
    with zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())) as archive:
        assert sorted(name.rsplit(".", 1)[1] for name in archive.namelist()) == ["json", "pdf"]

    restrict = page.get_by_test_id("restrict-form")
    restrict.get_by_label("Reden en kenmerk van het verzoek").fill("kort")
    restrict.get_by_role("button", name="Verwerking beperken").click()
    expect(page.get_by_text("minstens 10 tekens").first).to_be_visible()
    expect(page.get_by_test_id("restrict-form").get_by_label("Reden en kenmerk van het verzoek")).to_have_value("kort")
    assert_no_violations(page)
    page.get_by_test_id("restrict-form").get_by_label("Reden en kenmerk van het verzoek").fill(
        "Brief BEP-2, betwist de juistheid")
    page.get_by_test_id("restrict-form").get_by_role("button", name="Verwerking beperken").click()
    expect(page.get_by_test_id("restricted").first).to_be_visible()

    page.get_by_role("link", name="Terug naar de verzoeken").click()
    expect(page.get_by_test_id("requests")).to_contain_text("Beperking van de verwerking")
    page.get_by_role("link", name="Naar het verwerkingsregister").click()
    expect(page.get_by_role("heading", name="Register van verwerkingen (AVG art. 30)")).to_be_visible()
    expect(page.get_by_test_id("receivers")).to_contain_text("Politie (AVIM)")
    assert_no_violations(page)
