"""`manage.py sweep_deadlines`: apply the service cases' clocks (run from cron; idempotent)."""

import datetime

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from services.actions.cases import cases_sweep


class Command(BaseCommand):
    help = (
        "Accept applications with no correction notice within 5 working days, mark overdue "
        "cases and deem approved those whose item says so. Safe to run concurrently."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Sweep as of this date (YYYY-MM-DD); defaults to today.",
        )

    def handle(self, *args, today: datetime.date | None = None, **options) -> None:
        result = cases_sweep(today=today)
        self.stdout.write(
            _(
                "Accepted by default: %(accepted)d; overdue: %(overdue)d; deemed approved: "
                "%(deemed)d."
            )
            % {
                "accepted": result.accepted_by_default,
                "overdue": result.overdue,
                "deemed": result.deemed_approved,
            }
        )
