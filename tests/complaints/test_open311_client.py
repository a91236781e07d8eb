"""The third-party Open311 client `georeport` (PyPI) drives the GET calls against a live server."""

import pytest

georeport = pytest.importorskip("georeport")

from complaints.models import Complaint  # noqa: E402
from tests.factories.complaints import COMPLAINANT_NAME, submit_complaint  # noqa: E402


@pytest.fixture
def client_for(live_server, transactional_db):
    def make(output_format: str):
        return georeport.GeoReport(f"{live_server.url}/open311/v2", output_format=output_format)

    return make


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_georeport_client_reads_services_and_requests(client_for, output_format):
    complaint, _ = submit_complaint(category="attitude")
    api = client_for(output_format)

    services = api.get_service_list()
    assert {s["service_code"] for s in services} == set(Complaint.Category.values)

    definition = api.get_service_definition("attitude")
    assert definition["service_code"] == "attitude"

    one = api.get_service_request(complaint.tracking_no)
    one = one[0] if isinstance(one, list) else one
    if output_format == "xml":
        one = one["request"] if "request" in one else one
    assert one["service_request_id"] == complaint.tracking_no
    assert one["status"] == "open"

    listed = api.get_service_requests(service_code="attitude", status="open")
    text = repr(listed)
    assert complaint.tracking_no in text
    assert COMPLAINANT_NAME not in text


def test_georeport_client_with_the_districts_jurisdiction(live_server, transactional_db):
    import requests

    from complaints.views.open311 import jurisdiction_id

    complaint, _ = submit_complaint(category="delay")
    root = f"{live_server.url}/open311/v2"
    api = georeport.GeoReport(root, jurisdiction=jurisdiction_id())
    assert {s["service_code"] for s in api.get_service_list()} == set(Complaint.Category.values)
    assert api.get_service_request(complaint.tracking_no)["service_request_id"] == (
        complaint.tracking_no
    )
    wrong = georeport.GeoReport(root, jurisdiction="sfgov.org")
    with pytest.raises(requests.HTTPError) as refused:
        wrong.get_service_list()
    assert refused.value.response.status_code == 404
    assert refused.value.response.json()[0]["code"] == 404
