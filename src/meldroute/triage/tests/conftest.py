"""The fake BRP and KvK servers on loopback, started once per test session, and settings pointing at them."""

import socket
from types import SimpleNamespace

import pytest

from meldroute.triage.fake_services import settings_for, start_fake_services


@pytest.fixture(scope="session")
def fake_registers():
    brp, kvk = start_fake_services()
    yield SimpleNamespace(brp=brp, kvk=kvk)
    brp.stop()
    kvk.stop()


@pytest.fixture
def registers(fake_registers, settings):
    """Point the adapters at the running fakes for one test."""
    settings.MELDROUTE = {**settings.MELDROUTE, **settings_for(fake_registers.brp, fake_registers.kvk),
                          "LOOKUP_TIMEOUT_SECONDS": 2}
    return fake_registers


def closed_port_url(path: str = "") -> str:
    """A loopback address where nothing listens: a register that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


@pytest.fixture
def registers_down(settings):
    settings.MELDROUTE = {**settings.MELDROUTE, "BRP_API_URL": closed_port_url("/brp"), "BRP_API_KEY": "x",
                          "KVK_API_URL": closed_port_url("/api"), "KVK_API_KEY": "x", "LOOKUP_TIMEOUT_SECONDS": 2}
