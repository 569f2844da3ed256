"""Shared pieces of the browser tests: indicators after flushes, logging in through the real login page."""

from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import Page, expect


class SerialWSGIServer(WSGIServer):
    """The live server, one request at a time. On SQLite the tests' database is in memory, so every request thread of
    Django's threaded live server shares the test's one connection, and with it one transaction state: a request that
    overlaps another (the browser's favicon, a poll) can turn the other's outermost `atomic` into a savepoint of its
    own transaction, so the other's `on_commit` work (an acute alert's mail) runs only when the first request ends —
    after the test looked (a CI run saw the acute journey's mail missing once). Production has a connection per
    request; here requests take turns instead. Django answers `Connection: close` on a server without threads, so a
    browser's kept-alive connection cannot hold the queue."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override  # LiveServerThread.run already installed them


LiveServerThread.server_class = SerialWSGIServer

PASSWORD = "Test-wachtwoord-123"
AXE = Path(__file__).resolve().parents[2] / "src" / "meldroute" / "static" / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(autouse=True)
def indicators(transactional_db):
    """Re-seed the signalenlijst: a transactional test flushes the rows the data migration created."""
    from meldroute.intake.indicator_catalogue import INDICATORS
    from meldroute.intake.models import Indicator

    for position, spec in enumerate(INDICATORS):
        Indicator.objects.update_or_create(code=spec.code, defaults={"form": spec.form, "text": spec.text,
                                                                     "position": position, "is_active": True})
    # Likewise the national default sharing rules (partners migration 0002).
    from meldroute.partners.services import ensure_default_sharing_rules

    ensure_default_sharing_rules()


def login(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


@pytest.fixture(autouse=True)
def no_csp_violations(page: Page):
    """Every journey runs under the real Content-Security-Policy: anything the policy blocks fails the test."""
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield
    assert blocked == [], f"the Content-Security-Policy blocked: {blocked}"


def assert_no_violations(page: Page) -> None:
    # By URL, as the page's own scripts load: the CSP allows no inline script, not even a test's.
    origin = "/".join(page.url.split("/")[:3])
    page.add_script_tag(url=f"{origin}/static/vendor/{AXE.name}")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS)
    assert result["testEngine"]["name"] == "axe-core"
    violations = result["violations"]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}" for node in v["nodes"])
        for v in violations)
    assert not violations, f"axe found {len(violations)} violation(s) on {page.url}:\n{report}"
