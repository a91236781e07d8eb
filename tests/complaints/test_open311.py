"""Open311 GeoReport v2: JSON validated against the published schemas, XML, errors, privacy."""

import json
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own responses
from pathlib import Path

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from complaints.models import Complaint
from tests.factories.complaints import (
    COMPLAINANT_EMAIL,
    COMPLAINANT_MOBILE,
    COMPLAINANT_NAME,
    ComplaintFactory,
    submit_complaint,
)
from tests.factories.disclosure import AdministrativeEntityFactory

pytestmark = pytest.mark.django_db
SCHEMAS = Path("/work/shared/open311/schemas")
BASE = "/open311/v2/"


def _xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own response


def _registry() -> Registry:
    return Registry().with_resources(
        (
            path.name,
            Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT4),
        )
        for path in SCHEMAS.glob("*.json")
    )


def _validate(payload, schema_name: str) -> None:
    schema = json.loads((SCHEMAS / schema_name).read_text())
    jsonschema.Draft4Validator(schema, registry=_registry()).validate(payload)


def test_discovery_and_services(client):
    assert client.get(f"{BASE}discovery.json").json()["endpoints"]
    services = client.get(f"{BASE}services.json").json()
    _validate(services, "services.json")
    assert [s["service_code"] for s in services] == list(Complaint.Category.values)
    xml = _xml(client.get(f"{BASE}services.xml").content)
    assert xml.tag == "services" and len(xml.findall("service")) == 8


def test_service_definition_and_unknown_code(client):
    AdministrativeEntityFactory(name="西岗区劳动局")
    definition = client.get(f"{BASE}services/delay.json").json()
    _validate(definition, "service-definition.json")
    codes = {a["code"] for a in definition["attributes"]}
    assert {"entity", "window", "item", "case_number"} <= codes
    missing = client.get(f"{BASE}services/nope.json")
    assert missing.status_code == 404
    assert missing.json()[0]["code"] == 404
    assert _xml(client.get(f"{BASE}services/nope.xml").content).tag == "errors"


def test_post_needs_an_api_key_and_a_known_code(client, api_key):
    entity = AdministrativeEntityFactory()
    data = {"service_code": "delay", "description": "拖拉", "attribute[entity]": entity.pk}
    refused = client.post(f"{BASE}requests.json", data)
    assert refused.status_code == 403 and refused.json()[0]["code"] == 403
    wrong = client.post(f"{BASE}requests.json", {**data, "api_key": "nope"})
    assert wrong.status_code == 403
    unknown = client.post(f"{BASE}requests.json", {**data, "api_key": api_key, "service_code": "x"})
    assert unknown.status_code == 404 and unknown.json()[0]["code"] == 404
    no_target = client.post(
        f"{BASE}requests.json",
        {"service_code": "delay", "description": "拖拉", "api_key": api_key},
    )
    assert no_target.status_code == 400
    assert _xml(client.post(f"{BASE}requests.xml", data).content).tag == "errors"
    assert Complaint.objects.count() == 0


def test_post_files_a_complaint_and_get_shows_no_personal_data(client, api_key):
    entity = AdministrativeEntityFactory()
    response = client.post(
        f"{BASE}requests.json",
        {
            "api_key": api_key,
            "service_code": "arbitrary_charges",
            "description": "窗口人员私下索要好处费",
            "attribute[entity]": entity.pk,
            "first_name": "秘密",
            "last_name": "王",
            "phone": COMPLAINANT_MOBILE,
            "email": COMPLAINANT_EMAIL,
        },
    )
    assert response.status_code == 200
    number = response.json()[0]["service_request_id"]
    complaint = Complaint.objects.get(tracking_no=number)
    assert complaint.complainant_name == "王秘密" and complaint.channel == "open311"

    listing = client.get(f"{BASE}requests.json")
    _validate(listing.json(), "requests.json")
    one = client.get(f"{BASE}requests/{number}.json")
    _validate(one.json(), "requests.json")
    assert one.json()[0]["status"] == "open"
    assert one.json()[0]["agency_responsible"] == entity.name
    for body in (listing.content, one.content, client.get(f"{BASE}requests.xml").content):
        text = body.decode()
        # The citizen's own words are not published either (the category's name may be).
        for secret in ("王秘密", COMPLAINANT_MOBILE, COMPLAINANT_EMAIL, "私下索要好处费"):
            assert secret not in text
    assert client.get(f"{BASE}requests/TS-NOPE.json").status_code == 404


