"""`manage.py sweep_deadlines`: apply every clock in the portal. Run it from cron every few minutes.

Idempotent and safe to run concurrently: each app's sweep re-checks what it changes under a lock
and records each effect once. It lives in `complaints`, the one app allowed to import the others,
and runs them in dependency order: information requests, service cases, complaints, rectification
projects.
"""

import datetime

from django.core.management.base import BaseCommand, CommandParser

from complaints.actions.complaints import complaints_sweep
from complaints.actions.supervision import rectification_projects_mark_overdue
from disclosure.actions.requests import request_deadlines_sweep
from services.actions.cases import cases_sweep


class Command(BaseCommand):
    help = (
        "Apply the portal's clocks: request reminders, abandoned corrections and lapsed fees; "
        "service cases accepted by default, overdue or deemed approved; overdue complaint stages "
        "and unrated replies; overdue rectification projects."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Sweep as of this date (YYYY-MM-DD); defaults to today in Asia/Shanghai.",
        )

    def handle(self, *args, today: datetime.date | None = None, **options) -> None:
        requests = request_deadlines_sweep(today=today)
        self.stdout.write(
            "requests: " + ", ".join(f"{key} {value}" for key, value in requests.items())
        )
        cases = cases_sweep(today=today)
        self.stdout.write(
            f"service cases: {cases.accepted_by_default} accepted by default, "
            f"{cases.overdue} overdue, {cases.deemed_approved} deemed approved"
        )
        complaints = complaints_sweep(today=today)
        self.stdout.write(
            f"complaints: {complaints['overdue']} stages newly overdue, "
            f"{complaints['closed']} closed after the rating period"
        )
        projects = rectification_projects_mark_overdue(today=today)
        self.stdout.write(f"rectification projects: {projects} newly overdue")
