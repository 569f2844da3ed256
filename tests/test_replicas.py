"""Read replicas (meldroute.core.replicas): which reads go to the replica, and reading one's own writes.

The router tests run everywhere (the replica alias pretended); the last tests need a real streaming replica and run
in scripts/test.sh's replica pass (DATABASE_REPLICA_URL), where they prove the figures pages' queries really ran on a
server in recovery and still gave the right figures."""

import os

import pytest
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meldroute.accounts.models import User
from meldroute.audit.models import AuditEvent
from meldroute.core import replicas
from meldroute.intake.models import Signal
from meldroute.rollups.models import SignalDay
from tests.factories import make_signal

router = replicas.ReplicaRouter()
real_replica = pytest.mark.skipif(not os.environ.get("DATABASE_REPLICA_URL"),
                                  reason="needs a streaming replica (scripts/test.sh's replica pass)")


@pytest.fixture
def pretend_replica(monkeypatch):
    monkeypatch.setattr(replicas, "replica_configured", lambda: True)


def test_without_a_replica_every_read_goes_to_default():
    if os.environ.get("DATABASE_REPLICA_URL"):
        pytest.skip("a replica is configured")
    with replicas.use_replica():
        assert router.db_for_read(SignalDay) is None
        assert router.db_for_read(Signal) is None


def test_replica_pages_read_domain_tables_from_the_replica_and_the_rest_from_the_primary(pretend_replica):
    assert router.db_for_read(SignalDay) is None  # outside a replica page
    with replicas.use_replica():
        assert router.db_for_read(SignalDay) == replicas.REPLICA
        assert router.db_for_read(Signal) == replicas.REPLICA
        assert router.db_for_read(User) is None  # sessions, users and roles: always the primary
        assert router.db_for_read(AuditEvent) is None
        assert router.db_for_write(AuditEvent) == "default"  # an audit write does not pin
        assert router.db_for_read(Signal) == replicas.REPLICA
        assert router.db_for_write(Signal) == "default"
        assert router.db_for_read(Signal) is None  # the rest of this request reads its own write
    assert router.allow_migrate(replicas.REPLICA, "intake") is False
    assert router.allow_migrate("default", "intake") is True


@pytest.mark.django_db
def test_a_request_that_wrote_pins_the_browser_to_the_primary(pretend_replica, world):
    factory = RequestFactory()

    def writes(request):
        make_signal(world.melder_a)
        return HttpResponse("ok")

    response = replicas.ReplicaPinMiddleware(writes)(factory.post("/x"))
    assert response.cookies[replicas.PIN_COOKIE]["max-age"] == replicas.pin_seconds()
    assert response.cookies[replicas.PIN_COOKIE]["httponly"]
    reads = replicas.ReplicaPinMiddleware(lambda request: HttpResponse(str(Signal.objects.count())))
    assert replicas.PIN_COOKIE not in reads(factory.get("/x")).cookies

    seen = []

    @replicas.reads_from_replica
    def page(request):
        seen.append(router.db_for_read(SignalDay))
        return HttpResponse("ok")

    replicas.ReplicaPinMiddleware(page)(factory.get("/dashboard/"))
    pinned = factory.get("/dashboard/")
    pinned.COOKIES[replicas.PIN_COOKIE] = "1"
    replicas.ReplicaPinMiddleware(page)(pinned)
    assert seen == [replicas.REPLICA, None]


@real_replica
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_dashboard_really_reads_a_streaming_replica_and_shows_committed_figures(client, world):
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)
    for _ in range(3):
        make_signal(world.melder_a)
    client.force_login(world.af_a)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(reverse("monitoring:dashboard"))
    assert response.status_code == 200
    assert response.context["d"].signals.total == 3
    assert any("rollups_signal" in q["sql"] for q in on_replica.captured_queries)  # day or month rows
    assert not any("auth_session" in q["sql"] or "accounts_user" in q["sql"] for q in on_replica.captured_queries)


@real_replica
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_after_a_write_the_same_browser_reads_the_primary(client, world):
    client.force_login(world.af_a)
    client.cookies[replicas.PIN_COOKIE] = "1"  # as set by the request that wrote
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get(reverse("monitoring:dashboard")).status_code == 200
    assert not on_replica.captured_queries
