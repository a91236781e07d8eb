"""Flag overdue complaint stages and close replied complaints left unrated. Idempotent.

`services`' `sweep_deadlines` command should call `complaints.actions.complaints.complaints_sweep`
through this command (`call_command("sweep_complaints")`), since services may not import
complaints; run it from cron like sweep_deadlines.
"""

import datetime

from django.core.management.base import BaseCommand, CommandParser

from complaints.actions.complaints import complaints_sweep


class Command(BaseCommand):
    help = "Flag overdue complaint stages; close replied complaints past the rating period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, **options) -> None:
        result = complaints_sweep(today=options["today"])
        self.stdout.write(
            f"complaints: {result['overdue']} stages newly overdue, "
            f"{result['closed']} closed after the rating period"
        )
