"""Abuse: per-address submission limits (429), the honeypot, and request-size limits (413)."""

import json

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from complaints.models import Complaint, Open311Key
from disclosure.models.requests import InformationRequest
from tests.factories.disclosure import AdministrativeEntityFactory, request_data

pytestmark = pytest.mark.django_db

COMPLAINT_NEW = "/complaints/new/"
COMPLAINT_API = "/api/v1/complaints/submit/"


def _complaint(entity, **overrides) -> dict:  # noqa: ANN001
    return {
        "entity": entity.pk,
        "category": "delay",
        "description": "窗口工作人员拖延办理。",
        "complainant_name": "张三",
        "complainant_mobile": "13812345678",
        **overrides,
    }


def _application(entity, **overrides) -> dict:  # noqa: ANN001
    data = request_data(**overrides)
    data.pop("channel")
    return {"entity": entity.pk, **data}


def _complaint_api_url() -> str:
    return reverse("complaints-api:complaint-submit")


# --- Rate limits --------------------------------------------------------------------------------


@override_settings(GONGKAI_SUBMISSION_LIMIT=2)
def test_complaint_form_past_the_limit_is_refused_with_429_and_nothing_stored(client) -> None:
    entity = AdministrativeEntityFactory()
    for _ in range(2):
        assert client.post(COMPLAINT_NEW, _complaint(entity)).status_code == 302
    refused = client.post(COMPLAINT_NEW, _complaint(entity))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "429.html" in [t.name for t in refused.templates]
    assert Complaint.objects.count() == 2


@override_settings(GONGKAI_SUBMISSION_LIMIT=1)
def test_the_refusal_says_what_happened_and_when_to_try_again(client) -> None:
    entity = AdministrativeEntityFactory()
    client.post("/en/complaints/new/", _complaint(entity))
    english = client.post("/en/complaints/new/", _complaint(entity))
    assert english.status_code == 429
    page = english.content.decode()
    assert "Too many submissions from your address" in page
    assert "Nothing was received this time" in page and "minute" in page


@override_settings(GONGKAI_SUBMISSION_LIMIT=1)
def test_the_limit_counts_per_address(client) -> None:
    entity = AdministrativeEntityFactory()
    assert client.post(COMPLAINT_NEW, _complaint(entity)).status_code == 302
    assert client.post(COMPLAINT_NEW, _complaint(entity)).status_code == 429
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post(COMPLAINT_NEW, _complaint(entity)).status_code == 302
    assert Complaint.objects.count() == 2


@override_settings(GONGKAI_SUBMISSION_LIMIT=1)
def test_the_form_page_itself_is_never_limited(client) -> None:
    entity = AdministrativeEntityFactory()
    client.post(COMPLAINT_NEW, _complaint(entity))
    for _ in range(3):
        assert client.get(COMPLAINT_NEW).status_code == 200


@override_settings(GONGKAI_SUBMISSION_LIMIT=0)
def test_a_limit_of_zero_switches_the_check_off(client) -> None:
    entity = AdministrativeEntityFactory()
    for _ in range(3):
        assert client.post(COMPLAINT_NEW, _complaint(entity)).status_code == 302


@override_settings(GONGKAI_SUBMISSION_LIMIT=1)
def test_request_form_past_the_limit_is_refused_with_429(client) -> None:
    entity = AdministrativeEntityFactory()
    url = reverse("disclosure:request-new")
    assert client.post(url, _application(entity)).status_code == 200
    refused = client.post(url, _application(entity))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert InformationRequest.objects.count() == 1


@override_settings(GONGKAI_SUBMISSION_LIMIT=1)
def test_complaint_and_request_apis_answer_429_json(client) -> None:
    entity = AdministrativeEntityFactory()
    url = _complaint_api_url()
    assert client.post(url, _complaint(entity)).status_code == 201
    refused = client.post(url, _complaint(entity))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused["Content-Type"].startswith("application/json")
    assert "detail" in refused.json()
    assert Complaint.objects.count() == 1

    api = reverse("disclosure-api:request-submit")
    body = json.dumps(_application(entity))
    assert client.post(api, body, content_type="application/json").status_code == 201
    refused = client.post(api, body, content_type="application/json")
    assert refused.status_code == 429 and "Retry-After" in refused
    assert InformationRequest.objects.count() == 1


