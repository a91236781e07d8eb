"""Reads for the annual report: Tables 二-四 computed from the data, the form's checks, exports.

Two formats, by year: the 2019 trial format (国办公开办函〔2019〕60号) for the reports on 2019
and 2020, and the 2021 format (国办公开办函〔2021〕30号, issued in September 2021) from the
report on 2021. They differ in Table 二 (the 2019 format counts items made/published/disclosed
in total, item numbers last year and their change, and has a government-procurement row for
Art 20 (9)) and in Table 三, where the 2019 format has （六）其他处理 as one row and the 2021
format splits it into three. Table 四 is the same. Information-processing fees collected
(国办函〔2020〕109号) are summed from the recorded payments for section 六.

Counting rules for Table 三, so that the form's own check
一 + 二 = 三（七） + 四 holds whenever the data are whole:
- 一 本年新收: received in the year (date of receipt, 条例 Art 31);
- 二 上年结转: received before the year and not concluded before it;
- 三 办理结果: concluded in the year (replied, deemed abandoned, or lapsed), by outcome;
- 四 结转下年度: received by the year's end and not concluded by it.
Table 四 counts the appeals filed in the year by their result as known when the report is made.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from disclosure.models.reports import AnnualReport
from disclosure.models.requests import (
    OUTCOME_GROUP_LABELS,
    OUTCOME_GROUPS,
    ApplicantType,
    InformationRequest,
    Outcome,
    RequestAppeal,
)
from disclosure.selectors.entities import normative_document_counts

FORMATS = ("2019", "2021")
FIRST_YEAR_2019_FORMAT = 2019  # the revised Regulation's first year (in force 2019-05-15)
FIRST_YEAR_2021_FORMAT = 2021  # 国办公开办函〔2021〕30号 came in September 2021

COLUMNS: tuple[str, ...] = (*ApplicantType.values, "total")
TABLE3_ROWS: tuple[str, ...] = ("new", "carried_in", *Outcome.values, "total", "carried_out")
APPEAL_KINDS: tuple[str, ...] = tuple(RequestAppeal.Kind.values)
APPEAL_RESULTS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")

# Translators: 一、本年新收政府信息公开申请数量 etc. — the row captions of Table 三.
ROW_LABELS = {
    # Translators: 一、本年新收政府信息公开申请数量
    "new": gettext_lazy("1. Applications received this year"),
    # Translators: 二、上年结转政府信息公开申请数量
    "carried_in": gettext_lazy("2. Applications carried over from last year"),
    # Translators: 三、本年度办理结果
    "results": gettext_lazy("3. Results this year"),
    # Translators: （七）总计
    "total": gettext_lazy("(7) Total"),
    # Translators: 四、结转下年度继续办理
    "carried_out": gettext_lazy("4. Carried over to next year"),
}


def report_format_for_year(year: int) -> str:
    """The report format a year's report uses: "2019" for 2019 and 2020, "2021" from 2021.

    The 2021 notice was issued on 26 September 2021, after the reports on 2020 had been
    published in the 2019 trial format; years before the revised Regulation (2019) had no
    national table format and are refused with a clear error.
    """
    if year < FIRST_YEAR_2019_FORMAT:
        raise ValueError(
            _(
                "Reports before 2019 predate the revised Regulation and its report format; "
                "they cannot be generated here."
            )
        )
    return "2019" if year < FIRST_YEAR_2021_FORMAT else "2021"


def _scope(queryset: QuerySet, entity_id: int | None, field: str) -> QuerySet:
    return queryset if entity_id is None else queryset.filter(**{field: entity_id})


def report_table3(*, year: int, entity_id: int | None) -> dict[str, dict[str, int]]:
    """Table 三: applications by applicant type × row, with totals (two queries)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    requests = _scope(InformationRequest.objects.received(), entity_id, "entity_id")
    table = {row: dict.fromkeys(COLUMNS, 0) for row in TABLE3_ROWS}
    per_type = requests.values("applicant_type").annotate(
        new=Count("pk", filter=Q(received_date__range=(first, last))),
        carried_in=Count(
            "pk",
            filter=Q(received_date__lt=first)
            & (Q(concluded_date__isnull=True) | Q(concluded_date__gte=first)),
        ),
        carried_out=Count(
            "pk",
            filter=Q(received_date__lte=last)
            & (Q(concluded_date__isnull=True) | Q(concluded_date__gt=last)),
        ),
    )
    for row in per_type:
        for key in ("new", "carried_in", "carried_out"):
            table[key][row["applicant_type"]] += row[key]
    outcomes = (
        requests.filter(concluded_date__range=(first, last))
        .values("applicant_type", "outcome")
        .annotate(n=Count("pk"))
    )
    for row in outcomes:
        table[row["outcome"]][row["applicant_type"]] += row["n"]
        table["total"][row["applicant_type"]] += row["n"]
    for values in table.values():
        values["total"] = sum(values[c] for c in ApplicantType.values)
    return table


