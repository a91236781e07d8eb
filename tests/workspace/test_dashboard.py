"""The officials' dashboard: on-time rate, overdue work, complaints and completeness, charted."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.models import Complaint
from disclosure.models.institutions import InstitutionDisclosure
from services.models import ServiceCase
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    DisclosureItemKindFactory,
    InstitutionDisclosureFactory,
    PublicInstitutionFactory,
    SectorFactory,
    SectorRequirementFactory,
)
from tests.factories.services import ServiceCaseFactory, ServiceItemFactory
from tests.workspace.officials import complaint_due, official, one_of_each
from workdays.calendar import add_workdays
from workspace.selectors.dashboard import (
    dashboard_complaints,
    dashboard_completeness,
    dashboard_on_time,
)

pytestmark = pytest.mark.django_db

DASHBOARD = "/officials/dashboard/"


def _completed(entity: object, *, due: datetime.date, completed: datetime.date) -> ServiceCase:
    start = min(due, completed) - datetime.timedelta(days=10)
    return ServiceCaseFactory(
        item=ServiceItemFactory(entity=entity),
        status=ServiceCase.Status.COMPLETED,
        received_on=start,
        accepted_on=start,
        due_date=due,
        completed_on=completed,
        result="approved",
    )


def test_on_time_rate_is_their_departments_cases_only() -> None:
    education = AdministrativeEntityFactory(name="西岗区教育局")
    health = AdministrativeEntityFactory(name="西岗区卫生局")
    day = datetime.date(2026, 6, 10)
    for _n in range(3):
        _completed(education, due=day, completed=day)
    _completed(education, due=day, completed=day + datetime.timedelta(days=3))  # late
    for _n in range(5):
        _completed(health, due=day, completed=day + datetime.timedelta(days=1))  # all late
    officer = official("department_officer", education)
    figures = dashboard_on_time(officer)
    assert (figures.completed, figures.on_time) == (4, 3)
    assert figures.rate == 75
    assert len(figures.months) == 12
    assert figures.months[-1].month == datetime.date(2026, 6, 1)
    assert (figures.months[-1].completed, figures.months[-1].on_time) == (4, 3)


def test_on_time_rate_without_cases_is_empty() -> None:
    officer = official("department_officer", AdministrativeEntityFactory())
    figures = dashboard_on_time(officer)
    assert figures.completed == 0
    assert figures.rate is None


def test_complaints_are_those_about_the_officers_department() -> None:
    today = timezone.localdate()
    education = AdministrativeEntityFactory()
    health = AdministrativeEntityFactory()
    complaint_due(education, add_workdays(today, -2))  # overdue
    complaint_due(education, add_workdays(today, 5))
    complaint_due(health, add_workdays(today, -2))
    officer = official("department_officer", education)
    figures = dashboard_complaints(officer, today=today)
    assert (figures.total, figures.in_progress, figures.overdue) == (2, 2, 1)
    bureau = official("supervision_bureau")
    assert dashboard_complaints(bureau, today=today).total == 3


def test_declined_complaints_are_counted_apart() -> None:
    entity = AdministrativeEntityFactory()
    complaint_due(
        entity, timezone.localdate(), status=Complaint.Status.DECLINED, decline_reason="no_facts"
    )
    figures = dashboard_complaints(official("department_officer", entity))
    assert (figures.total, figures.declined, figures.in_progress) == (1, 1, 0)


def test_completeness_of_supervised_institutions_least_complete_first() -> None:
    education = AdministrativeEntityFactory()
    sector = SectorFactory()
    kinds = [DisclosureItemKindFactory() for _n in range(2)]
    for kind in kinds:
        SectorRequirementFactory(sector=sector, kind=kind)
    full = PublicInstitutionFactory(sector=sector, supervising_department=education, name="甲小学")
    half = PublicInstitutionFactory(sector=sector, supervising_department=education, name="乙小学")
    PublicInstitutionFactory(sector=sector, supervising_department=AdministrativeEntityFactory())
    for kind in kinds:
        InstitutionDisclosureFactory(
            institution=full, kind=kind, status=InstitutionDisclosure.Status.PUBLISHED
        )
    InstitutionDisclosureFactory(
        institution=half, kind=kinds[0], status=InstitutionDisclosure.Status.PUBLISHED
    )
    figures = dashboard_completeness(official("department_officer", education))
    assert [row.institution.name for row in figures.institutions] == ["乙小学", "甲小学"]
    assert [row.percentage for row in figures.institutions] == [50, 100]
    assert figures.average == 75
    assert figures.complete == 1


def test_dashboard_page_draws_charts_with_tables(client) -> None:
    education = AdministrativeEntityFactory()
    day = datetime.date(2026, 6, 10)
    _completed(education, due=day, completed=day)
    one_of_each(education, add_workdays(timezone.localdate(), -1))
    PublicInstitutionFactory(supervising_department=education)
    officer = official("department_officer", education)
    client.force_login(officer)
    response = client.get(DASHBOARD)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") == 4
    assert html.count('role="img"') == 4
    assert html.count("<table") >= 4  # every chart has its figures in a table
    assert 'data-figure="on-time-rate"' in html
    assert "100.0%" in html
    assert 'data-figure="complaints-total">1<' in html
    assert "style=" not in html


def test_dashboard_needs_an_official(client) -> None:
    response = client.get(DASHBOARD)
    assert response.status_code == 302


def test_dashboard_query_count_does_not_grow_with_records(client) -> None:
    education = AdministrativeEntityFactory()
    officer = official("department_officer", education)
    client.force_login(officer)
    day = datetime.date(2026, 6, 10)
    _completed(education, due=day, completed=day)
    one_of_each(education, timezone.localdate())
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as one:
        client.get(DASHBOARD)
    for n in range(19):
        _completed(education, due=day, completed=day - datetime.timedelta(days=20 * n))
        one_of_each(education, timezone.localdate())
    with CaptureQueriesContext(connection) as twenty:
        client.get(DASHBOARD)
    assert len(twenty) == len(one)
