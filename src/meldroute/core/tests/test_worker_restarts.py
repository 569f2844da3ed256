"""The worker survives a database restart (benchmarks/load.py's fault drill): a round that loses the database is
skipped, not fatal, and the next round takes back the lease the cut-off round could not release."""

import logging

import pytest
from django.db import OperationalError
from django.utils import timezone

from meldroute.core import jobs
from meldroute.core.management.commands import run_worker
from meldroute.core.models import JobState


@pytest.mark.django_db
def test_a_round_that_loses_the_database_is_skipped_and_the_worker_goes_on(monkeypatch, caplog):
    def database_away(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(run_worker, "run_due_jobs", database_away)
    with caplog.at_level(logging.WARNING, logger=run_worker.__name__):
        run_worker.Command.run_round()  # does not raise: the loop goes on to the next round
    assert "worker round skipped: the database is not reachable (OperationalError)" in caplog.text
    assert "server closed" not in caplog.text  # the class only: a database message can carry data


@pytest.mark.django_db
def test_a_worker_takes_back_its_own_lease_after_a_round_was_cut_off(monkeypatch):
    ran = []
    monkeypatch.setattr(jobs, "_REGISTERED", {"sweep": lambda now: ran.append(now) or 1})
    now = timezone.now()
    JobState.objects.create(name="sweep")
    assert jobs._take("sweep", "host:1", now)  # the round took the lease, then lost the database before releasing

    assert jobs.run_due_jobs(now, worker="host:2") == {}  # another worker still waits for the lease
    assert jobs.run_due_jobs(now, worker="host:1") == {"sweep": 1}  # the same worker's next round goes on
    assert len(ran) == 1
    state = JobState.objects.get(name="sweep")
    assert state.locked_by == "" and state.locked_until is None
