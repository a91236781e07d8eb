"""Public pages of the annual reports: the list, a report (print stylesheet for A4), CSV, XLSX.

The page and the exports follow the report's format (2019 trial or 2021): Table 二 is printed
block by block with the format's own column heads.
"""

import csv
import io
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from disclosure.models.reports import AnnualReport
from disclosure.models.requests import RequestAppeal
from disclosure.selectors.reports import (
    APPEAL_KINDS,
    APPEAL_RESULTS,
    report_column_labels,
    report_display_tables,
    report_get_published,
    report_published_list,
    report_table2_blocks,
    report_table3_rows,
    report_table4_values,
)


def report_list(request: HttpRequest) -> HttpResponse:
    """Every published annual report, newest year first."""
    return render(request, "disclosure/report_list.html", {"reports": report_published_list()})


def _published_or_404(scope: str, year: int) -> AnnualReport:
    report = report_get_published(scope=scope, year=year)
    if report is None:
        raise Http404
    return report


def _result_labels() -> list[str]:
    labels = {**dict(RequestAppeal.Result.choices), "total": _("Total")}
    return [str(labels[r]) for r in APPEAL_RESULTS]


def report_detail(request: HttpRequest, scope: str, year: int) -> HttpResponse:
    """A published report: sections 一-六 with Tables 二-四."""
    report = _published_or_404(scope, year)
    tables = report_display_tables(report)
    return render(
        request,
        "disclosure/report_detail.html",
        {
            "report": report,
            "table2_blocks": report_table2_blocks(tables),
            "information_fees": _information_fees(tables),
            "table3_rows": report_table3_rows(tables),
            "columns": report_column_labels(),
            "table4": [
                (
                    str(RequestAppeal.Kind(kind).label),
                    [tables["table4"][kind][r] for r in APPEAL_RESULTS],
                )
                for kind in APPEAL_KINDS
            ],
            "result_labels": _result_labels(),
        },
    )


def _information_fees(tables: dict) -> str | None:
    """The information-processing fees for section 六: always in the 2021 format, else if any."""
    fees = tables.get("information_fees")
    if fees is None:
        return None
    if tables.get("format") != "2021" and Decimal(fees) == 0:
        return None
    return fees


def report_rows(report: AnnualReport) -> list[list[object]]:
    """The report's tables as plain rows, for CSV and XLSX (the same figures as the page)."""
    tables = report_display_tables(report)
    scope = report.entity.name if report.entity_id else _("District")
    rows: list[list[object]] = [
        [_("Annual report on open government information"), scope, report.year]
    ]
    rows.append([])
    rows.append([_("Table 2: proactive disclosure")])
    for block in report_table2_blocks(tables):
        rows.append([block.caption, "", *block.headers])
        rows += [["", *row] for row in block.rows]
    rows.append([])
    rows.append([_("Table 3: applications received and handled"), *report_column_labels()])
    for row in report_table3_rows(tables):
        rows.append([row["label"], *(row["values"] or [])])
    rows.append([])
    rows.append([_("Table 4: administrative reconsideration and litigation")])
    header = []
    for kind in APPEAL_KINDS:
        header += [f"{RequestAppeal.Kind(kind).label} · {label}" for label in _result_labels()]
    rows.append(header)
    rows.append(report_table4_values(tables))
    fees = _information_fees(tables)
    if fees is not None:
        rows.append([])
        rows.append([_("Information-processing fees collected this year (yuan)"), fees])
    return [[str(cell) if not isinstance(cell, int) else cell for cell in row] for row in rows]


def report_csv(request: HttpRequest, scope: str, year: int) -> HttpResponse:
    """The report's tables as CSV (UTF-8 with a byte-order mark, for spreadsheet programs)."""
    report = _published_or_404(scope, year)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer).writerows(report_rows(report))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="report-{scope}-{year}.csv"'
    return response


def report_xlsx(request: HttpRequest, scope: str, year: int) -> HttpResponse:
    """The report's tables as an XLSX workbook (one sheet)."""
    from openpyxl import Workbook

    report = _published_or_404(scope, year)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(year)
    for row in report_rows(report):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="report-{scope}-{year}.xlsx"'
    return response
