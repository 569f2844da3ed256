"""Seed the fictional demo region (idempotent: does nothing when it exists)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from meldroute.demo.seed import seed


class Command(BaseCommand):
    help = "Creates the fictional region Veenhorst with users per role and a history of signals."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--signals", type=int, default=240)

    def handle(self, *args: Any, signals: int, **options: Any) -> None:
        result = seed(signals_count=signals)
        if result["created"]:
            self.stdout.write(self.style.SUCCESS(f"Demo region seeded with {result['signals']} signals."))
        else:
            self.stdout.write("Demo region already present; reusing it.")
