"""The annual report's Tables 二-四 against a year computed by hand; the form's checks."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from disclosure.actions import requests as actions
from disclosure.actions.reports import report_generate, report_inputs_update, report_publish
from disclosure.models import AnnualReport
from disclosure.models.requests import ApplicantType, InformationRequest, Outcome
from disclosure.selectors.reports import (
    COLUMNS,
    TABLE3_ROWS,
    report_checks,
    report_previous_tables,
    report_tables,
)
from tests.factories.disclosure import AdministrativeEntityFactory, make_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]
D = dt.date


def _reply(entity, handler, kind: str, received: dt.date, outcome: str, on: dt.date):  # noqa: ANN001, ANN202
    request = make_request(entity=entity, received=received, by=handler, applicant_type=kind)
    return actions.request_reply(request=request, by=handler, outcome=outcome, on=on)


def _year_2024(handler):  # noqa: ANN001, ANN202
    entity = AdministrativeEntityFactory()
    other_entity = AdministrativeEntityFactory()
    # carried in: received in December 2023, replied in January 2024
    _reply(entity, handler, "natural_person", D(2023, 12, 20), "disclosed", D(2024, 1, 10))
    # carried in and carried out: received 2023, still open
    make_request(entity=entity, received=D(2023, 12, 27), by=handler, applicant_type="commercial")
    _reply(entity, handler, "natural_person", D(2024, 3, 4), "withheld_state_secret", D(2024, 3, 8))
    # abandoned after a correction notice (其他处理 1)
    r4 = make_request(entity=entity, received=D(2024, 5, 6), by=handler, applicant_type="research")
    r4 = actions.request_correction_ask(
        request=r4, by=handler, items="x", on=D(2024, 5, 8), period_workdays=5
    )
    actions.request_abandon(request=r4, by=handler, on=D(2024, 5, 31))
    # fee not paid (其他处理 2)
    r5 = make_request(
        entity=entity, received=D(2024, 6, 3), by=handler, applicant_type="legal_service"
    )
    r5 = actions.request_review_start(request=r5, by=handler)
    r5 = actions.request_fee_notify(
        request=r5, by=handler, method="by_volume", pages=100, on=D(2024, 6, 5)
    )
    actions.request_fee_lapse(request=r5, by=handler, on=D(2024, 7, 15))
    # received in December 2024, replied in 2025: carried out
    _reply(entity, handler, "public_interest", D(2024, 12, 23), "partly_disclosed", D(2025, 1, 6))
    r7 = _reply(entity, handler, "other_org", D(2024, 7, 1), "not_handled_repeat", D(2024, 7, 5))
    appeal = actions.request_appeal_record(
        request=r7, by=handler, kind="reconsideration", filed_date=D(2024, 8, 1)
    )
    actions.request_appeal_decide(appeal=appeal, by=handler, result="corrected", on=D(2024, 9, 2))
    r8 = _reply(
        entity, handler, "natural_person", D(2024, 2, 5), "unavailable_not_held", D(2024, 2, 8)
    )
    actions.request_appeal_record(
        request=r8, by=handler, kind="litigation_direct", filed_date=D(2024, 4, 1)
    )
    # another year, another entity: not in the entity's 2024 report
    _reply(entity, handler, "natural_person", D(2022, 5, 9), "disclosed", D(2022, 5, 12))
    _reply(other_entity, handler, "natural_person", D(2024, 4, 8), "disclosed", D(2024, 4, 9))
    return entity


def _zeros() -> dict[str, dict[str, int]]:
    return {row: dict.fromkeys(COLUMNS, 0) for row in TABLE3_ROWS}


def test_every_cell_of_a_year_computed_by_hand(handler) -> None:
    entity = _year_2024(handler)
    expected = _zeros()
    cells = {
        ("new", "natural_person"): 2,
        ("new", "research"): 1,
        ("new", "public_interest"): 1,
        ("new", "legal_service"): 1,
        ("new", "other_org"): 1,
        ("carried_in", "natural_person"): 1,
        ("carried_in", "commercial"): 1,
        ("disclosed", "natural_person"): 1,
        ("withheld_state_secret", "natural_person"): 1,
        ("unavailable_not_held", "natural_person"): 1,
        ("other_no_correction", "research"): 1,
        ("other_fee_unpaid", "legal_service"): 1,
        ("not_handled_repeat", "other_org"): 1,
        ("total", "natural_person"): 3,
        ("total", "research"): 1,
        ("total", "legal_service"): 1,
        ("total", "other_org"): 1,
        ("carried_out", "commercial"): 1,
        ("carried_out", "public_interest"): 1,
    }
    for (row, column), value in cells.items():
        expected[row][column] = value
    for row in expected.values():
        row["total"] = sum(row[c] for c in ApplicantType.values)
    tables = report_tables(year=2024, entity_id=entity.pk)
    assert tables["table3"] == expected
    assert tables["table4"] == {
        "reconsideration": {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1},
        "litigation_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1},
        "litigation_after": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
    }
    assert tables["table2"]["normative"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert report_checks(tables) == []
    # the district's report also counts the other entity's application
    district = report_tables(year=2024, entity_id=None)
    assert district["table3"]["new"]["natural_person"] == 3
    assert report_checks(district) == []


def test_the_checks_catch_a_broken_year(handler) -> None:
    entity = _year_2024(handler)
    tables = report_tables(year=2024, entity_id=entity.pk)
    broken = json.loads(json.dumps(tables))
    # one more reply counted than the year's applications allow: 一 + 二 ≠ 三（七） + 四
    for row in ("disclosed", "total"):
        broken["table3"][row]["natural_person"] += 1
        broken["table3"][row]["total"] += 1
    assert {error.code for error in report_checks(broken)} == {"table3_balance"}
    # an outcome row that does not add up to （七）总计 nor to its own total
    broken = json.loads(json.dumps(tables))
    broken["table3"]["disclosed"]["natural_person"] += 1
    assert {e.code for e in report_checks(broken)} == {"table3_total", "table3_row_total"}
    broken = json.loads(json.dumps(tables))
    broken["table4"]["reconsideration"]["total"] = 5
    assert [e.code for e in report_checks(broken)] == ["table4_total"]


def test_cross_year_checks_with_last_years_published_report(handler) -> None:
    entity = AdministrativeEntityFactory()
    make_request(entity=entity, received=D(2023, 12, 27), by=handler)
    report_2023 = report_generate(entity=entity, year=2023, by=handler)
    report_inputs_update(report=report_2023, by=handler, values={"rules_in_force": 3})
    report_publish(report=report_2023, by=handler)
    report_2024 = report_generate(entity=entity, year=2024, by=handler)
    report_2024 = report_inputs_update(
        report=report_2024, by=handler, values={"rules_issued": 1, "rules_in_force": 4}
    )
    previous = report_previous_tables(year=2024, entity_id=entity.pk)
    assert (
        report_checks(report_tables(year=2024, entity_id=entity.pk, report=report_2024), previous)
        == []
    )
    # a 2023 application registered after the 2023 report was published breaks continuity,
    # and so does a wrong in-force count
    make_request(entity=entity, received=D(2023, 12, 28), by=handler)
    report_2024 = report_inputs_update(report=report_2024, by=handler, values={"rules_in_force": 3})
    errors = report_checks(
        report_tables(year=2024, entity_id=entity.pk, report=report_2024), previous
    )
    assert {e.code for e in errors} == {"table3_carried_over", "table2_in_force"}
    with pytest.raises(ValidationError):
        report_publish(report=report_2024, by=handler)


def test_every_table3_row_is_reachable_and_counted(handler) -> None:
    entity = AdministrativeEntityFactory()
    day = D(2025, 3, 3)
    for outcome in Outcome.values:
        if outcome == Outcome.OTHER_NO_CORRECTION:
            request = make_request(entity=entity, received=day, by=handler)
            request = actions.request_correction_ask(
                request=request, by=handler, items="x", on=D(2025, 3, 4), period_workdays=3
            )
            actions.request_abandon(request=request, by=handler, on=D(2025, 3, 20))
        elif outcome == Outcome.OTHER_FEE_UNPAID:
            request = actions.request_review_start(
                request=make_request(entity=entity, received=day, by=handler), by=handler
            )
            request = actions.request_fee_notify(
                request=request, by=handler, method="by_volume", pages=31, on=D(2025, 3, 4)
            )
            actions.request_fee_lapse(request=request, by=handler, on=D(2025, 4, 30))
        else:
            _reply(entity, handler, "natural_person", day, outcome, D(2025, 3, 10))
    table = report_tables(year=2025, entity_id=entity.pk)["table3"]
    for outcome in Outcome.values:
        assert table[outcome]["natural_person"] == 1, outcome
    assert table["total"]["total"] == len(Outcome.values) == 21


def test_an_unknown_outcome_is_a_field_error_and_stores_nothing(handler) -> None:
    request = make_request(received=D(2025, 3, 3), by=handler)
    with pytest.raises(ValidationError) as error:
        actions.request_reply(request=request, by=handler, outcome="maybe", on=D(2025, 3, 4))
    assert "outcome" in error.value.message_dict
    with pytest.raises(ValidationError):  # 其他处理 1 only comes from the abandonment step
        actions.request_reply(
            request=request, by=handler, outcome="other_no_correction", on=D(2025, 3, 4)
        )
    request.refresh_from_db()
    assert (request.status, request.outcome) == ("received", "")


def test_illegal_moves_are_refused(handler) -> None:
    from disclosure.exceptions import TransitionNotAllowed

    request = make_request(received=D(2025, 3, 3), by=handler)
    with pytest.raises(TransitionNotAllowed):
        actions.request_close(request=request, by=handler, on=D(2025, 3, 4))
    with pytest.raises(TransitionNotAllowed):
        actions.request_correction_receive(request=request, by=handler, on=D(2025, 3, 4))
    request = actions.request_reply(
        request=request, by=handler, outcome="disclosed", on=D(2025, 3, 4)
    )
    with pytest.raises(TransitionNotAllowed):
        actions.request_reply(request=request, by=handler, outcome="disclosed", on=D(2025, 3, 5))
    request = actions.request_close(request=request, by=handler, on=D(2025, 3, 5))
    assert request.status == InformationRequest.Status.CLOSED
    assert [e.to_status for e in request.events.all()] == [
        "submitted",
        "received",
        "replied",
        "closed",
    ]


def test_a_year_without_data_gives_zeros_not_an_error(handler) -> None:
    tables = report_tables(year=2030, entity_id=None)
    assert all(v == 0 for row in tables["table3"].values() for v in row.values())
    report = report_generate(entity=None, year=2030, by=handler)
    report_publish(report=report, by=handler)
    response = Client().get(reverse("disclosure:report-detail", args=["district", 2030]))
    assert response.status_code == 200
    assert response.context["table3_rows"][0]["values"] == [0] * 7


def test_a_year_before_the_revised_regulation_is_a_clear_error(handler) -> None:
    with pytest.raises(ValidationError) as error:
        report_generate(entity=None, year=2018, by=handler)
    assert "year" in error.value.message_dict
    assert not AnnualReport.objects.exists()


@pytest.mark.parametrize(
    ("year", "version"), [(2019, "2019"), (2020, "2019"), (2021, "2021"), (2025, "2021")]
)
def test_the_format_follows_the_year(handler, year, version) -> None:
    report = report_generate(entity=None, year=year, by=handler)
    assert report.template_version == version
    assert report_tables(year=year, entity_id=None)["format"] == version
