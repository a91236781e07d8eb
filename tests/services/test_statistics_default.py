"""Without a period the statistics show the half-year in which the latest case was accepted."""

import datetime

import pytest

from services.views.statistics import period_from_query
from tests.factories.services import ServiceCaseFactory


@pytest.mark.django_db
def test_a_case_accepted_in_june_and_completed_in_july_keeps_the_first_half():
    ServiceCaseFactory(
        received_on=datetime.date(2006, 6, 30),
        accepted_on=datetime.date(2006, 6, 30),
        completed_on=datetime.date(2006, 7, 3),
    )

    period = period_from_query({})

    assert (period.first, period.last) == (datetime.date(2006, 1, 1), datetime.date(2006, 6, 30))