def report_table4(*, year: int, entity_id: int | None) -> dict[str, dict[str, int]]:
    """Table 四: reconsiderations and lawsuits filed in the year, by result."""
    appeals = _scope(
        RequestAppeal.objects.filter(filed_date__year=year), entity_id, "request__entity_id"
    )
    table = {kind: dict.fromkeys(APPEAL_RESULTS, 0) for kind in APPEAL_KINDS}
    for row in appeals.values("kind", "result").annotate(n=Count("pk")):
        table[row["kind"]][row["result"]] += row["n"]
        table[row["kind"]]["total"] += row["n"]
    return table


def _amount(value: object) -> str:
    return str(Decimal(value or 0).quantize(Decimal("0.0001")))


def report_table2(
    *, year: int, entity_id: int | None, report: AnnualReport | None, version: str = "2021"
) -> dict:
    """Table 二: normative documents from the filings; the rest from the report's inputs.

    The 2019 format adds the item counts (上一年项目数量, 本年增/减), other management services
    and government procurement (Art 20 (9)); its fee row has no amount.
    """
    normative = normative_document_counts(year, entity_id=entity_id)
    inputs = report or AnnualReport(year=year)
    table = {
        "rules": {
            "issued": inputs.rules_issued,
            "repealed": inputs.rules_repealed,
            "in_force": inputs.rules_in_force,
        },
        "normative": normative,
        "licensing": inputs.licensing_decisions,
        "penalty": inputs.penalty_decisions,
        "coercion": inputs.coercion_decisions,
        "fees": _amount(inputs.fees_collected),
    }
    if version == "2019":
        table["items"] = {
            key: {
                "last_year": getattr(inputs, f"{key}_items_last_year"),
                "change": getattr(inputs, f"{key}_items_change"),
            }
            for key in ITEM_ROWS_2019
        }
        table["other_services"] = inputs.other_services_decisions
        table["procurement"] = {
            "projects": inputs.procurement_projects,
            "amount": _amount(inputs.procurement_amount),
        }
    return table


ITEM_ROWS_2019 = ("licensing", "other_services", "penalty", "coercion", "fee")


def report_information_fees(*, year: int, entity_id: int | None) -> Decimal:
    """Information-processing fees paid in `year` (yuan), from the recorded payments.

    国办函〔2020〕109号: the fee is paid after a fee notice; a lapsed notice collected nothing.
    The 2021 format reports the amount under 六、其他需要报告的事项.
    """
    requests = _scope(
        InformationRequest.objects.filter(fee_paid_date__year=year), entity_id, "entity_id"
    )
    return requests.aggregate(total=Sum("fee_amount"))["total"] or Decimal(0)


def report_tables(*, year: int, entity_id: int | None, report: AnnualReport | None = None) -> dict:
    """Tables 二, 三 and 四 of the year's report for an entity (or the district, None).

    Also the information-processing fees collected in the year (`information_fees`, yuan), for
    section 六.
    """
    version = report_format_for_year(year)
    return {
        "format": version,
        "year": year,
        "table2": report_table2(year=year, entity_id=entity_id, report=report, version=version),
        "table3": report_table3(year=year, entity_id=entity_id),
        "table4": report_table4(year=year, entity_id=entity_id),
        "information_fees": str(
            report_information_fees(year=year, entity_id=entity_id).quantize(Decimal("0.01"))
        ),
    }


