"""Public inspection-visit pages: accepted visits only, findings and their follow-up, no private
notes and no inspector's identity, filters, query counts, and the links that lead to them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import InspectionVisit, VisitFinding
from tests.factories.complaints import (
    COMPLAINANT_MOBILE,
    COMPLAINANT_NAME,
    InspectionVisitFactory,
    RectificationProjectFactory,
    SupervisorFactory,
    VisitFindingFactory,
    submit_complaint,
)
from tests.factories.disclosure import AdministrativeEntityFactory
from tests.factories.services import ServiceWindowFactory

pytestmark = pytest.mark.django_db
A = InspectionVisit.Status.ACCEPTED
LIST = reverse("complaints:visit-list")
PRIVATE = ("PRIVATE-NOTE", "1390411", "private", "秘密街", COMPLAINANT_NAME, COMPLAINANT_MOBILE)


def _visit_with_follow_ups(department: str = "西岗区劳动局") -> InspectionVisit:
    """An accepted visit to a window: one finding became a project, one a complaint."""
    window = ServiceWindowFactory(entity=AdministrativeEntityFactory(name=department))
    visit = InspectionVisitFactory(
        status=A,
        kind=InspectionVisit.Kind.ANNOUNCED,
        window=window,
        entity=None,
        score=72,
        topic="劳动保障窗口明查",
        follow_up="已责成劳动局限期整改",
        supervisor=SupervisorFactory(name="张监督"),
    )
    project = RectificationProjectFactory(
        source="visit", source_visit=visit, responsible_entity=window.entity
    )
    VisitFindingFactory(
        visit=visit,
        description="拖欠农民工工资投诉未及时受理",
        severity=VisitFinding.Severity.SERIOUS,
        responsible_entity=window.entity,
        rectification_project=project,
    )
    complaint, _credentials = submit_complaint(entity=window.entity)
    VisitFindingFactory(
        visit=visit,
        description="窗口人员态度生硬",
        responsible_entity=window.entity,
        complaint=complaint,
    )
    visit.project, visit.complaint = project, complaint
    return visit


def test_list_and_detail_show_the_public_record_with_follow_up(client) -> None:
    visit = _visit_with_follow_ups()
    hidden = InspectionVisitFactory(status=InspectionVisit.Status.SUBMITTED, topic="尚未审核的暗访")
    page = client.get(LIST).content.decode()
    for text in ("劳动保障窗口明查", "72", "拖欠农民工工资投诉未及时受理", "窗口人员态度生硬"):
        assert text in page
    assert visit.window.name in page
    assert visit.project.number in page
    assert reverse("complaints:rectification-detail", args=[visit.project.pk]) in page
    assert visit.complaint.tracking_no in page
    assert "尚未审核的暗访" not in page
    detail = client.get(reverse("complaints:visit-detail", args=[visit.pk]))
    assert detail.status_code == 200
    body = detail.content.decode()
    for text in (
        "已责成劳动局限期整改",
        "西岗区劳动局",
        visit.project.number,
        visit.complaint.tracking_no,
    ):
        assert text in body
    for text in (page, body):
        assert "张监督" not in text  # who inspected is not published
        for marker in PRIVATE:
            assert marker not in text
    assert client.get(reverse("complaints:visit-detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("complaints:visit-detail", args=[999999])).status_code == 404


def test_filters_by_kind_department_and_year(client) -> None:
    labour = AdministrativeEntityFactory(name="西岗区劳动局")
    InspectionVisitFactory(status=A, entity=labour, topic="劳动局暗访")
    InspectionVisitFactory(
        status=A,
        kind=InspectionVisit.Kind.ANNOUNCED,
        topic="另一局明查",
        visited_on=datetime.date(2023, 4, 1),
    )
    by_kind = client.get(LIST, {"kind": "announced"}).content.decode()
    assert "另一局明查" in by_kind and "劳动局暗访" not in by_kind
    by_department = client.get(LIST, {"entity": labour.pk}).content.decode()
    assert "劳动局暗访" in by_department and "另一局明查" not in by_department
    by_year = client.get(LIST, {"year": 2023}).content.decode()
    assert "另一局明查" in by_year and "劳动局暗访" not in by_year
    for bad in (
        {"kind": "x"},
        {"entity": "abc"},
        {"year": "1e9"},
        {"page": "-1"},
        {"entity": "9" * 30},
    ):
        response = client.get(LIST, bad)
        assert response.status_code == 200
        assert "劳动局暗访" in response.content.decode()


def test_list_query_count_does_not_grow(client) -> None:
    _visit_with_follow_ups()
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for n in range(19):
        _visit_with_follow_ups(department=f"西岗区第{n}局")
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(LIST)
    assert response.context["page"].paginator.count == 20
    assert len(twenty) == len(one)


def test_detail_query_count_does_not_grow_with_findings(client) -> None:
    visit = _visit_with_follow_ups()
    url = reverse("complaints:visit-detail", args=[visit.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        VisitFindingFactory(visit=visit, rectification_project=RectificationProjectFactory())
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_markup_labels_every_filter_and_heads_every_table(client) -> None:
    _visit_with_follow_ups()
    page = client.get(LIST).content.decode()
    for control in ("visit-kind", "visit-entity", "visit-year"):
        assert f'<label for="{control}">' in page and f'id="{control}"' in page
    assert page.count("<h1") == 1 and 'scope="col"' in page and 'scope="row"' in page


def test_pages_link_to_the_visits(client) -> None:
    for name in ("supervisor-list", "rectification-list", "complaint-ledger"):
        assert LIST in client.get(reverse(f"complaints:{name}")).content.decode()
    visit = _visit_with_follow_ups()
    project_page = client.get(visit.project.get_absolute_url()).content.decode()
    assert reverse("complaints:visit-detail", args=[visit.pk]) in project_page
