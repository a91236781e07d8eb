"""Open311 server errors in the format the client asked for (GeoReport v2 serves JSON and XML).

The site's 500/503 handler answered JSON on every /open311/ URL, so a client of `requests.xml`
got a body it could not parse. It now answers the spec's error list (`errors` → `error` with
`code` and `description`) in XML when the URL ends in `.xml` or, without an extension, when
Accept prefers XML; JSON otherwise, as before.
"""

import json
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own test responses
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, RequestFactory

from complaints.views.open311 import open311_error_format
from config.views import server_error

pytestmark = pytest.mark.django_db
LOST = OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def anonymous() -> Client:
    return Client(raise_request_exception=False)


@pytest.fixture
def database_down():
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=LOST):
        yield


def _xml_error(response) -> tuple[str, str]:  # noqa: ANN001
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert root.tag == "errors"
    [error] = root.findall("error")
    return error.findtext("code"), error.findtext("description")


def test_an_xml_request_during_an_outage_gets_an_xml_503(anonymous, database_down) -> None:
    response = anonymous.get("/open311/v2/requests.xml")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    code, description = _xml_error(response)
    assert code == "503" and "nothing was stored" in description


def test_a_json_request_during_an_outage_still_gets_json(anonymous, database_down) -> None:
    response = anonymous.get("/open311/v2/requests.json", HTTP_ACCEPT="text/xml")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    [error] = json.loads(response.content)
    assert error["code"] == 503


def test_an_xml_request_that_fails_gets_an_xml_500(anonymous) -> None:
    with mock.patch("complaints.views.open311._service", side_effect=RuntimeError("boom")):
        response = anonymous.get("/open311/v2/services.xml")
    assert response.status_code == 500
    assert _xml_error(response) == ("500", "Server error.")
    assert b"boom" not in response.content and b"Traceback" not in response.content


def test_a_json_request_that_fails_gets_a_json_500(anonymous) -> None:
    with mock.patch("complaints.views.open311._service", side_effect=RuntimeError("boom")):
        response = anonymous.get("/open311/v2/services.json")
    assert response.status_code == 500
    assert json.loads(response.content) == [{"code": 500, "description": "Server error."}]


def test_without_an_extension_accept_decides() -> None:
    factory = RequestFactory()
    xml = factory.get("/open311/v2/", HTTP_ACCEPT="application/xml")
    assert server_error(xml).status_code == 500
    assert _xml_error(server_error(xml)) == ("500", "Server error.")
    for accept in ("application/json", "*/*", "", "application/json,text/xml;q=0.5"):
        request = factory.get("/open311/v2/", HTTP_ACCEPT=accept)
        assert open311_error_format(request) == "json", accept
    for accept in ("text/xml", "text/html,application/xml;q=0.9,*/*;q=0.8"):
        request = factory.get("/open311/v2/", HTTP_ACCEPT=accept)
        assert open311_error_format(request) == "xml", accept


def test_the_api_keeps_its_json_500() -> None:
    response = server_error(RequestFactory().get("/api/v1/x.xml", HTTP_ACCEPT="text/xml"))
    assert response.status_code == 500
    assert json.loads(response.content) == {"detail": "Server error."}
