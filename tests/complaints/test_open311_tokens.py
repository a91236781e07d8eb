"""Open311 GeoReport v2: the token flow (POST returns a token, GET tokens/{token} gives the
service_request_id) and jurisdiction_id (the district's id accepted and advertised, another one
refused with 404, an empty one with 400, in the spec's error format)."""

import pytest
from django.conf import settings

from complaints.models import Complaint, Open311Token
from complaints.views.open311 import DEFAULT_JURISDICTION_ID, jurisdiction_id
from tests.complaints.test_open311 import BASE, _validate, _xml
from tests.factories.complaints import COMPLAINANT_EMAIL, COMPLAINANT_MOBILE, submit_complaint
from tests.factories.disclosure import AdministrativeEntityFactory

pytestmark = pytest.mark.django_db


def _post(client, api_key: str, fmt: str = "json", **extra):  # noqa: ANN001, ANN202
    data = {
        "api_key": api_key,
        "service_code": "delay",
        "description": "窗口三次推诿不予受理",
        "attribute[entity]": AdministrativeEntityFactory().pk,
        "first_name": "秘密",
        "last_name": "王",
        "phone": COMPLAINANT_MOBILE,
        "email": COMPLAINANT_EMAIL,
        **extra,
    }
    return client.post(f"{BASE}requests.{fmt}", data)


def _assert_spec_error(response, status: int) -> None:  # noqa: ANN001
    assert response.status_code == status
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == status and body[0]["description"]


def test_post_returns_a_token_that_gives_the_request_id(client, api_key) -> None:
    created = _post(client, api_key).json()[0]
    token, number = created["token"], created["service_request_id"]
    assert len(token) == 32 and token != number
    assert Open311Token.objects.get(token=token).complaint.tracking_no == number

    found = client.get(f"{BASE}tokens/{token}.json")
    assert found.status_code == 200
    _validate(found.json(), "requests.json")
    assert found.json()[0]["service_request_id"] == number
    assert found.json()[0]["token"] == token
    xml = _xml(client.get(f"{BASE}tokens/{token}.xml").content)
    assert xml.tag == "service_requests"
    assert xml.find("request/service_request_id").text == number
    assert xml.find("request/token").text == token
    for body in (found.content, client.get(f"{BASE}tokens/{token}.xml").content):
        text = body.decode()
        for secret in ("王秘密", COMPLAINANT_MOBILE, COMPLAINANT_EMAIL, "推诿不予受理"):
            assert secret not in text


def test_unknown_token_is_a_404_in_the_spec_format(client) -> None:
    complaint, _credentials = submit_complaint()
    _assert_spec_error(client.get(f"{BASE}tokens/nope.json"), 404)
    # the tracking number is not a token
    _assert_spec_error(client.get(f"{BASE}tokens/{complaint.tracking_no}.json"), 404)
    _assert_spec_error(client.get(f"{BASE}tokens/{'a' * 300}.json"), 404)
    assert _xml(client.get(f"{BASE}tokens/nope.xml").content).tag == "errors"
    assert client.get(f"{BASE}tokens/nope.html").status_code == 404


def test_discovery_advertises_the_jurisdiction(client) -> None:
    expected = getattr(settings, "OPEN311_JURISDICTION_ID", "") or DEFAULT_JURISDICTION_ID
    assert jurisdiction_id() == expected
    assert client.get(f"{BASE}discovery.json").json()["jurisdiction_id"] == expected
    xml = _xml(client.get(f"{BASE}discovery.xml").content)
    assert xml.find("jurisdiction_id").text == expected


def test_the_configured_jurisdiction_replaces_the_default(client, settings) -> None:
    settings.OPEN311_JURISDICTION_ID = "xigang.example.gov.cn"
    assert client.get(f"{BASE}discovery.json").json()["jurisdiction_id"] == "xigang.example.gov.cn"
    ok = client.get(f"{BASE}services.json", {"jurisdiction_id": "xigang.example.gov.cn"})
    assert ok.status_code == 200
    old = client.get(f"{BASE}services.json", {"jurisdiction_id": DEFAULT_JURISDICTION_ID})
    _assert_spec_error(old, 404)


def test_the_districts_jurisdiction_is_accepted_everywhere(client, api_key) -> None:
    complaint, _credentials = submit_complaint()
    own = {"jurisdiction_id": jurisdiction_id()}
    services = client.get(f"{BASE}services.json", own)
    assert services.status_code == 200
    _validate(services.json(), "services.json")
    definition = client.get(f"{BASE}services/delay.json", own)
    _validate(definition.json(), "service-definition.json")
    _validate(client.get(f"{BASE}requests.json", own).json(), "requests.json")
    one = client.get(f"{BASE}requests/{complaint.tracking_no}.json", own)
    _validate(one.json(), "requests.json")
    created = _post(client, api_key, **own)
    assert created.status_code == 200
    token = created.json()[0]["token"]
    _validate(client.get(f"{BASE}tokens/{token}.json", own).json(), "requests.json")


@pytest.mark.parametrize(
    "path",
    [
        "services.json",
        "services/delay.json",
        "requests.json",
        "requests/TS-X.json",
        "tokens/x.json",
    ],
)
def test_another_jurisdiction_is_refused(client, path) -> None:
    _assert_spec_error(client.get(f"{BASE}{path}", {"jurisdiction_id": "dalian.example.org"}), 404)
    _assert_spec_error(client.get(f"{BASE}{path}", {"jurisdiction_id": " "}), 400)
    xml = client.get(f"{BASE}{path.replace('.json', '.xml')}", {"jurisdiction_id": "other"})
    assert xml.status_code == 404 and _xml(xml.content).tag == "errors"


def test_post_to_another_jurisdiction_stores_nothing(client, api_key) -> None:
    _assert_spec_error(_post(client, api_key, jurisdiction_id="sfgov.org"), 404)
    _assert_spec_error(_post(client, api_key, jurisdiction_id=""), 400)
    assert Complaint.objects.count() == 0 and Open311Token.objects.count() == 0