@override_settings(GONGKAI_SUBMISSION_LIMIT=1)
def test_open311_post_answers_429_in_its_own_error_format(client) -> None:
    entity = AdministrativeEntityFactory()
    key = Open311Key.objects.create(name="12345热线").key
    data = {
        "api_key": key,
        "service_code": "delay",
        "description": "拖拉",
        "attribute[entity]": entity.pk,
    }
    assert client.post("/open311/v2/requests.json", data).status_code == 200
    refused = client.post("/open311/v2/requests.json", data)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json()[0]["code"] == 429
    xml = client.post("/open311/v2/requests.xml", data)
    assert xml.status_code == 429 and b"<errors>" in xml.content
    assert Complaint.objects.count() == 1


@override_settings(GONGKAI_SUBMISSION_LIMIT=1)
def test_complaints_and_requests_are_counted_apart(client) -> None:
    entity = AdministrativeEntityFactory()
    assert client.post(COMPLAINT_NEW, _complaint(entity)).status_code == 302
    url = reverse("disclosure:request-new")
    assert client.post(url, _application(entity)).status_code == 200


# --- Honeypot -----------------------------------------------------------------------------------


def test_the_forms_carry_the_honeypot_hidden_from_people(client) -> None:
    for url in (COMPLAINT_NEW, reverse("disclosure:request-new")):
        page = client.get(url).content.decode()
        assert 'class="hp-field" aria-hidden="true"' in page
        assert 'name="website"' in page and 'tabindex="-1"' in page


def test_a_filled_honeypot_is_refused_silently_and_nothing_is_stored(client) -> None:
    entity = AdministrativeEntityFactory()
    complaint = client.post(COMPLAINT_NEW, _complaint(entity, website="http://spam.example"))
    assert complaint.status_code == 302 and complaint["Location"].endswith(COMPLAINT_NEW)
    application = client.post(
        reverse("disclosure:request-new"), _application(entity, website="buy now")
    )
    assert application.status_code == 302
    assert Complaint.objects.count() == 0 and InformationRequest.objects.count() == 0
    # an empty honeypot (a person) goes through
    assert client.post(COMPLAINT_NEW, _complaint(entity, website="")).status_code == 302
    assert Complaint.objects.count() == 1


# --- Request size -------------------------------------------------------------------------------


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_form_fields_over_the_data_limit_answer_413_even_through_the_csrf_check() -> None:
    entity = AdministrativeEntityFactory()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(COMPLAINT_NEW, _complaint(entity, description="长" * 2000))
    assert response.status_code == 413
    assert "413.html" in [t.name for t in response.templates]
    assert Complaint.objects.count() == 0


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_json_body_over_the_data_limit_answers_413_json(client) -> None:
    entity = AdministrativeEntityFactory()
    body = json.dumps(_application(entity, info_description="长" * 2000))
    response = client.post(
        reverse("disclosure-api:request-submit"), body, content_type="application/json"
    )
    assert response.status_code == 413 and "detail" in response.json()
    assert InformationRequest.objects.count() == 0


@override_settings(GONGKAI_MAX_REQUEST_BYTES=2000)
def test_an_upload_over_the_request_limit_answers_413(client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    entity = AdministrativeEntityFactory()
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 5000, "application/pdf")
    response = client.post(COMPLAINT_NEW, {**_complaint(entity), "attachments": [big]})
    assert response.status_code == 413
    assert Complaint.objects.count() == 0


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5)
def test_too_many_fields_answer_413(client) -> None:
    entity = AdministrativeEntityFactory()
    data = {**_complaint(entity), **{f"x{n}": "1" for n in range(10)}}
    assert client.post(COMPLAINT_NEW, data).status_code == 413
    assert Complaint.objects.count() == 0


@override_settings(GONGKAI_SUBMISSION_LIMIT=1, GONGKAI_TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_the_limit_counts_the_address_the_proxy_saw() -> None:
    entity = AdministrativeEntityFactory()
    proxy = "10.0.0.5"
    first = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.1")
    second = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert first.post(COMPLAINT_NEW, _complaint(entity)).status_code == 302
    assert second.post(COMPLAINT_NEW, _complaint(entity)).status_code == 302
    assert first.post(COMPLAINT_NEW, _complaint(entity)).status_code == 429
    # an address the client wrote itself (left of the proxy's entry) changes nothing
    spoofed = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.1")
    assert spoofed.post(COMPLAINT_NEW, _complaint(entity)).status_code == 429
