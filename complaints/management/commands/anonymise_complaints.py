"""Erase the complainant's identity from complaints closed longer than the configured period."""

import datetime

from django.core.management.base import BaseCommand, CommandParser

from complaints.actions.complaints import complaints_anonymise


class Command(BaseCommand):
    help = (
        "Anonymise closed, declined and withdrawn complaints after COMPLAINTS_ANONYMISE_AFTER_DAYS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, **options) -> None:
        count = complaints_anonymise(today=options["today"])
        self.stdout.write(f"complaints: {count} anonymised")
