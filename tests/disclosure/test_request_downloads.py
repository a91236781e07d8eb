"""The applicant downloads the reply letter and documents after tracking; nobody else can."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import workdays.calendar as calendar_module
from disclosure.actions import requests as actions
from disclosure.actions.requests import request_receive, request_submit
from disclosure.models.requests import RequestDocument
from tests.factories.disclosure import AdministrativeEntityFactory, request_data, request_handler

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path
    calendar_module._snapshot = None
    cache.clear()
    yield
    calendar_module._snapshot = None


def _submitted(received: dt.date = dt.date(2025, 3, 3)):  # noqa: ANN202, B008
    handler = request_handler()
    submitted_at = timezone.make_aware(dt.datetime.combine(received, dt.time(9, 0)))
    request, credentials = request_submit(
        entity=AdministrativeEntityFactory(), data=request_data(), submitted_at=submitted_at
    )
    request = request_receive(request=request, by=handler, on=received)
    return request, credentials, handler


def _replied_with_document():  # noqa: ANN202
    request, credentials, handler = _submitted()
    request = actions.request_reply(
        request=request,
        by=handler,
        outcome="disclosed",
        on=dt.date(2025, 3, 10),
        documents=[("改造计划全文", SimpleUploadedFile("plan.pdf", PDF))],
    )
    return request, credentials, RequestDocument.objects.get(request=request)


def _track(client: Client, credentials) -> object:  # noqa: ANN001
    return client.post(
        reverse("disclosure:request-track"),
        {"number": credentials.number, "password": credentials.password},
    )


def _letter_url(request) -> str:  # noqa: ANN001
    return reverse("disclosure:request-letter", args=[request.tracking_no])


def _document_url(request, document) -> str:  # noqa: ANN001
    return reverse("disclosure:request-document", args=[request.tracking_no, document.pk])


def test_the_applicant_downloads_the_letter_and_the_documents_after_tracking() -> None:
    request, credentials, document = _replied_with_document()
    client = Client()
    page = _track(client, credentials)
    assert page.status_code == 200
    html = page.content.decode()
    assert _letter_url(request) in html and _document_url(request, document) in html
    assert "改造计划全文" in html
    letter = client.get(_letter_url(request))
    assert letter.status_code == 200
    assert letter["Content-Disposition"].startswith("attachment;")
    assert letter["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in letter["Cache-Control"]
    text = letter.content.decode()
    assert request.tracking_no in text and "予以公开" in text and "第三十六条" in text
    download = client.get(_document_url(request, document))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_anonymous_visitors_and_guessed_ids_get_404() -> None:
    request, _credentials, document = _replied_with_document()
    stranger = Client()
    assert stranger.get(_letter_url(request)).status_code == 404
    assert stranger.get(_document_url(request, document)).status_code == 404
    # the media file is not reachable by a public URL either
    assert stranger.get("/media/" + document.file.name).status_code == 404


def test_tracking_one_request_does_not_open_another() -> None:
    request, credentials, document = _replied_with_document()
    other, _other_credentials, other_document = _replied_with_document()
    client = Client()
    _track(client, credentials)
    assert client.get(_document_url(request, document)).status_code == 200
    # the other applicant's letter and document, and a document id moved onto my number
    assert client.get(_letter_url(other)).status_code == 404
    assert client.get(_document_url(other, other_document)).status_code == 404
    crossed = reverse("disclosure:request-document", args=[request.tracking_no, other_document.pk])
    assert client.get(crossed).status_code == 404
    guessed = reverse("disclosure:request-document", args=[request.tracking_no, 99999])
    assert client.get(guessed).status_code == 404


def test_a_wrong_password_opens_nothing() -> None:
    request, credentials, document = _replied_with_document()
    client = Client()
    wrong = client.post(
        reverse("disclosure:request-track"), {"number": credentials.number, "password": "WRONG123"}
    )
    assert wrong.status_code == 404
    assert client.get(_letter_url(request)).status_code == 404
    assert client.get(_document_url(request, document)).status_code == 404


def test_nothing_to_download_before_the_reply() -> None:
    request, credentials, handler = _submitted()
    client = Client()
    page = _track(client, credentials)
    assert _letter_url(request) not in page.content.decode()
    assert client.get(_letter_url(request)).status_code == 404
    # documents attached later, after the reply, appear for the applicant
    request = actions.request_reply(
        request=request, by=handler, outcome="partly_disclosed", on=dt.date(2025, 3, 12)
    )
    document = actions.request_document_attach(
        request=request, by=handler, title="部分公开的材料", file=SimpleUploadedFile("a.pdf", PDF)
    )
    assert client.get(_letter_url(request)).status_code == 200
    assert client.get(_document_url(request, document)).status_code == 200
