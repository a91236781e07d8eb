"""Public pages and API of disclosure on request: the form, tracking, reports; no personal data."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

import disclosure.tracking as tracking
from disclosure.actions.reports import report_generate, report_publish
from disclosure.actions.requests import request_reply
from disclosure.models import AnnualReport, InformationRequest
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    UserFactory,
    make_request,
    make_resident_id,
    request_data,
    request_handler,
)
from tests.factories.workflow import seen_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]
ID_NUMBER = make_resident_id("19751231", "456")
PHONE = "13912345678"


@pytest.fixture
def client() -> Client:
    return Client()


def _form(entity, **overrides) -> dict:  # noqa: ANN001
    data = request_data(**{"id_number": ID_NUMBER, "contact_phone": PHONE, **overrides})
    data.pop("channel")
    return {"entity": entity.pk, **data}


def test_the_entity_page_links_to_the_form_for_that_entity(client) -> None:
    entity = AdministrativeEntityFactory()
    response = client.get(reverse("disclosure:entity-detail", args=[entity.pk]))
    assert f"{reverse('disclosure:request-new')}?entity={entity.pk}" in response.content.decode()
    form = client.get(reverse("disclosure:request-new"), {"entity": entity.pk})
    assert form.status_code == 200 and form.context["form"].initial["entity"] == entity.pk


def test_the_section_page_is_real(client) -> None:
    response = client.get("/requests/")
    assert response.status_code == 200
    assert response.resolver_match.url_name == "request-index"


def test_a_citizen_submits_and_sees_the_number_and_password_once(client) -> None:
    entity = AdministrativeEntityFactory()
    response = client.post(reverse("disclosure:request-new"), _form(entity))
    assert response.status_code == 200
    record = InformationRequest.objects.get()
    credentials = response.context["credentials"]
    assert credentials.number == record.tracking_no
    assert record.tracking_password_check(credentials.password)
    assert (record.status, record.channel) == ("submitted", "online")
    assert ID_NUMBER not in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"id_number": ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")}, "id_number"),
        ({"contact_phone": "", "contact_email": "", "contact_address": ""}, "contact_phone"),
        ({"info_title": ""}, "info_title"),
    ],
)
def test_bad_input_is_a_field_error_and_stores_nothing(client, overrides, field) -> None:
    entity = AdministrativeEntityFactory()
    with translation.override("en"):
        response = client.post(reverse("disclosure:request-new"), _form(entity, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not InformationRequest.objects.exists()


def test_tracking_shows_state_and_due_date_but_no_personal_data(client) -> None:
    handler = request_handler()
    entity = AdministrativeEntityFactory()
    client.post(reverse("disclosure:request-new"), _form(entity))
    record = InformationRequest.objects.get()
    # a fresh password, as the acknowledgement would have shown it
    from disclosure.tracking import tracking_password_hash

    password = "ABCDEFGH"
    InformationRequest.objects.filter(pk=record.pk).update(
        tracking_password_hash=tracking_password_hash(password)
    )
    from disclosure.actions.requests import request_receive

    record = request_receive(request=record, by=handler, on=dt.date.today())
    response = client.post(
        reverse("disclosure:request-track"), {"number": record.tracking_no, "password": password}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="received"' in body
    assert record.due_date.isoformat() in body
    for secret in (ID_NUMBER, PHONE, record.applicant_name):
        assert secret not in body


def test_unknown_number_and_wrong_password_get_the_same_answer(client) -> None:
    record = make_request()
    wrong = client.post(
        reverse("disclosure:request-track"), {"number": record.tracking_no, "password": "nope"}
    )
    unknown = client.post(
        reverse("disclosure:request-track"), {"number": "YSQ-20250101-XXXXXX", "password": "nope"}
    )
    assert wrong.status_code == unknown.status_code == 404
    # the same page and message; only the echoed number and the CSRF token differ
    assert wrong.context["not_found"] is unknown.context["not_found"] is True
    assert [t.name for t in wrong.templates] == [t.name for t in unknown.templates]
    assert record.information_summary not in wrong.content.decode()


def test_tracking_is_rate_limited_with_retry_after(client, monkeypatch) -> None:
    monkeypatch.setattr(tracking, "LOOKUP_LIMIT", 1)
    data = {"number": "YSQ-20250101-XXXXXX", "password": "x"}
    client.post(reverse("disclosure:request-track"), data)
    response = client.post(reverse("disclosure:request-track"), data)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    api = client.post(
        reverse("disclosure-api:request-track"), data, content_type="application/json"
    )
    assert api.status_code == 429 and "Retry-After" in api


def test_api_submit_and_track_without_personal_data(client) -> None:
    entity = AdministrativeEntityFactory()
    payload = {"entity": entity.pk, **request_data(id_number=ID_NUMBER, contact_phone=PHONE)}
    payload.pop("channel")
    response = client.post(
        reverse("disclosure-api:request-submit"), payload, content_type="application/json"
    )
    assert response.status_code == 201
    tracked = client.post(
        reverse("disclosure-api:request-track"),
        {"number": response.json()["tracking_no"], "password": response.json()["password"]},
        content_type="application/json",
    )
    assert tracked.status_code == 200
    assert tracked.json()["status"] == "submitted"
    text = tracked.content.decode()
    assert ID_NUMBER not in text and PHONE not in text and "id_number" not in text


def test_api_rejects_a_bad_checksum_with_a_field_error(client) -> None:
    entity = AdministrativeEntityFactory()
    payload = {"entity": entity.pk, **request_data(id_number="210203198001011230")}
    payload.pop("channel")
    from disclosure.validators import resident_id_check_character

    assert resident_id_check_character("21020319800101123") != "0"
    response = client.post(
        reverse("disclosure-api:request-submit"), payload, content_type="application/json"
    )
    assert response.status_code == 400 and "id_number" in response.json()
    assert not InformationRequest.objects.exists()


def test_the_request_endpoints_are_in_the_openapi_schema(client) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/disclosure/requests/",
        "/api/v1/disclosure/requests/track/",
        "/api/v1/disclosure/reports/",
        "/api/v1/disclosure/reports/{id}/",
    ):
        assert path in schema["paths"], path


def _published_reports(n: int) -> None:
    handler = request_handler()
    for year in range(2021, 2021 + n):
        report_publish(
            report=report_generate(entity=AdministrativeEntityFactory(), year=year, by=handler),
            by=handler,
        )


@pytest.mark.parametrize(
    "url",
    [lambda: reverse("disclosure:report-list"), lambda: reverse("disclosure-api:report-list")],
)
def test_report_lists_cost_the_same_queries_for_1_and_20_rows(client, settings, url) -> None:
    settings.GONGKAI_PAGE_CACHE = False  # the rendering's queries, not a cached copy's none
    _published_reports(1)
    client.get(url())
    with CaptureQueriesContext(connection) as one:
        assert client.get(url()).status_code == 200
    _published_reports(19)
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(url()).status_code == 200
    assert AnnualReport.objects.count() == 20
    assert len(one) == len(twenty)


def test_report_page_and_exports_carry_no_personal_data(client) -> None:
    handler = request_handler()
    entity = AdministrativeEntityFactory()
    request = make_request(
        entity=entity,
        received=dt.date(2025, 3, 3),
        by=handler,
        id_number=ID_NUMBER,
        contact_phone=PHONE,
    )
    request_reply(request=request, by=handler, outcome="disclosed", on=dt.date(2025, 3, 5))
    report_publish(report=report_generate(entity=None, year=2025, by=handler), by=handler)
    for name in ("report-detail", "report-csv", "report-xlsx"):
        response = client.get(reverse(f"disclosure:{name}", args=["district", 2025]))
        assert response.status_code == 200
        assert ID_NUMBER.encode() not in response.content and PHONE.encode() not in response.content
    csv_text = client.get(
        reverse("disclosure:report-csv", args=["district", 2025])
    ).content.decode()
    assert ",1,0,0,0,0,0,1" in csv_text  # 一、本年新收: one natural person
    api = client.get(reverse("disclosure-api:report-list")).json()
    detail = client.get(reverse("disclosure-api:report-detail", args=[api["results"][0]["id"]]))
    assert detail.json()["tables"]["table3"]["disclosed"]["natural_person"] == 1
    assert ID_NUMBER not in detail.content.decode()


def test_draft_reports_are_not_public(client) -> None:
    report_generate(entity=None, year=2025, by=request_handler())
    assert (
        client.get(reverse("disclosure:report-detail", args=["district", 2025])).status_code == 404
    )
    assert (
        client.get(reverse("disclosure:report-detail", args=["nonsense", 2025])).status_code == 404
    )


def test_officials_work_queue_in_the_admin(client) -> None:
    admin_user = UserFactory(is_superuser=True)
    make_request(received=dt.date(2025, 3, 3))
    client.force_login(admin_user)
    response = client.get(
        reverse("admin:disclosure_informationrequest_changelist"), {"due": "overdue"}
    )
    assert response.status_code == 200 and response.context["cl"].result_count == 1
    record = InformationRequest.objects.get()
    change = client.get(reverse("admin:disclosure_informationrequest_change", args=[record.pk]))
    assert change.status_code == 200
    step = client.post(
        seen_url(
            reverse("admin:disclosure_informationrequest_workflow", args=[record.pk, "reply"]),
            record,
        ),
        {"on": "2025-03-05", "outcome": "disclosed"},
    )
    assert step.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.outcome) == ("replied", "disclosed")
