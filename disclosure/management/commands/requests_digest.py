"""`manage.py requests_digest`: the daily e-mail of overdue and soon-due information requests."""

import datetime

from django.core.management.base import BaseCommand, CommandParser

from disclosure.actions.requests import request_digest_send


class Command(BaseCommand):
    help = (
        "E-mail each information-request handler the open requests of their entities that are "
        "overdue or due within three working days (run once a day from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="As of this date (YYYY-MM-DD); defaults to today in Asia/Shanghai.",
        )

    def handle(self, *args, today: datetime.date | None = None, **options) -> None:
        sent = request_digest_send(today=today)
        self.stdout.write(f"information requests: digest sent to {sent} officials")
