"""The daily digest for complaint handlers: what is overdue or due within two working days."""

import datetime

from django.core.management.base import BaseCommand, CommandParser

from complaints.actions.complaints import complaints_digest_send


class Command(BaseCommand):
    help = "E-mail each complaint handler the complaints overdue or due within two working days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, **options) -> None:
        sent = complaints_digest_send(today=options["today"])
        self.stdout.write(f"complaints: digest sent to {sent} officials")
