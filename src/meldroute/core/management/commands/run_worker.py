"""Run the background worker: deadlines, expiries and reminders, every interval, until stopped."""

import signal as os_signal
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from meldroute.core.jobs import run_due_jobs


class Command(BaseCommand):
    help = "Runs due background jobs every --interval seconds (state lives in the database, so restarts are safe)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=int, default=60)
        parser.add_argument("--once", action="store_true", help="Run the due jobs once and exit.")

    def handle(self, *args: Any, interval: int, once: bool, **options: Any) -> None:
        stopping: list[bool] = []
        os_signal.signal(os_signal.SIGTERM, lambda *_: stopping.append(True))
        while True:
            results = run_due_jobs()
            if once:
                self.stdout.write(str(results))
                return
            for _ in range(interval):
                if stopping:
                    return
                time.sleep(1)
