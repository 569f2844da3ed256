"""Fixtures shared by every test: a set clock, a region with two municipalities, users per role, a browser on
Debian's Chromium."""

import os
from datetime import datetime

import pytest
import time_machine

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]

# No test reads the machine's clock: every test starts at this moment (a Wednesday morning in Amsterdam, no
# holiday near) and the clock ticks on from there. The test command runs the tests marked `clock` again with
# MELDROUTE_TEST_CLOCK set to the awkward moments: a weekend, Koningsdag, both DST nights and New Year's Eve.
DEFAULT_TEST_CLOCK = "2026-06-10T10:00:00+02:00"


def test_clock() -> datetime:
    return datetime.fromisoformat(os.environ.get("MELDROUTE_TEST_CLOCK") or DEFAULT_TEST_CLOCK)


test_clock.__test__ = False  # type: ignore[attr-defined]  # not a test, despite its name


def pytest_configure(config):
    """The set clock from the very start, so values a test module computes when it is collected (a parametrised
    "tomorrow") are on the same clock as the test that uses them."""
    config._meldroute_clock = time_machine.travel(test_clock(), tick=True)
    config._meldroute_clock.start()


def pytest_unconfigure(config):
    if getattr(config, "_meldroute_clock", None) is not None:
        config._meldroute_clock.stop()


@pytest.fixture(autouse=True)
def clock():
    """The set clock every test runs on; a test moves it with `clock.move_to(...)` or `clock.shift(...)`."""
    with time_machine.travel(test_clock(), tick=True) as traveller:
        yield traveller


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            "args": CHROMIUM_ARGS}


@pytest.fixture
def world(db):
    """Two municipalities (A, B) in one region, a third in another region, users for every role."""
    from tests.factories import build_world

    return build_world()


@pytest.fixture(scope="module")
def seeded_once(request, django_db_setup, django_db_blocker):
    """The demo region (`meldroute demo`'s seed), seeded once per test module in a transaction that is rolled back
    after the module's last test. A module seeds a smaller demo with `DEMO_SIGNALS = <n>` (default 60)."""
    from django.db import transaction

    from meldroute.demo.seed import seed

    with django_db_blocker.unblock(), transaction.atomic():
        yield seed(signals_count=getattr(request.module, "DEMO_SIGNALS", 60))
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    """The module's seeded demo (seeded_once), for a test that also writes: its writes roll back after the test."""
    return seeded_once


def pytest_collection_modifyitems(config, items):
    """scripts/test.sh's replica pass (DATABASE_REPLICA_URL set): the replica pages read a real streaming replica,
    which sees only committed rows, so the database tests run committed (flushed after each) and may use both
    aliases. Without a replica nothing changes."""
    if not os.environ.get("DATABASE_REPLICA_URL"):
        return
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None or "db" in getattr(item, "fixturenames", ()) or "world" in getattr(
                item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db(transaction=True, databases=["default", "replica"]), append=False)
