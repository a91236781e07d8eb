"""Load the statutory calendar from the `chinesecalendar` package into the calendar tables.

One function, `calendar_rows_load`, serves both the data migration (with the migration's
historical models) and the `calendar_load_from_package` action (with the real models), so that a
new database and a rerun after a package update take the same path. It only touches plain fields
(`date`, `kind`, `name`, `source_notice_url`, `source`; `year`, `loaded_at`, `source`,
`notice_url`, `complete`) so that it keeps working with the migration's frozen models.

Rules, so that a rerun is idempotent and never undoes an official's work:
- a day whose row has `source="admin"` (entered or edited by an official) is left as it is;
- a day an official deleted in the admin (its history holds a deletion of an admin row) is not
  re-created;
- package rows that the package no longer lists (a correction upstream) are deleted;
- a `CalendarYear` whose `source` is "admin" is left as it is.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import chinese_calendar
from chinese_calendar.constants import Holiday

# The State Council's annual notices (国务院办公厅关于 YYYY 年部分节假日安排的通知) on www.gov.cn.
# chinesecalendar does not ship them; years before 2012 are left blank rather than guessed.
NOTICE_URLS: dict[int, str] = {
    2012: "http://www.gov.cn/zwgk/2011-12/06/content_2012097.htm",
    2013: "http://www.gov.cn/zwgk/2012-12/10/content_2286598.htm",
    2014: "http://www.gov.cn/zwgk/2013-12/11/content_2546204.htm",
    2015: "http://www.gov.cn/zhengce/content/2014-12/16/content_9302.htm",
    2016: "http://www.gov.cn/zhengce/content/2015-12/10/content_10394.htm",
    2017: "http://www.gov.cn/zhengce/content/2016-12/01/content_5141603.htm",
    2018: "http://www.gov.cn/zhengce/content/2017-11/30/content_5243579.htm",
    2019: "http://www.gov.cn/zhengce/content/2018-12/06/content_5346276.htm",
    2020: "http://www.gov.cn/zhengce/content/2019-11/21/content_5454164.htm",
    2021: "http://www.gov.cn/zhengce/content/2020-11/25/content_5564127.htm",
    2022: "http://www.gov.cn/zhengce/content/2021-10/25/content_5644835.htm",
    2023: "http://www.gov.cn/zhengce/content/2022-12/08/content_5730844.htm",
    2024: "https://www.gov.cn/zhengce/content/202310/content_6911527.htm",
    2025: "https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm",
    2026: "https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm",
}

HOLIDAY = "holiday"
MAKEUP_WORKDAY = "makeup_workday"
PACKAGE = "package"
ADMIN = "admin"
LOAD_CHANGE_REASON = "load_calendar"


@dataclass(frozen=True)
class PackageDay:
    """One day as the package states it."""

    date: datetime.date
    kind: str
    name: str
    notice_url: str


@dataclass
class LoadResult:
    """What a load did, for the command's report and for tests."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    kept_admin: list[datetime.date] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def _chinese_name(value: str) -> str:
    """The Chinese name of a package holiday value ("Spring Festival" -> "春节")."""
    try:
        return Holiday(value).chinese
    except ValueError:
        return value


def _schedule_year(day: datetime.date, name: str) -> int:
    """The year whose notice fixed `day`: late-December days for New Year's Day belong to next."""
    if day.month == 12 and name == Holiday.new_years_day.chinese:
        return day.year + 1
    return day.year


def package_days() -> dict[datetime.date, PackageDay]:
    """Every holiday and make-up working day the installed chinesecalendar package lists."""
    days: dict[datetime.date, PackageDay] = {}
    for source, kind in (
        (chinese_calendar.holidays, HOLIDAY),
        (chinese_calendar.workdays, MAKEUP_WORKDAY),
    ):
        for day, value in source.items():
            name = _chinese_name(value)
            url = NOTICE_URLS.get(_schedule_year(day, name), "")
            days[day] = PackageDay(date=day, kind=kind, name=name, notice_url=url)
    return days


