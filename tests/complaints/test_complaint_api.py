"""The complaints API: submission through the same action as the form, with field errors."""

import pytest

from complaints.models import Complaint
from tests.factories.complaints import COMPLAINANT_MOBILE
from tests.factories.disclosure import AdministrativeEntityFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/complaints/"


def test_submit_returns_number_and_password(client):
    entity = AdministrativeEntityFactory()
    response = client.post(
        URL,
        {
            "entity": entity.pk,
            "category": "attitude",
            "description": "态度生硬",
            "complainant_name": "李某",
            "complainant_mobile": COMPLAINANT_MOBILE,
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert response.json()["tracking_no"] == complaint.tracking_no
    assert complaint.tracking_password_check(response.json()["password"])
    assert complaint.channel == "api"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"category": "attitude", "description": "x", "anonymous": True}, "__all__"),
        (
            {"category": "attitude", "description": "x", "complainant_mobile": "123"},
            "complainant_mobile",
        ),
        ({"category": "nope", "description": "x", "anonymous": True}, "category"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(client, payload, field):
    payload = {"entity": AdministrativeEntityFactory().pk, **payload}
    if field == "__all__":
        payload.pop("entity")
    response = client.post(URL, payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert Complaint.objects.count() == 0


def test_the_schema_lists_the_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/complaints/" in schema["paths"]
    assert "/api/v1/complaints/track/" in schema["paths"]
