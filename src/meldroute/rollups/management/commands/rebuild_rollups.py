"""`meldroute rebuild_rollups`: recompute the daily signal rollups from the signals themselves."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from meldroute.rollups.services import rebuild


class Command(BaseCommand):
    help = "Dagtotalen van signalen per gemeente opnieuw berekenen uit de signalen (na een bulk-import of herstel)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        made = rebuild()
        self.stdout.write(f"{made} dagtotalen opnieuw berekend in {time.perf_counter() - started:.1f} s")
