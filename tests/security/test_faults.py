"""Faults: the database going away, a write failing half-way, a sweep interrupted.

What a citizen must be able to rely on: a page or an API call during a database outage gets a
503 that says so (never a traceback), and a submission is either stored and acknowledged or
clearly refused, never a tracking number for something that was not stored. An interrupted
`sweep_deadlines` finishes on its next run without doing anything twice.
"""

import datetime
import io
import re
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from complaints.models import Complaint, ComplaintEvent, RectificationProjectEvent
from disclosure.models import InformationRequest
from tests.factories.complaints import (
    COMPLAINANT_MOBILE,
    COMPLAINANT_NAME,
    RectificationProjectFactory,
    submit_complaint,
)
from tests.factories.disclosure import AdministrativeEntityFactory, make_request, request_data

pytestmark = pytest.mark.django_db

# A tracking number of either kind, as the acknowledgement pages and the API show them.
TRACKING_NUMBER = re.compile(r"\b(TS|YSQ)-\d{8}-[0-9A-Z]{6}\b")
LOST = OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def anonymous() -> Client:
    """A browser that sees error pages as a citizen does (no exception re-raised in the test)."""
    return Client(raise_request_exception=False)


@pytest.fixture
def database_down():
    """Every attempt to use the database fails as when the server is unreachable."""
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=LOST):
        yield


# --- Database down -----------------------------------------------------------------------------


def test_a_page_during_an_outage_is_the_503_page_with_retry_after(anonymous, database_down):
    response = anonymous.get("/")

    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    body = response.content.decode()
    assert "Traceback" not in body and "OperationalError" not in body
    assert "<h1>" in body  # the standalone page, not a bare error string


def test_an_api_call_during_an_outage_is_a_json_503(anonymous, database_down):
    response = anonymous.get("/api/v1/disclosure/entities/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"].isdigit()
    assert "OperationalError" not in response.content.decode()


def test_healthz_during_an_outage_is_503(anonymous, database_down):
    response = anonymous.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


def test_a_complaint_posted_during_an_outage_is_refused_without_a_number(anonymous, database_down):
    response = anonymous.post(
        "/complaints/new/",
        {
            "entity": "1",
            "category": "delay",
            "description": "窗口拖延。",
            "complainant_name": COMPLAINANT_NAME,
            "complainant_mobile": COMPLAINANT_MOBILE,
        },
    )

    assert response.status_code == 503
    assert not TRACKING_NUMBER.search(response.content.decode())


# --- A write failing half-way ------------------------------------------------------------------


def _complaint_form() -> dict:
    return {
        "entity": AdministrativeEntityFactory().pk,
        "category": "delay",
        "description": "窗口工作人员拖延办理。",
        "complainant_name": COMPLAINANT_NAME,
        "complainant_mobile": COMPLAINANT_MOBILE,
    }


def test_a_complaint_whose_history_row_fails_is_not_stored_and_gets_no_number(anonymous):
    data = _complaint_form()
    # The complaint row is written, then the database fails on its "received" event.
    with mock.patch("complaints.actions.complaints._event", side_effect=LOST):
        response = anonymous.post("/complaints/new/", data, follow=True)

    assert response.status_code == 503
    body = response.content.decode()
    assert not TRACKING_NUMBER.search(body)
    assert "<h1>" in body
    assert not Complaint.objects.exists()
    assert not ComplaintEvent.objects.exists()


def test_a_complaint_via_the_api_whose_write_fails_gets_a_503_and_no_number(anonymous):
    data = _complaint_form()
    with mock.patch("complaints.actions.complaints._event", side_effect=LOST):
        response = anonymous.post("/api/v1/complaints/", data)

    assert response.status_code == 503
    assert "tracking_no" not in response.json()
    assert not TRACKING_NUMBER.search(response.content.decode())
    assert not Complaint.objects.exists()


def test_an_information_request_whose_event_fails_is_not_stored_and_gets_no_number(anonymous):
    entity = AdministrativeEntityFactory()
    data = {"entity": entity.pk, **request_data()}
    data.pop("channel")
    with mock.patch("disclosure.actions.requests.RequestEvent.objects.create", side_effect=LOST):
        response = anonymous.post("/requests/new/", data)

    assert response.status_code == 503
    assert not TRACKING_NUMBER.search(response.content.decode())
    assert not InformationRequest.objects.exists()


def test_the_same_forms_without_a_fault_are_stored_and_acknowledged(client):
    """The control: the fault tests fail for the fault, not because the form was invalid."""
    complaint = client.post("/complaints/new/", _complaint_form(), follow=True)
    entity = AdministrativeEntityFactory()
    data = {"entity": entity.pk, **request_data()}
    data.pop("channel")
    request = client.post("/requests/new/", data)

    numbers = TRACKING_NUMBER.findall(complaint.content.decode())
    assert numbers and Complaint.objects.count() == 1
    assert TRACKING_NUMBER.search(request.content.decode())
    assert InformationRequest.objects.count() == 1
    assert Complaint.objects.get().tracking_no in complaint.content.decode()
    assert InformationRequest.objects.get().tracking_no in request.content.decode()


# --- An interrupted sweep ----------------------------------------------------------------------

SWEEP_DAY = "2026-06-01"


def _sweep(capture) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("sweep_deadlines", "--today", SWEEP_DAY, stdout=out)
    return out.getvalue()


def test_an_interrupted_sweep_finishes_on_the_next_run_with_no_duplicate_effects(
    django_capture_on_commit_callbacks,
):
    entity = AdministrativeEntityFactory(disclosure_office_email="office@example.gov.cn")
    complaints = [
        submit_complaint(entity=entity, received_on=datetime.date(2026, 1, 5))[0] for _ in range(3)
    ]
    project = RectificationProjectFactory(due_date=datetime.date(2026, 3, 31))
    request = make_request(entity=entity, received=datetime.date(2026, 5, 6))
    mail.outbox.clear()

    # The first run loses the database on the second complaint's "overdue" event: requests and
    # service cases were swept, one complaint was flagged, projects were not reached.
    from complaints.actions import complaints as complaint_actions

    real_event = complaint_actions._event
    calls = {"n": 0}

    def event_then_fault(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise LOST
        return real_event(*args, **kwargs)

    with mock.patch.object(complaint_actions, "_event", side_effect=event_then_fault):
        with pytest.raises(OperationalError):
            _sweep(django_capture_on_commit_callbacks)

    flagged = Complaint.objects.filter(overdue_on__isnull=False).count()
    assert flagged == 1
    project.refresh_from_db()
    assert project.overdue_since is None

    second = _sweep(django_capture_on_commit_callbacks)
    third = _sweep(django_capture_on_commit_callbacks)

    assert "complaints: 2 stages newly overdue" in second
    assert "rectification projects: 1 newly overdue" in second
    for complaint in complaints:
        assert (
            ComplaintEvent.objects.filter(
                complaint=complaint, kind=ComplaintEvent.Kind.OVERDUE
            ).count()
            == 1
        )
    project.refresh_from_db()
    assert project.overdue_since == datetime.date(2026, 4, 1)
    assert RectificationProjectEvent.objects.filter(project=project).count() == 1
    request.refresh_from_db()
    assert request.reminded_for == request.due_date
    reminders = [m for m in mail.outbox if request.tracking_no in m.subject]
    assert len(reminders) == 1
    assert "complaints: 0 stages newly overdue" in third
    assert "rectification projects: 0 newly overdue" in third
    assert "reminded 0" in third
