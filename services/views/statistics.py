"""The public statistics page (数据统计) and its CSV export.

Period by query string: `period=year|half|month` with `year`, `half` (1, 2) or `month` (1-12);
`department` narrows to one department. Without a period the half-year in which the latest case
was accepted is shown. Charts are SVG drawn on the server, always next to a table of the same
figures.
"""

import csv
import html
import io
from decimal import Decimal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, numberformat, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from services.selectors.items_public import service_item_departments
from services.selectors.statistics import (
    Period,
    period_half,
    period_month,
    period_of_latest_cases,
    period_year,
    statistics_report,
)
from services.views.charts import bar_chart

PERIOD_KINDS = ("half", "year", "month")


def _int(value: str | None, low: int, high: int) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


def period_from_query(query) -> Period:  # noqa: ANN001 - a QueryDict or dict
    """The period a request asks for; invalid or missing values fall back to sensible ones."""
    kind = query.get("period", "")
    year = _int(query.get("year"), 1990, 2100)
    if kind not in PERIOD_KINDS or year is None:
        today = timezone.localdate()
        return period_of_latest_cases() or period_half(today.year, 1 if today.month <= 6 else 2)
    if kind == "year":
        return period_year(year)
    if kind == "month":
        return period_month(year, _int(query.get("month"), 1, 12) or 1)
    return period_half(year, _int(query.get("half"), 1, 2) or 1)


def _department(query) -> int | None:  # noqa: ANN001
    return _int(query.get("department"), 1, 2**62)


def _figure_rows(rows: list, *, link: tuple[str, str], committed: bool) -> str:
    """The table rows (`<tr>`) of `rows`, as the template's `{{ n }}` would render them.

    A table of a few hundred items rendered through an include per row cost most of the page's
    time (template lookups, and the locale's number format looked up for every number); the
    cells are built here, the format looked up once, and the output is the same bytes.
    `link` is the rows' link as (prefix, suffix) around the row's key (escaped here, once);
    `committed` adds the item's commitment.
    """
    # What `formats.number_format` (the template's `{{ n }}`) looks up for every number, once.
    language = get_language()
    separators = {
        name: formats.get_format(name, language, use_l10n=True)
        for name in ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")
    }
    # Without thousand separators `numberformat.format` gives an int's `str` (its own fast
    # path); the counts are ints, so most cells skip it.
    plain_ints = not (settings.USE_THOUSAND_SEPARATOR and separators["NUMBER_GROUPING"])

    formatted: dict[str, str] = {}  # a Decimal's text by its exact digits (rates repeat)

    def text(value) -> str:  # noqa: ANN001 - an int or a Decimal
        if plain_ints and type(value) is int:
            return str(value)
        key = str(value) if type(value) is Decimal else None
        if key is not None and key in formatted:
            return formatted[key]
        result = conditional_escape(
            numberformat.format(
                value,
                separators["DECIMAL_SEPARATOR"],
                None,
                separators["NUMBER_GROUPING"],
                separators["THOUSAND_SEPARATOR"],
                force_grouping=False,
                use_l10n=True,
            )
        )
        if key is not None:
            formatted[key] = result
        return result

    def percent(value) -> str:  # noqa: ANN001
        return "–" if value is None else f"{text(value)}%"

    def days(value) -> str:  # noqa: ANN001
        return "–" if value is None else text(value)

    prefix, suffix = (conditional_escape(part) for part in link)
    result = []
    for row in rows:
        median, p90 = row.median_and_p90_workdays
        name = row.name
        # `conditional_escape` of a plain string is `html.escape` (without Django's lazy wrapper)
        name = html.escape(name) if type(name) is str else conditional_escape(name)
        result.append(
            f'<tr><th scope="row"><a href="{prefix}{html.escape(str(row.key))}{suffix}">'
            f"{name}</a></th>"
            f"<td>{text(row.consultations)}</td>"
            f"<td>{text(row.accepted)}</td>"
            f"<td>{text(row.completed)}</td>"
            f"<td>{percent(row.completion_rate)}</td>"
            f"<td>{percent(row.on_time_rate)}</td>"
            f"<td>{text(row.deemed_approvals)}</td>"
            f"<td>{days(median)}</td>"
            f"<td>{days(p90)}</td>\n"
            + (f"<td>{text(row.committed_days)}</td>" if committed else "")
            + "</tr>"
        )
    return mark_safe("".join(result))  # noqa: S308 - every value escaped above


