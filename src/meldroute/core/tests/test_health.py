"""Health endpoints (issue 17): liveness needs nothing; readiness covers the database, the worker's heartbeat, the
mail backlog and the age of the last audit checkpoint. Open to the load balancer, they show no data."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from tests.factories import make_signal

from meldroute.audit.checkpoints import write_checkpoint
from meldroute.core import jobs
from meldroute.core.models import WorkerHeartbeat

pytestmark = pytest.mark.clock

LIVE, READY = "/gezondheid/live/", "/gezondheid/klaar/"


@pytest.fixture
def checkpoints(settings, tmp_path):
    settings.MELDROUTE = {**settings.MELDROUTE, "AUDIT_CHECKPOINT_FILE": str(tmp_path / "checkpoints.jsonl"),
                          "AUDIT_CHECKPOINT_MINUTES": 15}
    return tmp_path / "checkpoints.jsonl"


@pytest.fixture
def healthy(db, checkpoints):
    WorkerHeartbeat.objects.create(worker="w1", last_seen_at=timezone.now())
    write_checkpoint(timezone.now(), checkpoints)


def checks(response):
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_liveness_answers_without_login_or_database(client):
    response = client.get(LIVE)
    assert response.status_code == 200 and checks(response)["status"] == "ok"


def test_ready_when_database_worker_mail_and_audit_checkpoint_are_fine(client, healthy):
    response = client.get(READY, HTTP_ACCEPT="text/html")

    body = checks(response)
    assert response.status_code == 200, body
    assert set(body["checks"]) == {"Database", "Worker", "MailBacklog", "AuditCheckpoint"}
    assert response["Cache-Control"] and "no-cache" in response["Cache-Control"]


def test_not_ready_when_no_worker_was_seen_lately(client, healthy, settings):
    WorkerHeartbeat.objects.update(last_seen_at=timezone.now() - timedelta(minutes=6))

    response = client.get(READY)
    assert response.status_code == 503
    assert "worker" in checks(response)["checks"]["Worker"]


def test_a_worker_round_makes_it_ready_again(client, healthy):
    WorkerHeartbeat.objects.all().delete()
    assert client.get(READY).status_code == 503
    jobs.run_due_jobs()
    assert client.get(READY).status_code == 200


def test_not_ready_when_acute_alerts_pile_up_and_warns_below_the_limit(client, healthy, world, settings):
    settings.MELDROUTE = {**settings.MELDROUTE, "MAIL_BACKLOG_MAX": 1}
    for _ in range(2):
        signal = make_signal(world.melder_a, is_acute=True)
        type(signal).objects.filter(pk=signal.pk).update(acute_alert_sent_at=None,
                                                        received_at=timezone.now() - timedelta(minutes=5))
    response = client.get(READY)
    assert response.status_code == 503 and "2 mails" in checks(response)["checks"]["MailBacklog"]

    type(signal).objects.filter(pk=signal.pk).update(acute_alert_sent_at=timezone.now())
    response = client.get(READY)
    assert response.status_code == 200 and "1 mails" in checks(response)["checks"]["MailBacklog"]


def test_not_ready_when_the_audit_checkpoint_is_older_than_twice_its_interval(client, healthy, checkpoints):
    checkpoints.write_text("")
    write_checkpoint(timezone.now() - timedelta(minutes=31), checkpoints)

    response = client.get(READY)
    assert response.status_code == 503 and "31 minuten" in checks(response)["checks"]["AuditCheckpoint"]


def test_health_pages_show_no_data_of_any_signal(client, healthy, world):
    signal = make_signal(world.melder_a, is_acute=True)
    body = client.get(READY).content.decode()
    assert signal.reference not in body and world.a.name not in body


def test_the_probes_are_plain_wsgi_views_that_work_where_an_event_loop_already_runs(client):
    """The library's view is async; ours is not (a browser test's event loop in the same thread broke it: the test
    command's random order runs this file after the browser journeys too)."""
    from meldroute.core.health import LiveView, ReadyView

    assert not LiveView.view_is_async and not ReadyView.view_is_async
    assert client.get(LIVE).status_code == 200
