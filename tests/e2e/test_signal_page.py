"""Issue 14's signal page in a real browser: the full timeline says who assigned whom and what was looked up, an
image attachment shows its server-made thumbnail, and a BRP person is taken into the signal's case with one click.
axe-core finds no WCAG 2.1 A/AA violations in the page's content; the CSP blocks nothing."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from meldroute.cases import services as case_services
from meldroute.persons.models import Person
from meldroute.triage import fake_services
from meldroute.triage import services as triage_services
from meldroute.triage.tests.conftest import fake_registers, registers  # noqa: F401 — the fake BRP
from tests.e2e.conftest import AXE, WCAG_TAGS, login
from tests.factories import PNG_BYTES, make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def assert_no_violations(page: Page) -> None:
    origin = "/".join(page.url.split("/")[:3])
    page.add_script_tag(url=f"{origin}/static/vendor/{AXE.name}")
    result = page.evaluate("tags => axe.run('main', {runOnly: {type: 'tag', values: tags}, "
                           "resultTypes: ['violations']})", WCAG_TAGS)
    assert result["testEngine"]["name"] == "axe-core"
    assert not result["violations"], [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def test_the_af_reads_the_timeline_sees_a_thumbnail_and_takes_a_brp_person_into_the_case(
        live_server, page: Page, world, registers):  # noqa: F811
    signal = make_signal(world.melder_a, uploads=[SimpleUploadedFile("foto.png", PNG_BYTES,
                                                                     content_type="image/png")])
    triage_services.assign_signal(signal, actor=world.af_a, assignee=world.af_a2)
    triage_services.lookup_brp(signal, actor=world.af_a2, purpose="Nagaan wie de betrokkene is",
                               bsn=fake_services.fake_bsn(7))
    triage_services.classify_signal(signal, actor=world.af_a2, assessment="suspected", forms=["labour"])
    case = case_services.open_case(actor=world.af_a2, signals=[signal], title="Loods Kasweg")

    login(page, live_server.url, "af_a")
    page.goto(f"{live_server.url}/inbox/{signal.uuid}/")
    timeline = page.get_by_test_id("timeline")
    a, a2 = (u.get_full_name() or u.username for u in (world.af_a, world.af_a2))
    expect(timeline).to_contain_text(f"{a} wees toe aan {a2}")
    expect(timeline).to_contain_text("bevraagd, doel: Nagaan wie de betrokkene is")
    expect(timeline).to_contain_text(f"Opgenomen in casus {case.reference}")
    thumb = page.locator("img.mr-thumb").first
    expect(thumb).to_be_visible()
    # Visible is not yet loaded: wait (up to 10 s) until the browser has the image's pixels (a broken one never has).
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle(), timeout=10_000)
    assert_no_violations(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "signal-page-timeline.png"), full_page=True)

    take_over = page.get_by_test_id("brp-take-over")
    take_over.get_by_label("als").select_option("victim")
    take_over.get_by_role("button", name=f"Opnemen in casus {case.reference}").click()
    expect(page.get_by_text(f"is opgenomen in casus {case.reference}")).to_be_visible()
    assert Person.objects.get(case=case).role == "victim"
    assert_no_violations(page)
