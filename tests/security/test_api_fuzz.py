"""Fuzzing the public API from its own OpenAPI schema (/api/schema/) with schemathesis.

Every operation the schema describes, submissions included, is called in-process through the
Django WSGI application with generated inputs, valid and invalid. No answer may be a 5xx, and
each must conform to the schema: a documented status code, a documented content type, a body of
the documented shape. Examples are bounded per operation so the run stays short on SQLite and on
PostgreSQL (`make test` runs both in CI).

The second half pins, one test each, the bugs the fuzzer found, so they stay fixed even when a
shorter or luckier run would miss them.
"""

import json

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from complaints.models import Complaint
from tests.factories.complaints import submit_complaint
from tests.factories.disclosure import AdministrativeEntityFactory

MAX_EXAMPLES = 10  # per operation: about 30 operations, a minute or two in all

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())

CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The real WSGI handler closes the connection after each request, as Django's test client
    does not: on PostgreSQL that closed the test's transaction under the next example."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(db) -> None:
    """A department with a complaint, so that lists, details and lookups have rows to return."""
    submit_complaint(entity=AdministrativeEntityFactory())


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_every_operation_answers_within_its_schema(case, api_data) -> None:
    # Lookups and submissions are rate-limited per address, counted in the cache: clear it so the
    # fuzzer measures the endpoint rather than the limiter (429 is documented for them anyway).
    cache.clear()
    case.call_and_validate(checks=CHECKS)


# --- Bugs the fuzzer found, pinned -------------------------------------------------------------

HUGE = "99999999999999999999999"  # beyond any database integer: used to raise OverflowError


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/complaints/visits/?window={HUGE}",
        f"/api/v1/complaints/visits/?entity={HUGE}",
        f"/api/v1/complaints/rectification/?responsible_entity={HUGE}",
        f"/api/v1/disclosure/entities/?parent={HUGE}",
        f"/api/v1/disclosure/guides/?entity={HUGE}",
        f"/api/v1/disclosure/institutions/?department={HUGE}",
        f"/api/v1/disclosure/institution-items/?institution={HUGE}",
        f"/api/v1/disclosure/fees/?institution={HUGE}",
        f"/api/v1/services/items/?department={HUGE}",
        f"/api/v1/workdays/days/?year={HUGE}",
        f"/api/v1/complaints/ledger/?year={HUGE}",
        f"/api/v1/complaints/statistics/?year={HUGE}",
        "/api/v1/complaints/ledger/?year=%C2%B2",  # "²": isdigit() but not int()-able
    ],
)
def test_an_out_of_range_number_in_a_filter_is_a_400_naming_the_parameter(client, url) -> None:
    response = client.get(url)

    assert response.status_code == 400
    parameter = url.split("?")[1].split("=")[0]
    assert parameter in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/complaints/", "/api/v1/complaints/track/"])
@pytest.mark.parametrize("body", ["[null, null]", '"text"', "42"])
def test_a_json_body_that_is_not_an_object_is_a_400_and_stores_nothing(client, path, body) -> None:
    response = client.post(path, data=body, content_type="application/json")

    assert response.status_code == 400
    assert "__all__" in response.json()
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_an_unknown_api_path_answers_json_not_the_html_page(client) -> None:
    response = client.get("/api/v1/disclosure/entities/null,null/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in json.loads(response.content)


@pytest.mark.django_db
def test_the_schema_documents_the_error_answers(client) -> None:
    paths = client.get("/api/schema/?format=json").json()["paths"]

    submit = paths["/api/v1/complaints/"]["post"]["responses"]
    assert {"201", "400", "429"} <= submit.keys()
    track = paths["/api/v1/disclosure/requests/track/"]["post"]["responses"]
    assert {"200", "400", "404", "429"} <= track.keys()
    detail = paths["/api/v1/disclosure/entities/{id}/"]["get"]["responses"]
    assert "404" in detail
    listing = paths["/api/v1/services/items/"]["get"]["responses"]
    assert {"200", "400", "404"} <= listing.keys()
    case_status = paths["/api/v1/services/cases/status/"]["get"]["responses"]
    assert {"200", "400", "404", "429"} <= case_status.keys()
