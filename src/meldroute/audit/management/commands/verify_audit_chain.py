"""Verify the keyed hash chains of the audit and access logs against the checkpoints kept outside the database."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from meldroute.audit.checkpoints import write_checkpoint
from meldroute.audit.services import verify_audit

SHOWN_PROBLEMS = 100  # a chain rewritten from the start breaks every row; the first ones say enough


class Command(BaseCommand):
    help = ("Verifies with the audit key that no audit or access-log entry was changed, removed or inserted, and that "
            "the database still holds every checkpointed head and count (no rows removed from the end).")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--checkpoint", action="store_true",
                            help="After a successful verification, append a checkpoint of both chains.")
        parser.add_argument("--checkpoint-file", type=Path, default=None,
                            help="Read checkpoints from this file instead of MELDROUTE_AUDIT_CHECKPOINT_FILE "
                                 "(e.g. a copy from the syslog host).")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_audit(options["checkpoint_file"])
        for name, count in result.counts.items():
            own = [p for p in result.problems if p.startswith(f"{name} ") or p.startswith(f"{name}:")]
            self.stdout.write(f"{name}: {count} entries checked, {len(own)} problems")
        if result.checkpoint_file is None:
            self.stdout.write(self.style.WARNING(
                "No checkpoint file configured (MELDROUTE_AUDIT_CHECKPOINT_FILE): rows removed from the end of a "
                "chain cannot be detected."))
        elif result.checkpoint_lines == 0:
            self.stdout.write(self.style.WARNING(
                f"No checkpoints in {result.checkpoint_file} yet: rows removed from the end of a chain cannot be "
                "detected until the worker (or --checkpoint) has written one."))
        else:
            self.stdout.write(f"Checkpoints: {result.checkpoint_lines} lines read from {result.checkpoint_file}")
        for problem in result.problems[:SHOWN_PROBLEMS]:
            self.stderr.write(problem)
        if len(result.problems) > SHOWN_PROBLEMS:
            self.stderr.write(f"… and {len(result.problems) - SHOWN_PROBLEMS} more problems")
        if result.problems:
            raise CommandError("The audit chain is broken.")
        self.stdout.write(self.style.SUCCESS("Audit chain intact."))
        if options["checkpoint"]:
            if write_checkpoint(path=result.checkpoint_file) is None:
                raise CommandError("No checkpoint written: MELDROUTE_AUDIT_CHECKPOINT_FILE is not set.")
            self.stdout.write(f"Checkpoint written to {result.checkpoint_file}.")
