"""The annual report in its two formats (2019 trial for 2019-2020, 2021 from 2021), every cell
computed by hand; information-processing fees summed from the recorded payments for section 六.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from disclosure.actions import requests as actions
from disclosure.actions.reports import report_generate, report_inputs_update, report_publish
from disclosure.models.requests import ApplicantType, Outcome
from disclosure.selectors.reports import (
    COLUMNS,
    report_checks,
    report_information_fees,
    report_previous_tables,
    report_table2_blocks,
    report_table3_rows,
    report_tables,
)
from tests.factories.disclosure import AdministrativeEntityFactory, make_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]
D = dt.date

INPUTS_2020 = {
    "rules_issued": 1,
    "rules_in_force": 5,
    "licensing_decisions": 120,
    "penalty_decisions": 30,
    "coercion_decisions": 2,
    "licensing_items_last_year": 40,
    "licensing_items_change": 2,
    "other_services_items_last_year": 10,
    "other_services_items_change": -1,
    "other_services_decisions": 55,
    "penalty_items_last_year": 25,
    "penalty_items_change": 0,
    "coercion_items_last_year": 3,
    "coercion_items_change": 0,
    "fee_items_last_year": 4,
    "fee_items_change": -1,
    "procurement_projects": 6,
    "procurement_amount": "123.45",
}


def _reply(entity, handler, kind, received, outcome, on):  # noqa: ANN001, ANN202
    request = make_request(entity=entity, received=received, by=handler, applicant_type=kind)
    return actions.request_reply(request=request, by=handler, outcome=outcome, on=on)


def _year_2020(handler):  # noqa: ANN001, ANN202
    entity = AdministrativeEntityFactory()
    # carried in from 2019, replied in January
    _reply(entity, handler, "natural_person", D(2019, 12, 23), "disclosed", D(2020, 1, 8))
    _reply(entity, handler, "commercial", D(2020, 3, 2), "withheld_third_party", D(2020, 3, 9))
    # deemed abandoned after a correction notice (其他处理, one row in the 2019 format)
    r3 = make_request(entity=entity, received=D(2020, 5, 11), by=handler, applicant_type="research")
    r3 = actions.request_correction_ask(
        request=r3, by=handler, items="请写明文件名称", on=D(2020, 5, 12), period_workdays=5
    )
    actions.request_abandon(request=r3, by=handler, on=D(2020, 5, 29))
    # a fee notice not paid: lapsed (其他处理), nothing collected
    r4 = make_request(
        entity=entity, received=D(2020, 6, 1), by=handler, applicant_type="legal_service"
    )
    r4 = actions.request_review_start(request=r4, by=handler)
    r4 = actions.request_fee_notify(
        request=r4, by=handler, method="by_volume", pages=100, on=D(2020, 6, 3)
    )
    actions.request_fee_lapse(request=r4, by=handler, on=D(2020, 7, 15))
    _reply(entity, handler, "public_interest", D(2020, 7, 1), "other", D(2020, 7, 6))
    # still open at the year's end: carried over to 2021
    make_request(entity=entity, received=D(2020, 12, 21), by=handler, applicant_type="other_org")
    r7 = _reply(
        entity, handler, "natural_person", D(2020, 9, 7), "not_handled_repeat", D(2020, 9, 10)
    )
    appeal = actions.request_appeal_record(
        request=r7, by=handler, kind="litigation_after", filed_date=D(2020, 10, 12)
    )
    actions.request_appeal_decide(appeal=appeal, by=handler, result="other", on=D(2020, 12, 1))
    return entity


def _row(**cells: int) -> list[int]:
    values = [cells.get(column, 0) for column in ApplicantType.values]
    return [*values, sum(values)]


def test_a_2020_report_in_the_2019_format_cell_by_cell(handler) -> None:
    entity = _year_2020(handler)
    report = report_generate(entity=entity, year=2020, by=handler)
    report = report_inputs_update(report=report, by=handler, values=INPUTS_2020)
    assert report.template_version == "2019"
    tables = report_tables(year=2020, entity_id=entity.pk, report=report)
    assert tables["format"] == "2019"

    # Table 二, block by block: (1) new / newly published / total disclosed; (5) and (6) items
    # last year / change / decisions; (8) items last year / change; (9) projects / amount
    blocks = report_table2_blocks(tables)
    assert [len(block.headers) for block in blocks] == [3, 3, 3, 2, 2]
    assert [[list(row[1:]) for row in block.rows] for block in blocks] == [
        [[1, 1, 5], [0, 0, 0]],
        [[40, 2, 120], [10, -1, 55]],
        [[25, 0, 30], [3, 0, 2]],
        [[4, -1]],
        [[6, "123.4500"]],
    ]

    # Table 三 in the 2019 layout: （六）其他处理 is a single row
    rows = report_table3_rows(tables)
    codes = [row["code"] for row in rows]
    assert codes.count("other") == 1
    assert "other_no_correction" not in codes and "other_fee_unpaid" not in codes
    expected = {code: _row() for code in codes if code not in ("results", "withheld")}
    expected.update(
        {
            "new": _row(
                natural_person=1,
                commercial=1,
                research=1,
                legal_service=1,
                public_interest=1,
                other_org=1,
            ),
            "carried_in": _row(natural_person=1),
            "disclosed": _row(natural_person=1),
            "withheld_third_party": _row(commercial=1),
            "not_handled_repeat": _row(natural_person=1),
            "other": _row(research=1, legal_service=1, public_interest=1),
            "total": _row(
                natural_person=2, commercial=1, research=1, legal_service=1, public_interest=1
            ),
            "carried_out": _row(other_org=1),
        }
    )
    for row in rows:
        if row["values"] is None:
            assert row["code"] in ("results", "withheld", "unavailable", "not_handled")
            continue
        assert row["values"] == expected[row["code"]], row["code"]
    # 一, 二; （一）, （二）; 8 + 3 + 5 leaves; （六） as one row; （七）; 四
    assert len([row for row in rows if row["values"] is not None]) == 23

    # Table 四: the same 15 columns in both formats
    assert tables["table4"] == {
        "reconsideration": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
        "litigation_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
        "litigation_after": {"upheld": 0, "corrected": 0, "other": 1, "pending": 0, "total": 1},
    }
    assert tables["information_fees"] == "0.00"  # the lapsed notice collected nothing
    assert report_checks(tables) == []

    # the published page and the CSV print the 2019 layout
    report_publish(report=report, by=handler)
    client = Client()
    page = client.get(reverse("disclosure:report-detail", args=[entity.pk, 2020]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-format="2019"' in html and 'data-row="other"' in html
    assert 'data-row="other_no_correction"' not in html
    assert "data-information-fees" not in html  # no fees in the trial format's years
    assert "第二十条第（一）项" in html  # the form's Chinese numerals, not 第（1）项
    csv_text = client.get(reverse("disclosure:report-csv", args=[entity.pk, 2020])).content
    assert "123.4500" in csv_text.decode("utf-8-sig")


def test_the_2021_format_still_splits_other_handling_into_three_rows(handler) -> None:
    entity = AdministrativeEntityFactory()
    request = make_request(entity=entity, received=D(2025, 3, 3), by=handler)
    request = actions.request_correction_ask(
        request=request, by=handler, items="x", on=D(2025, 3, 4), period_workdays=3
    )
    actions.request_abandon(request=request, by=handler, on=D(2025, 3, 20))
    tables = report_tables(year=2025, entity_id=entity.pk)
    rows = [(row["code"], row["values"]) for row in report_table3_rows(tables)]
    at = rows.index(("other", None))  # the group's heading, then its three rows
    assert rows[at + 1 : at + 4] == [
        ("other_no_correction", _row(natural_person=1)),
        ("other_fee_unpaid", _row()),
        ("other", _row()),
    ]
    assert [len(block.headers) for block in report_table2_blocks(tables)] == [3, 1, 1, 1]
    assert "items" not in tables["table2"] and "procurement" not in tables["table2"]


def _fee(entity, handler, *, received, notice, pages, paid=None, lapse=None):  # noqa: ANN001, ANN202
    request = make_request(entity=entity, received=received, by=handler)
    request = actions.request_review_start(request=request, by=handler)
    request = actions.request_fee_notify(
        request=request, by=handler, method="by_volume", pages=pages, on=notice
    )
    if paid:
        request = actions.request_fee_pay(request=request, by=handler, on=paid)
    if lapse:
        request = actions.request_fee_lapse(request=request, by=handler, on=lapse)
    return request


def test_information_fees_are_summed_from_the_payments_into_section_six(handler) -> None:
    entity, other_entity = AdministrativeEntityFactory(), AdministrativeEntityFactory()
    # paid in 2025: 150 pages = 70 × 10 + 50 × 20 = 1,700 yuan
    _fee(
        entity, handler, received=D(2025, 9, 15), notice=D(2025, 9, 26), pages=150,
        paid=D(2025, 10, 10),
    )  # fmt: skip
    # notified in December 2024, paid in January 2025: 35 pages = 50 yuan, counted in 2025
    _fee(
        entity, handler, received=D(2024, 12, 2), notice=D(2024, 12, 16), pages=35,
        paid=D(2025, 1, 3),
    )  # fmt: skip
    # not paid: lapsed, nothing collected
    _fee(
        entity, handler, received=D(2025, 3, 3), notice=D(2025, 3, 5), pages=200,
        lapse=D(2025, 4, 30),
    )  # fmt: skip
    # another entity's payment: only in the district's report
    _fee(
        other_entity, handler, received=D(2025, 5, 6), notice=D(2025, 5, 8), pages=40,
        paid=D(2025, 5, 20),
    )  # fmt: skip
    assert report_information_fees(year=2025, entity_id=entity.pk) == Decimal("1750")
    assert report_information_fees(year=2024, entity_id=entity.pk) == Decimal("0")
    assert report_information_fees(year=2025, entity_id=None) == Decimal("1850")
    # Table 二's fee row is the office's administrative fees, not these
    report = report_generate(entity=entity, year=2025, by=handler)
    report = report_inputs_update(report=report, by=handler, values={"fees_collected": "2.5"})
    tables = report_tables(year=2025, entity_id=entity.pk, report=report)
    assert tables["information_fees"] == "1750.00"
    assert tables["table2"]["fees"] == "2.5000"
    report_publish(report=report, by=handler)
    page = Client().get(reverse("disclosure:report-detail", args=[entity.pk, 2025]))
    assert 'data-information-fees="1750.00"' in page.content.decode()
    csv_text = Client().get(reverse("disclosure:report-csv", args=[entity.pk, 2025])).content
    assert "1750.00" in csv_text.decode("utf-8-sig")


def test_item_counts_continue_from_last_years_2019_format_report(handler) -> None:
    entity = AdministrativeEntityFactory()
    report_2019 = report_generate(entity=entity, year=2019, by=handler)
    report_inputs_update(
        report=report_2019,
        by=handler,
        values={"licensing_items_last_year": 38, "licensing_items_change": 2},
    )
    report_publish(report=report_2019, by=handler)
    report_2020 = report_generate(entity=entity, year=2020, by=handler)
    report_2020 = report_inputs_update(
        report=report_2020, by=handler, values={"licensing_items_last_year": 40}
    )
    previous = report_previous_tables(year=2020, entity_id=entity.pk)
    assert (
        report_checks(report_tables(year=2020, entity_id=entity.pk, report=report_2020), previous)
        == []
    )
    report_2020 = report_inputs_update(
        report=report_2020, by=handler, values={"licensing_items_last_year": 41}
    )
    errors = report_checks(
        report_tables(year=2020, entity_id=entity.pk, report=report_2020), previous
    )
    assert [e.code for e in errors] == ["table2_items"]


def test_a_bad_procurement_amount_is_a_field_error(handler) -> None:
    from django.core.exceptions import ValidationError

    report = report_generate(entity=None, year=2020, by=handler)
    with pytest.raises(ValidationError) as error:
        report_inputs_update(report=report, by=handler, values={"procurement_amount": "很多"})
    assert "procurement_amount" in error.value.message_dict


def test_columns_are_the_same_in_both_formats() -> None:
    assert COLUMNS == (*ApplicantType.values, "total")
    assert len(Outcome.values) == 21


def test_the_admin_offers_the_2019_inputs_only_on_a_2019_format_report(handler) -> None:
    from tests.factories.disclosure import UserFactory

    client = Client()
    client.force_login(UserFactory(is_superuser=True))
    report_2020 = report_generate(entity=None, year=2020, by=handler)
    report_2025 = report_generate(entity=None, year=2025, by=handler)
    url = reverse("admin:disclosure_annualreport_change", args=[report_2020.pk])
    form = client.get(url).context["adminform"].form
    assert "procurement_amount" in form.fields and "fee_items_change" in form.fields
    form_2025 = (
        client.get(reverse("admin:disclosure_annualreport_change", args=[report_2025.pk]))
        .context["adminform"]
        .form
    )
    assert "procurement_amount" not in form_2025.fields
    data = {field: form.initial.get(field, "") for field in form.fields}
    data.update(
        {"procurement_projects": "6", "procurement_amount": "123.45", "fee_items_change": "-1"}
    )
    data = {key: ("" if value is None else value) for key, value in data.items()}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    report_2020.refresh_from_db()
    assert (report_2020.procurement_projects, report_2020.fee_items_change) == (6, -1)
    assert report_2020.procurement_amount == Decimal("123.45")