@dataclass(frozen=True)
class ReportCheckError:
    """One failed check of the form: a code for machines and a sentence for the office."""

    code: str
    message: str


def report_checks(tables: dict, previous: dict | None = None) -> list[ReportCheckError]:
    """The form's own checks, as errors to fix (an empty list when the report is consistent).

    一 + 二 = 三（七） + 四 in every column; （七）总计 is the sum of the outcome rows; totals are
    the sums of their columns; with last year's tables: 二 = last year's 四 and
    现行有效(y) = 现行有效(y−1) + 制发(y) − 废止(y) for 规章 and 行政规范性文件.
    """
    errors: list[ReportCheckError] = []
    t3 = tables["table3"]
    for column in COLUMNS:
        left = t3["new"][column] + t3["carried_in"][column]
        right = t3["total"][column] + t3["carried_out"][column]
        if left != right:
            errors.append(
                ReportCheckError(
                    "table3_balance",
                    _("Table 3, column %(column)s: 1 + 2 = %(left)s but 3(7) + 4 = %(right)s.")
                    % {"column": _column_label(column), "left": left, "right": right},
                )
            )
        outcome_sum = sum(t3[o][column] for o in Outcome.values)
        if outcome_sum != t3["total"][column]:
            errors.append(
                ReportCheckError(
                    "table3_total",
                    _("Table 3, column %(column)s: the results add up to %(sum)s, not %(total)s.")
                    % {
                        "column": _column_label(column),
                        "sum": outcome_sum,
                        "total": t3["total"][column],
                    },
                )
            )
    for row, values in t3.items():
        if sum(values[c] for c in ApplicantType.values) != values["total"]:
            errors.append(
                ReportCheckError(
                    "table3_row_total",
                    _("Table 3, row %(row)s: the total is not the sum of the columns.")
                    % {"row": row},
                )
            )
    for kind, values in tables["table4"].items():
        if sum(values[r] for r in APPEAL_RESULTS if r != "total") != values["total"]:
            errors.append(
                ReportCheckError(
                    "table4_total",
                    _("Table 4, %(kind)s: the total is not the sum of the results.")
                    % {"kind": RequestAppeal.Kind(kind).label},
                )
            )
    if previous:
        for column in COLUMNS:
            if t3["carried_in"][column] != previous["table3"]["carried_out"][column]:
                errors.append(
                    ReportCheckError(
                        "table3_carried_over",
                        _(
                            "Table 3, column %(column)s: carried over from last year is %(now)s, "
                            "but last year's report carried %(then)s to this year."
                        )
                        % {
                            "column": _column_label(column),
                            "now": t3["carried_in"][column],
                            "then": previous["table3"]["carried_out"][column],
                        },
                    )
                )
        for key, label in (("rules", _("rules")), ("normative", _("normative documents"))):
            now, before = tables["table2"][key], previous["table2"][key]
            expected = before["in_force"] + now["issued"] - now["repealed"]
            if now["in_force"] != expected:
                errors.append(
                    ReportCheckError(
                        "table2_in_force",
                        _(
                            "Table 2, %(row)s: %(now)s in force, but last year's %(before)s + "
                            "%(issued)s issued − %(repealed)s repealed = %(expected)s."
                        )
                        % {
                            "row": label,
                            "now": now["in_force"],
                            "before": before["in_force"],
                            "issued": now["issued"],
                            "repealed": now["repealed"],
                            "expected": expected,
                        },
                    )
                )
        if "items" in tables["table2"] and "items" in previous["table2"]:
            for key in ITEM_ROWS_2019:
                now = tables["table2"]["items"][key]["last_year"]
                before = previous["table2"]["items"][key]
                expected = before["last_year"] + before["change"]
                if now != expected:
                    errors.append(
                        ReportCheckError(
                            "table2_items",
                            _(
                                "Table 2, %(row)s: %(now)s items last year, but last year's "
                                "report gives %(before)s %(change)+d = %(expected)s."
                            )
                            % {
                                "row": ITEM_ROW_LABELS[key],
                                "now": now,
                                "before": before["last_year"],
                                "change": before["change"],
                                "expected": expected,
                            },
                        )
                    )
    return errors


