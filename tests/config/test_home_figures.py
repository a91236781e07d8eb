"""The home page shows the latest half-year's service figures, counted from the records."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.selectors.statistics import service_figures_headline
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
