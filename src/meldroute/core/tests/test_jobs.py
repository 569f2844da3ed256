"""Background work with more than one worker (issue 17): a job runs in one worker at a time, a failing job backs
off and shows it, and a worker that died frees its job when its lease runs out."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from meldroute.core import jobs
from meldroute.core.models import JobState, WorkerHeartbeat


@pytest.fixture
def only(monkeypatch):
    """Run the worker with just the given jobs registered."""
    def register(**registered):
        monkeypatch.setattr(jobs, "_REGISTERED", dict(registered))
    return register


@pytest.mark.django_db
def test_a_job_held_by_one_worker_is_skipped_by_another(only):
    ran = []
    only(sweep=lambda now: ran.append(now) or 1)
    now = timezone.now()
    JobState.objects.create(name="sweep")

    assert jobs._take("sweep", "worker-a", now)
    assert jobs.run_due_jobs(now, worker="worker-b") == {}
    assert not ran
    jobs._release("sweep", "worker-a", now)
    assert jobs.run_due_jobs(now, worker="worker-b") == {"sweep": 1}


@pytest.mark.django_db
def test_a_lease_of_a_worker_that_died_runs_out(only):
    only(sweep=lambda now: 1)
    now = timezone.now()
    JobState.objects.create(name="sweep")
    assert jobs._take("sweep", "crashed-worker", now)

    assert jobs.run_due_jobs(now + jobs.LEASE - timedelta(seconds=1), worker="b") == {}
    assert jobs.run_due_jobs(now + jobs.LEASE, worker="b") == {"sweep": 1}
    jobs._release("sweep", "crashed-worker", now + jobs.LEASE)  # comes back late: changes nothing
    assert JobState.objects.get(name="sweep").last_success_at == now + jobs.LEASE


@pytest.mark.django_db
def test_failures_back_off_doubling_up_to_an_hour_and_are_visible(only):
    def broken(now):
        raise ConnectionRefusedError("smtp down for someone@example.org")

    only(mail=broken)
    now = timezone.now()
    pauses = []
    for _ in range(8):
        assert jobs.run_due_jobs(now, worker="w") == {"mail": -1}
        state = JobState.objects.get(name="mail")
        pauses.append(state.next_run_at - now)
        assert jobs.run_due_jobs(state.next_run_at - timedelta(seconds=1), worker="w") == {}
        now = state.next_run_at

    assert [p.total_seconds() // 60 for p in pauses] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert state.failures == 8 and state.last_error == "ConnectionRefusedError"  # the class, never the message


@pytest.mark.django_db
def test_every_round_leaves_the_workers_heartbeat(only):
    only()
    now = timezone.now()
    jobs.run_due_jobs(now, worker="w1")
    jobs.run_due_jobs(now + timedelta(minutes=1), worker="w1")

    assert WorkerHeartbeat.objects.get(worker="w1").last_seen_at == now + timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_run_a_job_once(only):
    """Real concurrency on PostgreSQL: two threads, two connections, one conditional UPDATE wins."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises its writers; the race is real on PostgreSQL")
    ran = []
    barrier = threading.Barrier(2)
    def sweep(now):
        ran.append(threading.get_ident())
        time.sleep(0.5)  # still running when the other worker asks
        return 1

    only(sweep=sweep)
    now = timezone.now()
    JobState.objects.create(name="sweep")
    results = {}

    def work(name):
        from django.db import connections
        try:
            barrier.wait()
            results[name] = jobs.run_due_jobs(now, worker=name)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(ran) == 1
    assert sorted(len(r) for r in results.values()) == [0, 1]


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_outbox_at_once_send_each_mail_once(settings):
    """Below the lease, every item is claimed on its own: even two senders at once send each mail once."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises its writers; the race is real on PostgreSQL")
    from django.core import mail

    from meldroute.notifications.models import OutboxMail
    from meldroute.notifications.services import MAIL_TEMPLATE, send_outbox

    OutboxMail.objects.bulk_create([OutboxMail(template=MAIL_TEMPLATE, recipients=[f"af{i}@gemeente.example"],
                                               context={"text": f"MR-{i}", "link": "/", "kind": "x"})
                                    for i in range(40)])
    barrier = threading.Barrier(2)
    now = timezone.now()

    def work():
        from django.db import connections
        try:
            barrier.wait()
            send_outbox(now)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    sent = sorted(address for message in mail.outbox for address in message.to)
    assert sent == sorted(f"af{i}@gemeente.example" for i in range(40))
    assert not OutboxMail.objects.filter(sent_at__isnull=True).exists()
