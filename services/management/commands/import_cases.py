"""`manage.py import_cases FILE.csv --user NAME`: import cases from the online system's export."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from services.actions.imports import cases_import_csv, csv_text, import_report_lines


class Command(BaseCommand):
    help = (
        "Import service cases from a CSV export (columns: see services/actions/imports.py). "
        "Each row whole or not at all; rows whose case number exists are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The CSV file.")
        parser.add_argument("--user", required=True, help="The official the import is done as.")

    def handle(self, *args, path: str, user: str, **options) -> None:
        try:
            by = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist as error:
            raise CommandError(_("No user “%(name)s”.") % {"name": user}) from error
        with open(path, "rb") as handle:
            text = csv_text(handle.read())

        def progress(done: int, total: int) -> None:
            if done == total or done % 50 == 0:
                width = 30
                filled = width * done // max(total, 1)
                sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
                if done == total:
                    sys.stderr.write("\n")
                sys.stderr.flush()

        report = cases_import_csv(text=text, by=by, progress=progress)
        for line in import_report_lines(report):
            self.stdout.write(line)
        if report.rejected:
            raise CommandError(
                _("%(n)d rows were rejected; the others were imported.")
                % {"n": len(report.rejected)}
            )
