"""Public pages and API of supervision: privacy (contacts, private notes), query counts,
visibility of visits, and the admin's supervisor scoping."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import InspectionVisit, RectificationProject
from tests.factories.complaints import (
    InspectionVisitFactory,
    RectificationProjectFactory,
    SupervisorFactory,
    VisitFindingFactory,
)
from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/complaints"
PRIVATE = ("1390411", "private", "秘密街", "PRIVATE-NOTE")


def _count(client, url: str) -> int:  # noqa: ANN001
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
    return len(captured)


def _assert_no_private(body: str) -> None:
    for marker in PRIVATE:
        assert marker not in body


def test_supervisor_page_and_api_show_public_data_only(client) -> None:
    supervisor = SupervisorFactory(name="张建国", affiliation="区人大代表")
    SupervisorFactory(name="离任者", is_active=False)
    page = client.get(reverse("complaints:supervisor-list")).content.decode()
    assert "张建国" in page and "区人大代表" in page
    assert "离任者" not in page
    _assert_no_private(page)
    data = client.get(f"{API}/supervisors/").json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["name"] == supervisor.name
    assert not {"phone", "email", "address", "user"} & set(row)
    _assert_no_private(str(data))


def test_visit_summaries_are_accepted_only_and_without_private_notes(client) -> None:
    accepted = InspectionVisitFactory(status=InspectionVisit.Status.ACCEPTED, summary="公开摘要")
    VisitFindingFactory(visit=accepted)
    InspectionVisitFactory(status=InspectionVisit.Status.SUBMITTED, summary="未审核")
    data = client.get(f"{API}/visits/").json()
    assert [row["id"] for row in data["results"]] == [accepted.pk]
    row = data["results"][0]
    assert "private_notes" not in row and "supervisor" not in row
    assert len(row["findings"]) == 1
    _assert_no_private(str(data))


def test_rectification_pages_and_api(client) -> None:
    project = RectificationProjectFactory(
        title="拖欠克扣农民工工资", overdue_since=datetime.date(2024, 3, 30)
    )
    project.coordinating_entities.add(AdministrativeEntityFactory(name="西岗区劳动局"))
    project.progress_updates.create(reported_on=datetime.date(2024, 3, 5), text="已追回工资")
    hidden = VisitFindingFactory(rectification_project=project, description="未审核的发现")
    shown = VisitFindingFactory(
        rectification_project=project,
        description="已审核的发现",
        visit=InspectionVisitFactory(status=InspectionVisit.Status.ACCEPTED),
    )
    listing = client.get(reverse("complaints:rectification-list")).content.decode()
    assert "拖欠克扣农民工工资" in listing and "西岗区劳动局" in listing
    detail = client.get(reverse("complaints:rectification-detail", args=[project.pk]))
    body = detail.content.decode()
    assert "已追回工资" in body
    assert shown.description in body and hidden.description not in body
    _assert_no_private(body)
    data = client.get(f"{API}/rectification/{project.pk}/").json()
    assert data["is_overdue"] is True
    assert data["coordinating_entities"] == ["西岗区劳动局"]
    assert data["progress_updates"] == [{"reported_on": "2024-03-05", "text": "已追回工资"}]
    assert [f["id"] for f in data["findings"]] == [shown.pk]
    filtered = client.get(f"{API}/rectification/?overdue=true").json()
    assert filtered["count"] == 1
    assert client.get(f"{API}/rectification/?status=bogus").status_code == 400
    assert client.get(reverse("complaints:rectification-detail", args=[999999])).status_code == 404


def test_bad_filters_do_not_fail(client) -> None:
    assert (
        client.get(reverse("complaints:rectification-list") + "?status=x&page=zz").status_code
        == 200
    )
    assert client.get(reverse("complaints:supervisor-list") + "?kind=x").status_code == 200
    assert client.get(f"{API}/visits/?visited_after=notadate").status_code == 400


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/complaints/supervisors/", lambda: SupervisorFactory()),
        (f"{API}/supervisors/", lambda: SupervisorFactory()),
        ("/complaints/rectification/", lambda: _project_with_relations()),
        (f"{API}/rectification/", lambda: _project_with_relations()),
        (
            f"{API}/visits/",
            lambda: VisitFindingFactory(
                visit=InspectionVisitFactory(status=InspectionVisit.Status.ACCEPTED)
            ),
        ),
    ],
)
def test_list_query_count_does_not_grow(client, url, make) -> None:
    make()
    first = _count(client, url)
    for _ in range(19):
        make()
    assert _count(client, url) == first


def _project_with_relations() -> RectificationProject:
    project = RectificationProjectFactory()
    project.coordinating_entities.add(AdministrativeEntityFactory())
    project.progress_updates.create(reported_on=datetime.date(2024, 3, 5), text="进展")
    return project


def test_admin_supervisor_sees_only_own_visits(client) -> None:
    user = UserFactory(perms=["complaints.record_own_visits"])
    own = SupervisorFactory(user=user)
    mine = InspectionVisitFactory(supervisor=own, topic="我的暗访")
    theirs = InspectionVisitFactory(topic="别人的暗访")
    client.force_login(user)
    changelist = client.get("/admin/complaints/inspectionvisit/").content.decode()
    assert "我的暗访" in changelist or str(mine.visited_on.year) in changelist
    assert client.get(f"/admin/complaints/inspectionvisit/{mine.pk}/change/").status_code == 200
    response = client.get(f"/admin/complaints/inspectionvisit/{theirs.pk}/change/")
    assert response.status_code in (302, 404)
    # the supervisor cannot reach the supervisors' contacts
    assert client.get("/admin/complaints/supervisor/").status_code == 403


def test_admin_bureau_sees_all_visits(client) -> None:
    bureau = UserFactory(perms=["complaints.manage_supervision", "complaints.view_supervisor"])
    visits = InspectionVisitFactory.create_batch(2)
    client.force_login(bureau)
    for visit in visits:
        url = f"/admin/complaints/inspectionvisit/{visit.pk}/change/"
        assert client.get(url).status_code == 200
    assert client.get("/admin/complaints/supervisor/").status_code == 200
