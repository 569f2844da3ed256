"""Print a region's register of processing (AVG art. 30) as Markdown or CSV, generated from the configuration."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meldroute.organisations.models import Region
from meldroute.privacy.register import build_register, register_csv, register_markdown


class Command(BaseCommand):
    help = "Print a region's register of processing (AVG art. 30), generated from the configuration."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("region", help="the region's slug, e.g. veenhorst")
        parser.add_argument("--csv", action="store_true", help="CSV instead of Markdown")

    def handle(self, *args: Any, **options: Any) -> None:
        region = Region.objects.filter(slug=options["region"]).first()
        if region is None:
            raise CommandError(f"Unknown region {options['region']!r}.")
        register = build_register(region)
        self.stdout.write(register_csv(register) if options["csv"] else register_markdown(register), ending="")
