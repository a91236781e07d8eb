"""Sweep information requests' deadlines: reminders, abandoned corrections, lapsed fees."""

from django.core.management.base import BaseCommand

from disclosure.actions.requests import request_deadlines_sweep


class Command(BaseCommand):
    help = "Remind officials of replies due soon; conclude ended correction and payment periods."

    def handle(self, *args: object, **options: object) -> None:
        counts = request_deadlines_sweep()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
