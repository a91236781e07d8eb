"""The officials' admin for information requests: consultations and their answers, appeals and
their results, reply documents; legal moves go through, illegal ones are refused on the form.

Dates are in the 2025 National Day holiday (1-8 October off; Sunday 28 September and Saturday
11 October are make-up working days), so that each consultation's pause is visible in the clock.
"""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import workdays.calendar as calendar_module
from disclosure.actions import requests as actions
from disclosure.models import InformationRequest
from disclosure.models.requests import RequestAppeal, RequestConsultation, RequestDocument
from tests.factories.disclosure import UserFactory, make_request, request_handler
from tests.factories.workflow import seen_url, step_name
from workdays.calendar import add_workdays, workdays_between

pytestmark = pytest.mark.django_db
D = dt.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path
    calendar_module._snapshot = None
    yield
    calendar_module._snapshot = None


@pytest.fixture
def official() -> object:
    return UserFactory(is_superuser=True)


@pytest.fixture
def client(official) -> Client:
    client = Client()
    client.force_login(official)
    return client


def _step(client: Client, record: InformationRequest, step: str, data: dict | None = None):  # noqa: ANN202
    url = reverse("admin:disclosure_informationrequest_workflow", args=[record.pk, step])
    return client.post(seen_url(url, record), data or {})


def _buttons(client: Client, record: InformationRequest) -> list[str]:
    change = client.get(reverse("admin:disclosure_informationrequest_change", args=[record.pk]))
    assert change.status_code == 200
    # the step names, from the buttons' links (…/workflow/<step>/): labels are translated
    return [step_name(button["url"]) for button in change.context["workflow_buttons"]]


def _in_review(received: dt.date) -> InformationRequest:
    handler = request_handler()
    request = make_request(received=received, by=handler)
    return actions.request_review_start(request=request, by=handler)


def _replied(received: dt.date | None = None, on: dt.date | None = None) -> InformationRequest:
    received, on = received or D(2025, 3, 3), on or D(2025, 3, 10)
    handler = request_handler()
    request = make_request(received=received, by=handler)
    return actions.request_reply(request=request, by=handler, outcome="disclosed", on=on)


# --- Consultations ----------------------------------------------------------------------------