def _column_label(column: str) -> str:
    return str(_("Total")) if column == "total" else str(ApplicantType(column).label)


def report_previous_tables(*, year: int, entity_id: int | None) -> dict | None:
    """Last year's published tables for the same scope, or None."""
    previous = (
        AnnualReport.objects.filter(
            year=year - 1, entity_id=entity_id, status=AnnualReport.Status.PUBLISHED
        )
        .only("tables")
        .first()
    )
    return previous.tables if previous and previous.tables else None


def report_published_list() -> QuerySet[AnnualReport]:
    """Published reports, newest year first, with their entity (the public list)."""
    return (
        AnnualReport.objects.filter(status=AnnualReport.Status.PUBLISHED)
        .select_related("entity")
        .order_by("-year", "entity__sort_order", "entity__name", "id")
    )


def report_get_published(*, scope: str, year: int) -> AnnualReport | None:
    """A published report by URL scope ("district" or an entity id) and year, or None."""
    reports = report_published_list().filter(year=year)
    if scope == "district":
        return reports.filter(entity__isnull=True).first()
    if not scope.isdigit():
        return None
    return reports.filter(entity_id=int(scope)).first()


def report_display_tables(report: AnnualReport) -> dict:
    """The tables to show: frozen at publication, else computed now (a draft's preview)."""
    if report.status == AnnualReport.Status.PUBLISHED and report.tables:
        return report.tables
    return report_tables(year=report.year, entity_id=report.entity_id, report=report)


# --- Presentation: the tables as labelled rows (page, CSV and XLSX share them) ----------------


ITEM_ROW_LABELS = {
    # Translators: 行政许可
    "licensing": gettext_lazy("Administrative licensing"),
    # Translators: 其他对外管理服务事项
    "other_services": gettext_lazy("Other external management services"),
    # Translators: 行政处罚
    "penalty": gettext_lazy("Administrative penalties"),
    # Translators: 行政强制
    "coercion": gettext_lazy("Administrative coercion"),
    # Translators: 行政事业性收费
    "fee": gettext_lazy("Administrative fees"),
}