def _item_link() -> tuple[str, str]:
    """An item page's link as (prefix, suffix) around its id: the URL reversed once."""
    marker = 918273645
    prefix, suffix = reverse("services:item-detail", args=[marker]).split(str(marker))
    return prefix, suffix


def _department_options(department: int | None) -> str:
    """The department filter's `<option>`s (id and name only), as the template wrote them."""
    options = []
    for pk, name in service_item_departments().values_list("pk", "name"):
        selected = " selected" if pk == department else ""
        options.append(f'<option value="{pk}"{selected}>{html.escape(name)}</option>')
    return mark_safe("".join(options))  # noqa: S308 - the name escaped above


def statistics_page(request: HttpRequest) -> HttpResponse:
    """Figures for a period, the whole centre or one department, as charts and tables."""
    period = period_from_query(request.GET)
    department = _department(request.GET)
    report = statistics_report(period=period, entity_id=department)
    query = request.GET.urlencode()
    totals, by_entity = report["totals"], report["by_entity"]
    by_item, by_month = report["by_item"], report["by_month"]
    month_chart = bar_chart(
        title=_("Cases accepted and completed per month"),
        groups=[(f"{row['month']:%Y-%m}", [row["accepted"], row["completed"]]) for row in by_month],
        series=[_("Accepted"), _("Completed")],
    )
    rating_chart = bar_chart(
        title=_("Ratings by level"),
        groups=[(str(row["level"]), [row["count"]]) for row in totals.rating_distribution],
        series=[_("Ratings")],
        label_width=60,
    )
    return render(
        request,
        "services/statistics.html",
        {
            "period": period,
            "totals": totals,
            "by_entity": by_entity,
            "by_entity_rows": _figure_rows(
                by_entity, link=(f"?{query}&department=", ""), committed=False
            ),
            "by_item": by_item,
            "by_item_rows": _figure_rows(by_item, link=_item_link(), committed=True),
            "by_month": by_month,
            "month_chart": month_chart,
            "rating_chart": rating_chart,
            "department_options": _department_options(department),
            "department": department,
            "query": query,
            "years": range(timezone.localdate().year, 2004, -1),
            "months": range(1, 13),
        },
    )


CSV_COLUMNS = [
    "level",
    "name",
    "consultations",
    "accepted",
    "completed",
    "completion_rate",
    "on_time",
    "on_time_rate",
    "deemed_approvals",
    "median_workdays",
    "p90_workdays",
    "committed_days",
    "ratings_5",
    "ratings_4",
    "ratings_3",
    "ratings_2",
    "ratings_1",
]


def _csv_row(level: str, name: str, figures) -> list:  # noqa: ANN001
    data = figures.as_dict()
    return [
        level,
        name,
        *("" if data[key] is None else data[key] for key in CSV_COLUMNS[2:12]),
        *(data["ratings"][str(n)] for n in (5, 4, 3, 2, 1)),
    ]


def statistics_csv(request: HttpRequest) -> HttpResponse:
    """The same figures as the page, as CSV (UTF-8 with BOM for spreadsheet programs)."""
    period = period_from_query(request.GET)
    department = _department(request.GET)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"service-statistics-{period.first:%Y%m%d}-{period.last:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # written to a buffer and into the response at once (a response write per row cost more
    # than the rows)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(
        ["period_first", period.first.isoformat(), "period_last", period.last.isoformat()]
    )
    writer.writerow(CSV_COLUMNS)
    report = statistics_report(period=period, entity_id=department)
    writer.writerow(_csv_row("total", "", report["totals"]))
    for row in report["by_entity"]:
        writer.writerow(_csv_row("department", row.name, row))
    for row in report["by_item"]:
        writer.writerow(_csv_row("item", row.name, row))
    response.write(buffer.getvalue())
    return response
