"""Run the background worker: deadlines, expiries and reminders, every interval, until stopped."""

import logging
import signal as os_signal
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connections

from meldroute.core.jobs import run_due_jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Runs due background jobs every --interval seconds (state lives in the database, so restarts are safe)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=int, default=60)
        parser.add_argument("--once", action="store_true", help="Run the due jobs once and exit.")

    def handle(self, *args: Any, interval: int, once: bool, **options: Any) -> None:
        stopping: list[bool] = []
        os_signal.signal(os_signal.SIGTERM, lambda *_: stopping.append(True))
        while True:
            if once:
                results = run_due_jobs()
                self.stdout.write(str(results))
                return
            self.run_round()
            for _ in range(interval):
                if stopping:
                    return
                time.sleep(1)

    @staticmethod
    def run_round() -> None:
        """One round; a database that is away (a restart, a fail-over) skips the round instead of ending the worker.
        Nothing is lost by skipping: the jobs find what is due from the data, and every item is claimed before it is
        sent (core.jobs), so the next round picks up exactly what this one did not finish."""
        close_old_connections()
        try:
            run_due_jobs()
        except DatabaseError as error:
            logger.warning("worker round skipped: the database is not reachable (%s)", type(error).__name__)
            for connection in connections.all(initialized_only=True):
                connection.close_if_unusable_or_obsolete()
