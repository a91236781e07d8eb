"""A visit finding followed up by a complaint: the public text fits the complaint's state.

It used to read "Complaint … under investigation (Concluded)" once the investigation was over.
"""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from complaints.models import Complaint, InspectionVisit, VisitFinding
from tests.factories.complaints import InspectionVisitFactory, VisitFindingFactory, submit_complaint

pytestmark = pytest.mark.django_db
S = Complaint.Status
UNDER = "under investigation"


@pytest.fixture
def finding() -> VisitFinding:
    complaint, _credentials = submit_complaint()
    visit = InspectionVisitFactory(status=InspectionVisit.Status.ACCEPTED)
    return VisitFindingFactory(
        visit=visit, responsible_entity=complaint.entity, complaint=complaint
    )


def _text(finding: VisitFinding, status: str) -> str:
    # In memory only: the database's constraints want each state's own fields (a reply, …).
    finding.complaint.status = status
    with translation.override("en"):
        return render_to_string("complaints/finding_follow_up.html", {"finding": finding})


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (S.SUBMITTED, "opened for investigation"),
        (S.REGISTERED, "opened for investigation"),
        (S.ASSIGNED, "opened for investigation"),
        (S.INVESTIGATING, UNDER),
        (S.AWAITING_INFORMATION, UNDER),
        (S.CONCLUDED, "investigation concluded"),
        (S.REPLIED, "investigation concluded"),
        (S.CLOSED, "investigation concluded"),
        (S.DECLINED, "declined"),
        (S.WITHDRAWN, "withdrawn"),
    ],
)
def test_the_text_fits_each_state(finding, status, says) -> None:  # noqa: ANN001
    text = _text(finding, status)
    assert finding.complaint.tracking_no in text
    assert says in text
    if status not in (S.INVESTIGATING, S.AWAITING_INFORMATION):
        assert UNDER not in text
    assert f'data-status="{status}"' in text


def test_every_state_has_its_text(finding) -> None:
    texts = {status: _text(finding, status) for status in S.values}
    assert all(finding.complaint.tracking_no in text for text in texts.values())


def test_the_visit_page_shows_a_concluded_complaint_as_concluded(client, finding) -> None:
    Complaint.objects.filter(pk=finding.complaint_id).update(status=S.CONCLUDED)  # no constraint
    page = client.get(reverse("complaints:visit-detail", args=[finding.visit_id]))
    assert page.status_code == 200
    assert 'data-status="concluded"' in page.content.decode()
