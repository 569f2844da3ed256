"""`meldroute run_fake_registers`: serve the fictional BRP and KvK stand-ins on loopback until Ctrl+C."""

import threading
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from meldroute.triage.fake_services import settings_for, start_fake_services


class Command(BaseCommand):
    help = "Starts the fake BRP and KvK APIs (fictional data) on 127.0.0.1."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--brp-port", type=int, default=8081)
        parser.add_argument("--kvk-port", type=int, default=8082)

    def handle(self, *args: Any, brp_port: int, kvk_port: int, **options: Any) -> None:
        brp, kvk = start_fake_services(brp_port, kvk_port)
        self.stdout.write("Fake BRP and KvK run; point Meldroute at them with:")
        for key, value in settings_for(brp, kvk).items():
            self.stdout.write(f"  MELDROUTE_{key}={value}")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            brp.stop()
            kvk.stop()