def test_two_consultations_and_their_answers_through_the_admin(client) -> None:
    # given a request in review, received on Monday 15 September 2025 (plain due date 20 Oct)
    record = _in_review(D(2025, 9, 15))
    plain_due = add_workdays(D(2025, 9, 15), 20)
    assert record.due_date == plain_due
    # when the official consults a company on 26 September and an agency on 29 September
    response = _step(
        client, record, "consult", {"on": "2025-09-26", "kind": "third_party", "party": "甲公司"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == InformationRequest.Status.CONSULTING
    assert "consult_more" in _buttons(client, record)
    response = _step(
        client, record, "consult_more", {"on": "2025-09-29", "kind": "agency", "party": "区财政局"}
    )
    assert response.status_code == 302
    company, agency = RequestConsultation.objects.filter(request=record).order_by("sent_date")
    # 15 working days from 26 Sep across the holiday: 28, 29, 30 Sep, 9, 10, Sat 11, 13-17,
    # 20-23 Oct
    assert company.due_date == D(2025, 10, 23)
    # then the company answers on 10 October: still consulting the agency
    response = _step(
        client,
        record,
        "answer",
        {
            "on": "2025-10-10",
            "consultation": company.pk,
            "answer": "不同意",
            "objects_to_disclosure": "on",
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == InformationRequest.Status.CONSULTING
    company.refresh_from_db()
    assert (company.answered_date, company.objects_to_disclosure) == (D(2025, 10, 10), True)
    # and the agency answers on Saturday 11 October (a make-up working day): the review resumes
    response = _step(
        client, record, "answer", {"on": "2025-10-11", "consultation": agency.pk, "answer": "同意"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == InformationRequest.Status.IN_REVIEW
    # the clock stood still from 26 Sep to 11 Oct: 26, 28, 29, 30 Sep, 9, 10, 11 Oct
    paused = workdays_between(D(2025, 9, 25), D(2025, 10, 11))
    assert paused == 7
    assert record.due_date == add_workdays(plain_due, paused)
    notes = [event.note for event in record.events.order_by("at", "id")]
    assert any("甲公司" in note for note in notes) and any("区财政局" in note for note in notes)
    assert "answer" not in _buttons(client, record)


def test_answer_refused_before_sending_and_when_none_is_open(client) -> None:
    record = _in_review(D(2025, 9, 15))
    actions.request_consultation_open(
        request=record, by=request_handler(), kind="third_party", party="乙公司", on=D(2025, 9, 26)
    )
    consultation = RequestConsultation.objects.get(request=record)
    # an answer dated before the consultation was sent: a clear error, nothing stored
    response = _step(
        client, record, "answer", {"on": "2025-09-25", "consultation": consultation.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    consultation.refresh_from_db()
    assert consultation.answered_date is None
    # answered once; a second answer to the same consultation is not offered
    assert (
        _step(
            client, record, "answer", {"on": "2025-10-09", "consultation": consultation.pk}
        ).status_code
        == 302
    )
    response = _step(
        client, record, "answer", {"on": "2025-10-10", "consultation": consultation.pk}
    )
    assert response.status_code == 400
    assert "consultation" in response.context["form"].errors
    consultation.refresh_from_db()
    assert consultation.answered_date == D(2025, 10, 9)


def test_consulting_is_refused_before_the_review_starts(client) -> None:
    record = make_request(received=D(2025, 9, 15), by=request_handler())
    assert "consult" not in _buttons(client, record)
    response = _step(
        client, record, "consult", {"on": "2025-09-16", "kind": "third_party", "party": "丙公司"}
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not RequestConsultation.objects.filter(request=record).exists()
    record.refresh_from_db()
    assert record.status == InformationRequest.Status.RECEIVED


# --- Appeals ----------------------------------------------------------------------------------


def test_an_appeal_and_its_result_through_the_admin(client) -> None:
    record = _replied()
    assert "appeal" in _buttons(client, record)
    assert "appeal_result" not in _buttons(client, record)
    response = _step(
        client,
        record,
        "appeal",
        {"on": "2025-04-01", "appeal_kind": "reconsideration", "body": "大连市西岗区人民政府"},
    )
    assert response.status_code == 302
    appeal = RequestAppeal.objects.get(request=record)
    assert (appeal.kind, appeal.result, appeal.filed_date) == (
        "reconsideration",
        "pending",
        D(2025, 4, 1),
    )
    assert "appeal_result" in _buttons(client, record)
    response = _step(
        client,
        record,
        "appeal_result",
        {"on": "2025-05-30", "appeal": appeal.pk, "result": "upheld"},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.result, appeal.decided_date) == ("upheld", D(2025, 5, 30))
    assert any("2025-05-30" in e.note for e in record.events.all())
    # the result is recorded once: the decided appeal is no longer offered
    response = _step(
        client,
        record,
        "appeal_result",
        {"on": "2025-06-02", "appeal": appeal.pk, "result": "corrected"},
    )
    assert response.status_code == 400
    appeal.refresh_from_db()
    assert appeal.result == "upheld"


def test_illegal_appeals_are_refused(client) -> None:
    # an appeal about a request still being handled
    open_record = make_request(received=D(2025, 3, 3), by=request_handler())
    assert "appeal" not in _buttons(client, open_record)
    response = _step(
        client, open_record, "appeal", {"on": "2025-04-01", "appeal_kind": "reconsideration"}
    )
    assert response.status_code == 400
    assert not RequestAppeal.objects.exists()
    # an appeal filed before the reply, an unknown kind, a result before the filing, "pending"
    record = _replied(on=D(2025, 3, 10))
    response = _step(
        client, record, "appeal", {"on": "2025-03-07", "appeal_kind": "reconsideration"}
    )
    assert response.status_code == 400 and "filed_date" not in response.context["form"].fields
    assert response.context["form"].non_field_errors()
    assert (
        _step(client, record, "appeal", {"on": "2025-04-01", "appeal_kind": "petition"}).status_code
        == 400
    )
    assert not RequestAppeal.objects.exists()
    _step(client, record, "appeal", {"on": "2025-04-01", "appeal_kind": "litigation_direct"})
    appeal = RequestAppeal.objects.get()
    response = _step(
        client,
        record,
        "appeal_result",
        {"on": "2025-03-31", "appeal": appeal.pk, "result": "upheld"},
    )
    assert response.status_code == 400
    response = _step(
        client,
        record,
        "appeal_result",
        {"on": "2025-05-06", "appeal": appeal.pk, "result": "pending"},
    )
    assert response.status_code == 400 and "result" in response.context["form"].errors
    appeal.refresh_from_db()
    assert appeal.result == "pending" and appeal.decided_date is None


# --- Reply documents --------------------------------------------------------------------------


def test_attaching_a_reply_document(client, settings) -> None:
    record = _replied()
    assert "document" in _buttons(client, record)
    upload = SimpleUploadedFile("王晓明的答复.pdf", PDF, content_type="application/pdf")
    response = _step(client, record, "document", {"title": "答复所附文件", "file": upload})
    assert response.status_code == 302
    document = RequestDocument.objects.get(request=record)
    assert (document.title, document.content_type, document.size) == (
        "答复所附文件",
        "application/pdf",
        len(PDF),
    )
    # stored under a random name: neither the applicant's file name nor the request's id
    assert "王晓明" not in document.file.name and f"/{record.pk}/" not in document.file.name
    assert document.file.name.startswith("requests/") and document.file.name.endswith(".pdf")
    assert any("答复所附文件" in e.note for e in record.events.all())


def test_documents_are_refused_by_content_and_outside_the_replied_state(client) -> None:
    record = _replied()
    fake = SimpleUploadedFile(
        "readme.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )
    response = _step(client, record, "document", {"title": "伪装的文件", "file": fake})
    assert response.status_code == 400 and "file" in response.context["form"].errors
    no_title = SimpleUploadedFile("a.pdf", PDF)
    assert _step(client, record, "document", {"title": "", "file": no_title}).status_code == 400
    # an open request and a closed one take no documents
    open_record = make_request(received=D(2025, 3, 3), by=request_handler())
    response = _step(
        client, open_record, "document", {"title": "x", "file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert response.status_code == 400
    closed = actions.request_close(request=record, by=request_handler(), on=D(2025, 3, 11))
    assert "document" not in _buttons(client, closed)
    response = _step(
        client, closed, "document", {"title": "x", "file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert response.status_code == 400
    assert not RequestDocument.objects.exists()


def test_an_official_without_the_handling_permission_cannot_record(client) -> None:
    record = _replied()
    from disclosure.models import EntityMembership

    viewer = UserFactory(perms=["disclosure.view_informationrequest"])
    EntityMembership.objects.create(user=viewer, entity=record.entity)
    other = Client()
    other.force_login(viewer)
    assert _buttons(other, record) == []
    response = _step(
        other, record, "appeal", {"on": "2025-04-01", "appeal_kind": "reconsideration"}
    )
    assert response.status_code in (400, 403)
    assert not RequestAppeal.objects.exists()
