"""Stale workflow pages for complaints and rectification projects: the form posts what it saw.

A complaint (or project) moved by someone else since the official opened the page is refused
under the row lock even when the step is still legal from its new status: nothing changes
(status, department, history, stage clock, progress reports) and the official is told, with the
form shown again carrying the current status. A form that does not say what it saw is a 400.
"""

import pytest
from django.test import Client
from django.urls import reverse

from complaints.actions import complaints as actions
from complaints.actions.supervision import rectification_project_start
from complaints.models import Complaint, ComplaintEvent, RectificationProject
from disclosure.actions.workflow import SEEN_STATUS_FIELD
from tests.factories.complaints import (
    RectificationProjectFactory,
    complaint_handler,
    submit_complaint,
)
from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory
from tests.factories.workflow import form_errors, seen_url, stale_refusals

pytestmark = pytest.mark.django_db
S = Complaint.Status
P = RectificationProject.Status


@pytest.fixture
def handler():
    return complaint_handler(is_superuser=True)


@pytest.fixture
def client(handler) -> Client:
    client = Client()
    client.force_login(handler)
    return client


@pytest.fixture
def assigned(handler):
    complaint, _credentials = submit_complaint()
    actions.complaint_register(complaint=complaint, by=handler)
    actions.complaint_assign(complaint=complaint, by=handler, investigator=handler)
    complaint.refresh_from_db()
    return complaint


def _url(complaint: Complaint) -> str:
    return reverse("admin:complaints_complaint_workflow", args=[complaint.pk])


# --- complaints --------------------------------------------------------------------------------


def test_the_change_page_links_the_step_form_with_the_status_it_shows(client, assigned) -> None:
    page = client.get(reverse("admin:complaints_complaint_change", args=[assigned.pk]))
    assert page.status_code == 200
    [button] = page.context["workflow_buttons"]
    assert button["url"] == seen_url(_url(assigned), assigned)
    form = client.get(button["url"])
    assert f'name="{SEEN_STATUS_FIELD}" value="assigned"' in form.content.decode()


def test_a_stale_transfer_still_legal_from_the_new_status_is_refused(client, assigned) -> None:
    url = seen_url(_url(assigned), assigned)  # the official saw "assigned"
    # Someone starts the investigation meanwhile; a transfer is still legal from there.
    actions.complaint_investigate(complaint=assigned, by=complaint_handler())
    assigned.refresh_from_db()
    before = (assigned.status, assigned.entity_id, assigned.stage_due_on)
    events = ComplaintEvent.objects.filter(complaint=assigned).count()
    elsewhere = AdministrativeEntityFactory()

    refused = client.post(url, {"step": "transfer", "entity": elsewhere.pk, "note": "转办"})
    assert refused.status_code == 409
    assert form_errors(refused) in stale_refusals(assigned, S.INVESTIGATING, S.ASSIGNED)
    assert f'name="{SEEN_STATUS_FIELD}" value="investigating"' in refused.content.decode()
    assigned.refresh_from_db()
    assert (assigned.status, assigned.entity_id, assigned.stage_due_on) == before
    assert ComplaintEvent.objects.filter(complaint=assigned).count() == events

    # From the form that now shows "investigating", the transfer goes through.
    again = client.post(
        url,
        {
            "step": "transfer",
            "entity": elsewhere.pk,
            "note": "转办",
            SEEN_STATUS_FIELD: "investigating",
        },
    )
    assert again.status_code == 302
    assigned.refresh_from_db()
    assert assigned.entity_id == elsewhere.pk


def test_a_fresh_page_moves_the_complaint(client, assigned) -> None:
    response = client.post(seen_url(_url(assigned), assigned), {"step": "investigate"})
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert assigned.status == S.INVESTIGATING


def test_a_link_from_a_stale_change_page_leads_back_to_the_complaint(client, assigned) -> None:
    url = seen_url(_url(assigned), assigned)
    actions.complaint_investigate(complaint=assigned, by=complaint_handler())
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/{assigned.pk}/change/")
    shown = {str(m) for m in response.context["messages"]}
    assert shown & set(stale_refusals(assigned, S.INVESTIGATING, S.ASSIGNED))


@pytest.mark.parametrize("seen", [None, "", "\x00", "Assigned"])
def test_a_form_that_does_not_say_what_it_saw_is_a_400(client, assigned, seen) -> None:  # noqa: ANN001
    data = {"step": "investigate"}
    if seen is not None:
        data[SEEN_STATUS_FIELD] = seen
    response = client.post(_url(assigned), data)
    assert response.status_code == 400
    assert form_errors(response) in stale_refusals(assigned, S.ASSIGNED, seen)
    assigned.refresh_from_db()
    assert assigned.status == S.ASSIGNED


def test_the_same_step_twice_still_says_already(client, assigned) -> None:
    url = seen_url(_url(assigned), assigned)
    assert client.post(url, {"step": "investigate"}).status_code == 302
    second = client.post(url, {"step": "investigate"})
    assert second.status_code == 409
    assert form_errors(second) in stale_refusals(
        assigned, S.INVESTIGATING, S.ASSIGNED, S.INVESTIGATING
    )
    assert ComplaintEvent.objects.filter(complaint=assigned, to_status=S.INVESTIGATING).count() == 1


# --- rectification projects --------------------------------------------------------------------


def _step(project: RectificationProject, name: str) -> str:
    return reverse("admin:complaints_rectificationproject_step", args=[project.pk, name])


def test_a_stale_progress_report_is_refused(client) -> None:
    project = RectificationProjectFactory()
    url = seen_url(_step(project, "progress"), project)  # the page showed "planned"
    rectification_project_start(project=project, by=UserFactory(is_superuser=True), note="")
    project.refresh_from_db()
    events = project.events.count()

    data = {"reported_on": "2024-03-10", "text": "已组织培训"}
    refused = client.post(url, data)
    assert refused.status_code == 409
    assert form_errors(refused) in stale_refusals(project, P.IN_PROGRESS, P.PLANNED)
    project.refresh_from_db()
    assert project.status == P.IN_PROGRESS
    assert not project.progress_updates.exists() and project.events.count() == events

    again = client.post(url, {**data, SEEN_STATUS_FIELD: "in_progress"})
    assert again.status_code == 302
    assert project.progress_updates.count() == 1


def test_a_project_step_without_the_status_is_a_400(client) -> None:
    project = RectificationProjectFactory()
    response = client.post(_step(project, "start"), {"note": ""})
    assert response.status_code == 400
    assert form_errors(response) in stale_refusals(project, P.PLANNED, None)
    project.refresh_from_db()
    assert project.status == P.PLANNED
