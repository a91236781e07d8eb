"""Per-department figures from the records (complaints, accepted inspection visits, findings,
rectification projects) on the ledger page and in the API; and how visit scores feed the
window stars through the recorded supervisor-inspection component."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from complaints.actions.supervision import window_supervision_scores_record
from complaints.models import Complaint, InspectionVisit, RectificationProject, VisitFinding
from complaints.selectors.ledger_cache import ledger_cache_bump
from tests.factories.complaints import (
    ComplaintFactory,
    InspectionVisitFactory,
    RectificationProjectFactory,
    VisitFindingFactory,
    ledger_get_queries,
)
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    PublicInstitutionFactory,
    UserFactory,
)
from tests.factories.services import ServiceWindowFactory

pytestmark = pytest.mark.django_db
A = InspectionVisit.Status.ACCEPTED
P = RectificationProject.Status
TODAY = datetime.date.today()
PAST, FUTURE = TODAY - datetime.timedelta(days=30), TODAY + datetime.timedelta(days=30)
LEDGER = reverse("complaints:complaint-ledger")
API = "/api/v1/complaints/departments/"


def _labour_bureau():
    """One department with complaints, visits (three ways), findings and projects."""
    labour = AdministrativeEntityFactory(name="西岗区劳动局")
    window = ServiceWindowFactory(entity=labour)
    ComplaintFactory(
        entity=labour, status=Complaint.Status.CONCLUDED, finding=Complaint.Finding.SUBSTANTIATED
    )
    ComplaintFactory(
        window=window, entity=None, status=Complaint.Status.CONCLUDED, finding="unsubstantiated"
    )
    ComplaintFactory(entity=labour)  # submitted: in progress
    InspectionVisitFactory(status=A, window=window, entity=None, score=60)
    visit = InspectionVisitFactory(status=A, entity=labour, score=81)
    InspectionVisitFactory(
        status=A,
        entity=None,
        institution=PublicInstitutionFactory(supervising_department=labour),
        score=None,
    )
    InspectionVisitFactory(status=InspectionVisit.Status.SUBMITTED, entity=labour, score=5)
    VisitFindingFactory(visit=visit, responsible_entity=labour, severity="serious")
    VisitFindingFactory(visit=visit, responsible_entity=labour, severity="minor")
    RectificationProjectFactory(responsible_entity=labour, status=P.IN_PROGRESS, due_date=PAST)
    RectificationProjectFactory(responsible_entity=labour, due_date=FUTURE)
    RectificationProjectFactory(
        responsible_entity=labour,
        status=P.COMPLETED,
        completed_on=datetime.date(2024, 3, 1),
        completion_summary="完成",
        due_date=datetime.date(2024, 4, 1),
        overdue_since=datetime.date(2024, 4, 2),
    )
    return labour


EXPECTED = {
    "received": 3,
    "concluded": 2,
    "in_progress": 1,
    "substantiated": 1,
    "visits": 3,
    "average_score": 70.5,
    "findings": 2,
    "serious_findings": 1,
    "projects": 3,
    "projects_open": 2,
    "projects_overdue": 1,
}


def test_figures_on_the_ledger_page_and_in_the_api(client) -> None:
    labour = _labour_bureau()
    # a department with nothing but a project still gets its row
    roads = AdministrativeEntityFactory(name="西岗区建设局")
    RectificationProjectFactory(responsible_entity=roads, due_date=PAST)

    rows = {row["department_id"]: row for row in client.get(API).json()}
    assert {key: rows[labour.pk][key] for key in EXPECTED} == EXPECTED
    assert rows[labour.pk]["department"] == "西岗区劳动局"
    assert rows[roads.pk]["projects_overdue"] == 1 and rows[roads.pk]["received"] == 0
    assert rows[roads.pk]["average_score"] is None

    statistics = client.get("/api/v1/complaints/statistics/").json()["departments"]
    assert [row for row in statistics if row["department_id"] == labour.pk][0]["visits"] == 3

    page = client.get(LEDGER).content.decode()
    row_html = page.split(f'data-department="{labour.pk}"')[1].split("</tr>")[0]
    for figure, value in (
        ("received", "3"),
        ("substantiated", "1"),
        ("visits", "3"),
        ("average_score", "70.5"),
        ("findings", "2 (1)"),
        ("projects_open", "2"),
        ("projects_overdue", "1"),
    ):
        assert f'data-figure="{figure}">{value}<' in row_html


def test_no_personal_data_in_the_figures(client) -> None:
    _labour_bureau()
    body = client.get(API).content.decode()
    for secret in ("PRIVATE-NOTE", "王秘密", "13998765432", "监督员"):
        assert secret not in body


def test_query_count_does_not_grow_with_departments(client, settings) -> None:
    settings.GONGKAI_PAGE_CACHE = False  # count this page's own queries, not a cached copy
    _labour_bureau()
    one = {
        (path, cold): ledger_get_queries(client, path, cold=cold)
        for path in (API, LEDGER)
        for cold in (True, False)
    }
    for n in range(19):
        department = AdministrativeEntityFactory(name=f"西岗区第{n}局")
        ComplaintFactory(entity=department)
        InspectionVisitFactory(status=A, entity=department)
        RectificationProjectFactory(responsible_entity=department)
    ledger_cache_bump()  # the factories wrote past the actions
    assert len(client.get(API).json()) == 20
    twenty = {
        (path, cold): ledger_get_queries(client, path, cold=cold)
        for path in (API, LEDGER)
        for cold in (True, False)
    }
    assert twenty == one
    assert max(twenty.values()) <= 10


def test_visit_scores_feed_the_window_stars_through_the_recorded_component() -> None:
    """Accepted visits' scores become the window's supervisor-inspection component; the stars
    (services) weigh it with the other components. Complaints writes through services' action."""
    from services.actions.stars import window_score_record
    from services.models import WindowMonthlyScore
    from services.selectors.windows import window_stars_for_month

    official = UserFactory(
        perms=["complaints.manage_supervision", "services.record_windowmonthlyscore"]
    )
    window = ServiceWindowFactory()
    month = datetime.date(2024, 5, 1)
    for component in ("ratings", "on_time", "inspections"):
        window_score_record(window=window, month=month, component=component, score=100, by=official)
    assert window_stars_for_month(month=month)[window.pk].stars == 5

    visit = InspectionVisitFactory(status=A, window=window, entity=None, score=40)
    VisitFindingFactory(visit=visit, severity=VisitFinding.Severity.GRAVE)
    InspectionVisitFactory(status=InspectionVisit.Status.SUBMITTED, window=window, score=0)
    window_supervision_scores_record(month=month, by=official)

    row = WindowMonthlyScore.objects.get(window=window, component="supervisor_inspection")
    assert row.score == Decimal("40.00")
    stars = window_stars_for_month(month=month)[window.pk]
    # (40×100 + 30×100 + 30×100 + 20×40) / 120 = 90 → 4 stars
    assert stars.weighted == Decimal("90.00")
    assert stars.stars == 4


def test_supervision_changes_show_at_once_although_the_table_is_cached(client, settings):
    """The department table is cached with a fingerprint of the visits, findings and projects:
    a new accepted visit or project changes it without any complaint action."""
    settings.GONGKAI_PAGE_CACHE = False  # the ledger's own cache, not the page cache
    labour = _labour_bureau()

    def figures() -> dict:
        (row,) = [r for r in client.get(API).json() if r["department_id"] == labour.pk]
        return row

    before = figures()
    assert figures() == before  # from the cache now
    InspectionVisitFactory(status=A, entity=labour, score=90)
    RectificationProjectFactory(responsible_entity=labour, status=P.IN_PROGRESS, due_date=PAST)

    after = figures()
    assert after["visits"] == before["visits"] + 1
    assert after["projects_overdue"] == before["projects_overdue"] + 1
    assert f'data-figure="visits">{after["visits"]}<' in client.get(LEDGER).content.decode()
