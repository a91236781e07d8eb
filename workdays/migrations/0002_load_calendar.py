"""Load the statutory calendar into every new database (the same loader as `load_calendar`)."""

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from workdays.package_loader import calendar_rows_load

    calendar_rows_load(
        day_model=apps.get_model("workdays", "CalendarDay"),
        year_model=apps.get_model("workdays", "CalendarYear"),
        historical_day_model=apps.get_model("workdays", "HistoricalCalendarDay"),
        now=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