def package_years() -> range:
    """The years the installed package covers completely (its own supported range)."""
    years = [day.year for day in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def _record_creation(
    historical_day_model: Any, day_model: Any, rows: list[Any], now: datetime.datetime
) -> None:
    """Write the "+" history rows for days created without the history signals (migration)."""
    ids = dict(
        day_model.objects.filter(date__in=[row.date for row in rows]).values_list("date", "pk")
    )
    historical_day_model.objects.bulk_create(
        [
            historical_day_model(
                id=ids[row.date],
                date=row.date,
                kind=row.kind,
                name=row.name,
                source_notice_url=row.source_notice_url,
                source=row.source,
                updated_at=now,
                history_date=now,
                history_type="+",
                history_change_reason=LOAD_CHANGE_REASON,
            )
            for row in rows
        ],
        batch_size=500,
    )


def calendar_rows_load(
    *,
    day_model: Any,
    year_model: Any,
    historical_day_model: Any | None,
    now: datetime.datetime,
    bulk_create: Callable[[list[Any]], None] | None = None,
    bulk_update: Callable[[list[Any], list[str]], None] | None = None,
) -> LoadResult:
    """Bring the calendar tables in line with the package, keeping what officials entered.

    `bulk_create`/`bulk_update` let the action record history for the rows it writes; the data
    migration passes none and plain bulk operations are used.
    """
    result = LoadResult()
    wanted = package_days()
    years = package_years()
    first, last = datetime.date(years.start, 1, 1), datetime.date(years.stop - 1, 12, 31)
    first = min(first, *wanted)
    last = max(last, *wanted)

    existing = {row.date: row for row in day_model.objects.filter(date__range=(first, last))}
    deleted_by_officials: set[datetime.date] = set()
    if historical_day_model is not None:
        deleted_by_officials = set(
            historical_day_model.objects.filter(
                date__range=(first, last), history_type="-", source=ADMIN
            ).values_list("date", flat=True)
        ) - set(existing)

    to_create, to_update = [], []
    for day, spec in sorted(wanted.items()):
        row = existing.get(day)
        if row is None:
            if day in deleted_by_officials:
                result.kept_admin.append(day)
                continue
            to_create.append(
                day_model(
                    date=day,
                    kind=spec.kind,
                    name=spec.name,
                    source_notice_url=spec.notice_url,
                    source=PACKAGE,
                )
            )
        elif row.source == ADMIN:
            result.kept_admin.append(day)
        elif (row.kind, row.name, row.source_notice_url) != (
            spec.kind,
            spec.name,
            spec.notice_url,
        ):
            row.kind, row.name, row.source_notice_url = spec.kind, spec.name, spec.notice_url
            to_update.append(row)
        else:
            result.unchanged += 1

    stale = [
        row
        for day, row in existing.items()
        if row.source == PACKAGE and day not in wanted and day.year in years
    ]
    for row in stale:
        row.delete()
    result.deleted = len(stale)

    if to_create:
        if bulk_create is not None:
            bulk_create(to_create)
        else:
            day_model.objects.bulk_create(to_create, batch_size=500)
            if historical_day_model is not None:
                _record_creation(historical_day_model, day_model, to_create, now)
    if to_update:
        fields = ["kind", "name", "source_notice_url", "updated_at"]
        for row in to_update:
            row.updated_at = now
        if bulk_update is not None:
            bulk_update(to_update, fields)
        else:
            day_model.objects.bulk_update(to_update, fields, batch_size=500)
    result.created, result.updated = len(to_create), len(to_update)

    for year in years:
        row = year_model.objects.filter(year=year).first()
        if row is None:
            year_model.objects.create(
                year=year,
                loaded_at=now,
                source=PACKAGE,
                notice_url=NOTICE_URLS.get(year, ""),
                complete=True,
            )
        elif row.source == PACKAGE and (
            row.notice_url != NOTICE_URLS.get(year, "") or not row.complete
        ):
            row.notice_url, row.complete, row.loaded_at = NOTICE_URLS.get(year, ""), True, now
            row.save(update_fields=["notice_url", "complete", "loaded_at"])
        result.years.append(year)
    return result