@dataclass(frozen=True)
class Table2Block:
    """One captioned block of Table 二 (an item of 条例 Art 20): its column heads and rows."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]  # (category, figure, figure, ...)


def report_table2_blocks(tables: dict) -> list[Table2Block]:
    """Table 二 as the form prints it, block by block, in the report's format."""
    t2 = tables["table2"]
    # The form numbers the items in Chinese numerals: 第二十条第（一）项.
    numerals = {
        "1": pgettext("item of an article", "1"),
        "5": pgettext("item of an article", "5"),
        "6": pgettext("item of an article", "6"),
        "8": pgettext("item of an article", "8"),
        "9": pgettext("item of an article", "9"),
    }
    art = {n: _("Art 20 (%(item)s)") % {"item": numeral} for n, numeral in numerals.items()}
    if tables.get("format") == "2019":
        made = (_("New this year"), _("Newly published this year"), _("Total disclosed"))
        items = (_("Items last year"), _("Change this year"), _("Decisions"))

        def item_row(key: str, decisions: Any) -> tuple[Any, ...]:
            values = t2["items"][key]
            return (str(ITEM_ROW_LABELS[key]), values["last_year"], values["change"], decisions)

        return [
            Table2Block(
                art["1"],
                made,
                (
                    (
                        _("Rules"),
                        t2["rules"]["issued"],
                        t2["rules"]["issued"],
                        t2["rules"]["in_force"],
                    ),
                    (
                        _("Normative documents"),
                        t2["normative"]["issued"],
                        t2["normative"]["issued"],
                        t2["normative"]["in_force"],
                    ),
                ),
            ),
            Table2Block(
                art["5"],
                items,
                (
                    item_row("licensing", t2["licensing"]),
                    item_row("other_services", t2["other_services"]),
                ),
            ),
            Table2Block(
                art["6"],
                items,
                (item_row("penalty", t2["penalty"]), item_row("coercion", t2["coercion"])),
            ),
            Table2Block(art["8"], items[:2], (item_row("fee", None)[:3],)),
            Table2Block(
                art["9"],
                (_("Procurement projects"), _("Total procurement (10,000 yuan)")),
                (
                    (
                        _("Government centralised procurement"),
                        t2["procurement"]["projects"],
                        t2["procurement"]["amount"],
                    ),
                ),
            ),
        ]
    decided = (_("Decisions this year"),)
    return [
        Table2Block(
            art["1"],
            (_("Issued this year"), _("Repealed this year"), _("In force at year end")),
            (
                (
                    _("Rules"),
                    t2["rules"]["issued"],
                    t2["rules"]["repealed"],
                    t2["rules"]["in_force"],
                ),
                (
                    _("Administrative normative documents"),
                    t2["normative"]["issued"],
                    t2["normative"]["repealed"],
                    t2["normative"]["in_force"],
                ),
            ),
        ),
        Table2Block(art["5"], decided, ((_("Administrative licensing"), t2["licensing"]),)),
        Table2Block(
            art["6"],
            decided,
            (
                (_("Administrative penalties"), t2["penalty"]),
                (_("Administrative coercion"), t2["coercion"]),
            ),
        ),
        Table2Block(
            art["8"],
            (_("Amount collected this year (10,000 yuan)"),),
            ((_("Administrative fees"), t2["fees"]),),
        ),
    ]


def report_table2_rows(tables: dict) -> list[list[Any]]:
    """Table 二 as flat rows [caption, category, figures...] (CSV, XLSX and the admin)."""
    return [[block.caption, *row] for block in report_table2_blocks(tables) for row in block.rows]


def report_table3_rows(tables: dict) -> list[dict[str, Any]]:
    """Table 三 as rows: {code, label, level, values: [per column]}; group headers have none."""
    t3 = tables["table3"]

    def row(code: str, label: Any, level: int) -> dict[str, Any]:
        return {
            "code": code,
            "label": str(label),
            "level": level,
            "values": [t3[code][c] for c in COLUMNS],
        }

    rows = [row("new", ROW_LABELS["new"], 0), row("carried_in", ROW_LABELS["carried_in"], 0)]
    rows.append(
        {"code": "results", "label": str(ROW_LABELS["results"]), "level": 0, "values": None}
    )
    merged = tables.get("format") == "2019"  # 2019: （六）其他处理 is one row
    for group, numeral, outcomes in OUTCOME_GROUPS:
        if merged and group == "other":
            rows.append(
                {
                    "code": group,
                    "label": f"{numeral}{OUTCOME_GROUP_LABELS[group]}",
                    "level": 1,
                    "values": [sum(t3[o][c] for o in outcomes) for c in COLUMNS],
                }
            )
            continue
        if len(outcomes) == 1:
            rows.append(row(outcomes[0], f"{numeral}{OUTCOME_GROUP_LABELS[group]}", 1))
            continue
        rows.append(
            {
                "code": group,
                "label": f"{numeral}{OUTCOME_GROUP_LABELS[group]}",
                "level": 1,
                "values": None,
            }
        )
        for number, outcome in enumerate(outcomes, start=1):
            rows.append(row(outcome, f"{number}. {Outcome(outcome).label}", 2))
    rows.append(row("total", ROW_LABELS["total"], 1))
    rows.append(row("carried_out", ROW_LABELS["carried_out"], 0))
    return rows


def report_table4_values(tables: dict) -> list[int]:
    """Table 四's 15 figures in the form's column order."""
    return [tables["table4"][kind][result] for kind in APPEAL_KINDS for result in APPEAL_RESULTS]


def report_column_labels() -> list[str]:
    """Table 三's column captions."""
    return [_column_label(c) for c in COLUMNS]
