"""Verify the hash chains of the audit log and the access log."""

from django.core.management.base import BaseCommand, CommandError

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verifies that no audit or access-log entry was changed, removed or inserted out of order."

    def handle(self, *args, **options):
        all_problems = []
        for model in (AuditEvent, AccessLogEntry):
            count, problems = verify_chain(model)
            self.stdout.write(f"{model.__name__}: {count} entries checked, {len(problems)} problems")
            all_problems += problems
        for problem in all_problems:
            self.stderr.write(problem)
        if all_problems:
            raise CommandError("The audit chain is broken.")
        self.stdout.write(self.style.SUCCESS("Audit chain intact."))
