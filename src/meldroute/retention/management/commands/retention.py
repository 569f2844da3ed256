"""`meldroute retention [--dry-run]`: apply the retention rules now, or only report what would go."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from meldroute.retention.selectors import retention_plan
from meldroute.retention.services import apply_plan


class Command(BaseCommand):
    help = "Bewaartermijnen toepassen; met --dry-run alleen tonen wat er zou gaan (per soort: code en datum)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Niets wijzigen, alleen het proefrapport.")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        plan = retention_plan(now)
        if options["dry_run"]:
            for report in plan:
                self.stdout.write(f"{report.rule.key}: {len(report.due)} {report.rule.action.label}, "
                                  f"{len(report.held)} geblokkeerd, {len(report.upcoming)} binnen 90 dagen")
                for item in report.due:
                    self.stdout.write(f"  {item.reference} {item.due_on.isoformat()} {item.target_uuid}")
            return
        for applied in apply_plan(plan, now=now):
            self.stdout.write(f"{applied.rule.key}: {len(applied.items)} {applied.rule.action.label}")
