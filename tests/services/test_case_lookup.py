"""The public case-status lookup: page and API; the clock and its derivation; no private data."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import workdays.calendar as calendar_module
from services.actions.cases import case_accept, case_receive, case_suspend
from services.models import ServiceCase
from tests.factories.disclosure import UserFactory
from tests.factories.services import ServiceItemFactory

pytestmark = pytest.mark.django_db
D = datetime.date
CODE = "K7M3Q9PA"
API = "/api/v1/services/cases/status/"
PAGE = "/services/cases/lookup/"


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    calendar_module._snapshot = None
    cache.clear()


@pytest.fixture
def clerk():
    return UserFactory(perms=["services.handle_servicecase"])


def _case(clerk, *, case_no="XG-T-0001", parent=None, channel="window", agent_name=""):
    case = case_receive(
        item=ServiceItemFactory(),
        applicant_type="person",
        applicant_name="赵秘密",
        applicant_contact="13811112222",
        channel=channel,
        parent=parent,
        agent_name=agent_name,
        received_on=D(2024, 2, 8),
        case_no=case_no,
        query_code=CODE,
        by=clerk,
    ).case
    return case_accept(case=case, on=D(2024, 2, 8), by=clerk)


def test_api_shows_clock_and_derivation_without_private_data(client, clerk):
    _case(clerk)
    response = client.get(API, {"case_no": "xg-t-0001", "code": CODE})
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "accepted" and data["case_no"] == "XG-T-0001"
    assert data["clock"]["due_date"] == "2024-02-18"  # across the Spring Festival
    assert data["clock"]["derivation"]
    body = response.content.decode()
    assert "赵秘密" not in body and "13811112222" not in body
    assert "applicant" not in body
    assert response["Cache-Control"] == "no-store"


def test_api_same_404_for_unknown_number_and_wrong_code(client, clerk):
    _case(clerk)
    wrong = client.get(API, {"case_no": "XG-T-0001", "code": "WRONG"})
    unknown = client.get(API, {"case_no": "XG-T-9999", "code": CODE})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def test_api_missing_parameters_is_400(client):
    assert client.get(API, {"case_no": "X"}).status_code == 400


def test_api_rate_limited(client, clerk):
    _case(clerk)
    for _ in range(20):
        client.get(API, {"case_no": "XG-T-0001", "code": "WRONG"})
    response = client.get(API, {"case_no": "XG-T-0001", "code": CODE})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_page_shows_status_clock_and_no_private_data(client, clerk):
    case = _case(clerk)
    case_suspend(case=case, reason="hearing", on=D(2024, 2, 9), by=clerk)
    response = client.post(PAGE, {"case_no": "XG-T-0001", "code": CODE})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="suspended"' in html
    assert "赵秘密" not in html and "13811112222" not in html
    assert reverse("services:item-detail", args=[case.item_id]) in html


def test_page_not_found_and_get(client, clerk):
    _case(clerk)
    assert client.get(PAGE).status_code == 200
    assert client.post(PAGE, {"case_no": "XG-T-0001", "code": "WRONG"}).status_code == 404


def _parent_with_subs(clerk, n: int) -> ServiceCase:
    parent = _case(clerk, case_no="XG-T-P", channel="agency", agent_name="李明")
    for i in range(n):
        _case(clerk, case_no=f"XG-T-S{i:02d}", parent=parent, channel="agency")
    return parent


@pytest.mark.parametrize("kind", ["api", "page"])
def test_full_agency_parent_lists_sub_cases_in_constant_queries(client, clerk, kind):
    def count(case_no: str) -> tuple[int, str]:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            if kind == "api":
                response = client.get(API, {"case_no": case_no, "code": CODE})
            else:
                response = client.post(PAGE, {"case_no": case_no, "code": CODE})
        assert response.status_code == 200
        return len(queries), response.content.decode()

    _parent_with_subs(clerk, 1)
    one, body = count("XG-T-P")
    assert "XG-T-S00" in body
    for i in range(1, 20):
        _case(
            clerk,
            case_no=f"XG-T-S{i:02d}",
            parent=ServiceCase.objects.get(case_no="XG-T-P"),
            channel="agency",
        )
    twenty, body = count("XG-T-P")
    assert "XG-T-S19" in body
    assert one == twenty
