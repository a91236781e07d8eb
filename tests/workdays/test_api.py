"""The workdays API: deadlines with validation, and the list of special days."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

DEADLINE = "/api/v1/workdays/deadline/"
DAYS = "/api/v1/workdays/days/"


def test_deadline_endpoint(client) -> None:
    response = client.get(
        DEADLINE,
        {"start": "2025-09-20", "days": "20", "pause": "2025-10-20/2025-10-24"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["due_date"] == "2025-10-30"
    assert body["provisional"] is False
    assert body["pauses"] == ["2025-10-20/2025-10-24"]
    kinds = [step["kind"] for step in body["derivation"]["steps"]]
    assert kinds[0] == "start" and kinds[-1] == "due"
    assert "国庆节" in body["derivation"]["text"]


def test_deadline_endpoint_flags_a_year_not_loaded(client) -> None:
    body = client.get(DEADLINE, {"start": "2030-03-01", "days": "20"}).json()
    assert body["provisional"] is True
    assert body["not_loaded_years"] == [2030]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"days": "20"}, "start"),
        ({"start": "2025-13-01", "days": "20"}, "start"),
        ({"start": "1800-01-01", "days": "20"}, "start"),
        ({"start": "2025-03-01"}, "days"),
        ({"start": "2025-03-01", "days": "-3"}, "days"),
        ({"start": "2025-03-01", "days": "twenty"}, "days"),
        ({"start": "2025-03-01", "days": "5000"}, "days"),
        ({"start": "2025-03-01", "days": "5", "pause": "2025-03-05"}, "pause"),
        ({"start": "2025-03-01", "days": "5", "pause": "2025-03-09/2025-03-05"}, "pause"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, params: dict, field: str) -> None:
    response = client.get(DEADLINE, params)
    assert response.status_code == 400
    assert field in response.json()


def test_days_of_a_year(client) -> None:
    response = client.get(DAYS, {"year": "2025", "kind": "makeup_workday"})
    assert response.status_code == 200
    body = response.json()
    assert [row["date"] for row in body["results"]] == [
        "2025-01-26",
        "2025-02-08",
        "2025-04-27",
        "2025-09-28",
        "2025-10-11",
    ]
    assert body["results"][0]["name"] == "春节"


def test_days_bad_year_is_a_400(client) -> None:
    response = client.get(DAYS, {"year": "soon"})
    assert response.status_code == 400
    assert "year" in response.json()


def test_days_list_query_count_does_not_grow(client, django_assert_num_queries) -> None:
    with django_assert_num_queries(2):  # count + page
        client.get(DAYS, {"year": "2025"})
    with django_assert_num_queries(2):
        client.get(DAYS, {"year": "2013"})


def test_schema_mentions_the_endpoints(client) -> None:
    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/workdays/deadline/" in text
    assert "/api/v1/workdays/days/" in text
