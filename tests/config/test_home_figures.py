"""The home page shows the latest half-year's service figures, counted from the records."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.actions.items import consultation_count_add
from services.selectors.statistics import service_figures_headline
from tests.factories.disclosure import UserFactory
from tests.factories.services import ConsultationCountFactory, ServiceCaseFactory


@pytest.mark.django_db
def test_no_cases_no_figures(client):
    assert service_figures_headline() == []
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_the_latest_half_year_is_counted_from_cases_and_consultations(client):
    # given: 2006's first half has 4 accepted cases (3 completed) and 7 consultations
    for day in (3, 4, 5, 6):
        ServiceCaseFactory(
            received_on=datetime.date(2006, 3, day),
            accepted_on=datetime.date(2006, 3, day),
            completed_on=datetime.date(2006, 3, day + 1) if day < 6 else None,
        )
    ConsultationCountFactory(date=datetime.date(2006, 2, 1), count=7)
    # an older case does not count
    ServiceCaseFactory(received_on=datetime.date(2005, 9, 1), accepted_on=datetime.date(2005, 9, 1))

    with CaptureQueriesContext(connection) as queries:
        figures = [figure["value"] for figure in service_figures_headline()]

    assert figures[1:] == ["7", "4", "3", "75.0%"]
    assert len(queries) <= 3
    html = client.get("/").content.decode()
    assert "75.0%" in html


@pytest.mark.django_db
def test_the_figures_are_read_once_and_change_with_the_next_case(client):
    # given: the figures shown once
    ServiceCaseFactory(
        received_on=datetime.date(2006, 3, 3),
        accepted_on=datetime.date(2006, 3, 3),
        completed_on=datetime.date(2006, 3, 6),
    )
    assert [figure["value"] for figure in service_figures_headline()][2:] == ["1", "1", "100.0%"]

    # then: shown again without summing the summary
    with CaptureQueriesContext(connection) as queries:
        service_figures_headline()
    assert len(queries) == 0

    # when: another case is accepted (the summary changes, and its version with it)
    ServiceCaseFactory(received_on=datetime.date(2006, 3, 7), accepted_on=datetime.date(2006, 3, 7))

    # then: the home page shows it at once
    assert [figure["value"] for figure in service_figures_headline()][2:] == ["2", "1", "50.0%"]
    assert "50.0%" in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_consultation_counted_shows_at_once():
    # given
    boss = UserFactory(is_superuser=True)
    case = ServiceCaseFactory(
        received_on=datetime.date(2006, 3, 3), accepted_on=datetime.date(2006, 3, 3)
    )
    assert service_figures_headline()[1]["value"] == "0"

    # when
    consultation_count_add(item=case.item, on=datetime.date(2006, 3, 4), count=5, by=boss)

    # then
    assert service_figures_headline()[1]["value"] == "5"
