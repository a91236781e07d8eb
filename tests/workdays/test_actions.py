"""Writes: loading from the package (idempotent, keeps officials' edits), edits and invalidation."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

import workdays.calendar as calendar_module
from workdays.actions import (
    calendar_day_create,
    calendar_day_delete,
    calendar_day_update,
    calendar_load_from_package,
    calendar_year_save,
)
from workdays.calendar import Deadline, is_workday, is_year_loaded
from workdays.models import CalendarDay, CalendarYear, Source
from workdays.package_loader import NOTICE_URLS, package_days, package_years

pytestmark = pytest.mark.django_db

GOLDEN_WEEK_END = dt.date(2025, 10, 8)


@pytest.fixture
def official(django_user_model):
    return django_user_model.objects.create_superuser("official", "o@example.org", "pw-123456789")


def test_the_migration_loaded_every_package_year() -> None:
    years = set(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
    assert years == set(package_years())
    assert CalendarDay.objects.count() == len(package_days())
    day = CalendarDay.objects.get(date=dt.date(2024, 2, 10))
    assert (day.kind, day.name, day.source) == (CalendarDay.Kind.HOLIDAY, "春节", Source.PACKAGE)
    assert day.source_notice_url == NOTICE_URLS[2024]
    makeup = CalendarDay.objects.get(date=dt.date(2025, 10, 11))
    assert (makeup.kind, makeup.name) == (CalendarDay.Kind.MAKEUP_WORKDAY, "国庆节")
    assert CalendarYear.objects.get(year=2025).notice_url == NOTICE_URLS[2025]


def test_new_years_makeup_day_in_december_cites_next_years_notice() -> None:
    day = CalendarDay.objects.get(date=dt.date(2018, 12, 29))  # worked for 元旦 2019
    assert day.source_notice_url == NOTICE_URLS[2019]


def test_load_calendar_rerun_is_idempotent() -> None:
    before = list(CalendarDay.objects.values_list("date", "kind", "name", "source_notice_url"))
    call_command("load_calendar", stdout=open("/dev/null", "w"))  # noqa: SIM115
    result = calendar_load_from_package()
    assert (result.created, result.updated, result.deleted) == (0, 0, 0)
    assert result.unchanged == len(package_days())
    after = list(CalendarDay.objects.values_list("date", "kind", "name", "source_notice_url"))
    assert after == before


def test_load_calendar_repairs_package_rows_and_removes_stale_ones() -> None:
    CalendarDay.objects.filter(date=dt.date(2024, 2, 10)).update(name="wrong")
    CalendarDay.objects.filter(date=dt.date(2024, 2, 11)).delete()
    CalendarDay.objects.create(
        date=dt.date(2024, 3, 4), kind="holiday", name="stale", source=Source.PACKAGE
    )
    result = calendar_load_from_package()
    assert (result.created, result.updated, result.deleted) == (1, 1, 1)
    assert CalendarDay.objects.get(date=dt.date(2024, 2, 10)).name == "春节"
    assert CalendarDay.objects.filter(date=dt.date(2024, 2, 11)).exists()
    assert not CalendarDay.objects.filter(date=dt.date(2024, 3, 4)).exists()


def test_load_calendar_keeps_an_officials_edit(official) -> None:
    day = CalendarDay.objects.get(date=GOLDEN_WEEK_END)
    calendar_day_update(
        day=day, by=official, kind="makeup_workday", name="国庆节", source_notice_url=""
    )
    result = calendar_load_from_package()
    day.refresh_from_db()
    assert (day.kind, day.source) == ("makeup_workday", Source.ADMIN)
    assert GOLDEN_WEEK_END in result.kept_admin
    assert result.updated == 0


def test_load_calendar_does_not_restore_a_day_an_official_deleted(official) -> None:
    calendar_day_delete(day=CalendarDay.objects.get(date=GOLDEN_WEEK_END), by=official)
    result = calendar_load_from_package()
    assert not CalendarDay.objects.filter(date=GOLDEN_WEEK_END).exists()
    assert GOLDEN_WEEK_END in result.kept_admin
    assert result.created == 0
    assert is_workday(GOLDEN_WEEK_END)


def test_an_edit_records_history_with_who_and_why(official) -> None:
    day = CalendarDay.objects.get(date=GOLDEN_WEEK_END)
    calendar_day_update(
        day=day,
        by=official,
        kind="holiday",
        name="国庆节（更正）",
        source_notice_url=NOTICE_URLS[2025],
        reason="notice corrected",
    )
    latest = day.history.latest()
    assert latest.history_user == official
    assert latest.history_change_reason == "notice corrected"
    assert latest.name == "国庆节（更正）"
    assert latest.prev_record is not None and latest.prev_record.name == "国庆节"


def test_an_edit_changes_the_result_at_once(official) -> None:
    assert not is_workday(GOLDEN_WEEK_END)  # loads the calendar into memory
    before = Deadline(start=dt.date(2025, 9, 30), workdays=1).due_date
    assert before == dt.date(2025, 10, 9)
    calendar_day_update(
        day=CalendarDay.objects.get(date=GOLDEN_WEEK_END),
        by=official,
        kind="makeup_workday",
        name="国庆节",
        source_notice_url="",
    )
    assert is_workday(GOLDEN_WEEK_END)
    assert Deadline(start=dt.date(2025, 9, 30), workdays=1).due_date == GOLDEN_WEEK_END


def test_another_processs_edit_is_seen_through_the_cache_version(monkeypatch) -> None:
    assert not is_workday(GOLDEN_WEEK_END)
    # Another process edits the row and bumps the version; this process has not been told.
    CalendarDay.objects.filter(date=GOLDEN_WEEK_END).update(kind="makeup_workday")
    assert not is_workday(GOLDEN_WEEK_END)  # still the snapshot in memory
    cache.set(calendar_module.VERSION_CACHE_KEY, "bumped-elsewhere", timeout=None)
    monkeypatch.setattr(calendar_module, "_checked_at", 0.0)
    assert is_workday(GOLDEN_WEEK_END)


def test_entering_a_new_year_by_hand_makes_it_loaded(official) -> None:
    assert Deadline(start=dt.date(2027, 1, 1), workdays=5).provisional
    calendar_day_create(by=official, date=dt.date(2027, 1, 1), kind="holiday", name="元旦")
    assert not is_workday(dt.date(2027, 1, 1))
    assert not is_year_loaded(2027)
    calendar_year_save(by=official, year=2027, complete=True, notice_url="")
    assert is_year_loaded(2027)
    assert not Deadline(start=dt.date(2027, 1, 1), workdays=5).provisional
    result = calendar_load_from_package()
    assert result.created == 0
    assert CalendarYear.objects.get(year=2027).source == Source.ADMIN


def test_changing_the_calendar_needs_permission(django_user_model) -> None:
    clerk = django_user_model.objects.create_user("clerk", "c@example.org", "pw-123456789")
    with pytest.raises(PermissionDenied):
        calendar_day_update(
            day=CalendarDay.objects.get(date=GOLDEN_WEEK_END),
            by=clerk,
            kind="makeup_workday",
            name="",
            source_notice_url="",
        )