def test_get_filters_and_status_mapping(client):
    open_one, _ = submit_complaint(category="delay")
    closed_one, _ = submit_complaint(category="attitude")
    Complaint.objects.filter(pk=closed_one.pk).update(status="withdrawn", withdraw_reason="x")
    closed = client.get(f"{BASE}requests.json?status=closed").json()
    assert [r["service_request_id"] for r in closed] == [closed_one.tracking_no]
    assert closed[0]["status_notes"]  # the Chinese state
    by_code = client.get(f"{BASE}requests.json?service_code=delay").json()
    assert [r["service_request_id"] for r in by_code] == [open_one.tracking_no]
    old = client.get(
        f"{BASE}requests.json?start_date=2001-01-01T00:00:00Z&end_date=2001-02-01T00:00:00Z"
    )
    assert old.json() == []
    assert client.get(f"{BASE}requests.json?start_date=yesterday").status_code == 400


def test_requests_list_query_count_does_not_grow(client):
    ComplaintFactory()
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(f"{BASE}requests.json").json()) == 1
    ComplaintFactory.create_batch(19)
    with CaptureQueriesContext(connection) as twenty:
        assert len(client.get(f"{BASE}requests.json").json()) == 20
    assert len(twenty) == len(one)


def test_name_never_leaks_through_the_xml(client):
    submit_complaint()
    assert COMPLAINANT_NAME not in client.get(f"{BASE}requests.xml").content.decode()


def test_requests_come_in_pages_newest_first_and_validate(client):
    """Without page_size a GET returns DEFAULT_PAGE_SIZE requests (the spec lets a server limit
    the default); `page` and `page_size` (at most 1000) walk the rest; both pages validate."""
    from complaints.views.open311 import DEFAULT_PAGE_SIZE

    ComplaintFactory.create_batch(DEFAULT_PAGE_SIZE + 5)
    newest_first = list(Complaint.objects.values_list("tracking_no", flat=True))

    first = client.get(f"{BASE}requests.json").json()
    second = client.get(f"{BASE}requests.json?page=2").json()
    small = client.get(f"{BASE}requests.json?page_size=3&page=2").json()

    assert [r["service_request_id"] for r in first] == newest_first[:DEFAULT_PAGE_SIZE]
    assert [r["service_request_id"] for r in second] == newest_first[DEFAULT_PAGE_SIZE:]
    assert [r["service_request_id"] for r in small] == newest_first[3:6]
    _validate(first, "requests.json")
    _validate(second, "requests.json")
    big = client.get(f"{BASE}requests.json?page_size=5000").json()
    assert len(big) == DEFAULT_PAGE_SIZE + 5  # capped at 1000, all of them here
    for bad in ("0", "-1", "x", "²", "9999999999"):
        answer = client.get(f"{BASE}requests.json?page_size={bad}")
        assert answer.status_code == 400, bad
        assert answer.json()[0]["code"] == 400
    assert client.get(f"{BASE}requests.xml?page=0").status_code == 400


def test_a_request_shows_the_department_it_is_about(client):
    """agency_responsible: the department named, else the case's, window's or item's."""
    department = AdministrativeEntityFactory(name="西岗区人力资源和社会保障局")
    ComplaintFactory(entity=department)

    (listed,) = client.get(f"{BASE}requests.json").json()
    (single,) = client.get(f"{BASE}requests/{listed['service_request_id']}.json").json()

    assert listed["agency_responsible"] == single["agency_responsible"] == department.name
    assert listed == single
