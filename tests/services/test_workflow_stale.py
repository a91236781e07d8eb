"""Stale workflow pages in the services admin: the step form posts the status its official saw.

A case moved by someone else since the page was opened is refused under the row lock, even when
the step is still legal from its new status: nothing changes (status, history, pauses, due
date) and the official is told. A form that does not say what it saw is a clear 400.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from disclosure.actions.workflow import SEEN_STATUS_FIELD
from disclosure.models import EntityMembership
from services.actions.cases import case_accept, case_suspend
from services.models import ServiceCase, ServiceCaseEvent
from tests.factories.disclosure import UserFactory
from tests.factories.services import ServiceCaseFactory, ServiceItemFactory
from tests.factories.workflow import form_errors, seen_url, stale_refusals

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]
S = ServiceCase.Status
D = datetime.date
JAN_5 = D(2026, 1, 5)
PERMS = ["services.handle_servicecase", "services.view_servicecase"]


def _clerk(department) -> object:  # noqa: ANN001
    user = UserFactory(perms=PERMS)
    EntityMembership.objects.create(user=user, entity=department)
    return user


@pytest.fixture
def clerk(department):
    return _clerk(department)


@pytest.fixture
def client(clerk) -> Client:
    client = Client()
    client.force_login(clerk)
    return client


@pytest.fixture
def accepted(department, clerk):
    case = ServiceCaseFactory(item=ServiceItemFactory(entity=department), received_on=JAN_5)
    return case_accept(case=case, by=clerk, on=JAN_5)


def _url(case: ServiceCase, step: str) -> str:
    return reverse("admin:services_servicecase_workflow", args=[case.pk, step])


def test_a_stale_withdrawal_still_legal_from_the_new_status_is_refused(
    client, accepted, department
) -> None:
    # The clerk opens "withdraw" while the case is accepted (the button carries that status).
    url = seen_url(_url(accepted, "withdraw"), accepted)
    assert client.get(url).status_code == 200
    # A colleague suspends it meanwhile; withdrawing is still legal from "suspended".
    case_suspend(case=accepted, reason="expert_review", by=_clerk(department), on=D(2026, 1, 6))
    accepted.refresh_from_db()
    before = (accepted.status, accepted.due_date, accepted.withdrawn_on)
    events = ServiceCaseEvent.objects.filter(case=accepted).count()

    refused = client.post(url, {"on": "2026-01-07", "note": "申请人撤回"})
    assert refused.status_code == 409
    assert form_errors(refused) in stale_refusals(accepted, S.SUSPENDED, S.ACCEPTED)
    assert f'name="{SEEN_STATUS_FIELD}" value="suspended"' in refused.content.decode()
    accepted.refresh_from_db()
    assert (accepted.status, accepted.due_date, accepted.withdrawn_on) == before
    assert accepted.pauses.get().last is None  # the suspension was not ended
    assert ServiceCaseEvent.objects.filter(case=accepted).count() == events

    # Sent again from the form that now shows "suspended", it goes through.
    again = client.post(
        url, {"on": "2026-01-07", "note": "申请人撤回", SEEN_STATUS_FIELD: "suspended"}
    )
    assert again.status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == S.WITHDRAWN


def test_a_stale_step_that_no_longer_applies_goes_back_to_the_case(
    client, accepted, department
) -> None:
    url = seen_url(_url(accepted, "suspend"), accepted)
    case_suspend(case=accepted, reason="hearing", by=_clerk(department), on=D(2026, 1, 6))
    response = client.post(url, {"on": "2026-01-07", "reason": "expert_review"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/{accepted.pk}/change/")
    shown = {str(m) for m in response.context["messages"]}
    assert shown & set(stale_refusals(accepted, S.SUSPENDED, S.ACCEPTED))
    accepted.refresh_from_db()
    assert accepted.pauses.get().reason == "hearing"


def test_a_fresh_page_moves_the_case(client, accepted) -> None:
    response = client.post(
        seen_url(_url(accepted, "suspend"), accepted), {"on": "2026-01-06", "reason": "hearing"}
    )
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == S.SUSPENDED


@pytest.mark.parametrize("seen", [None, "", "accepted'><script>", "ACCEPTED"])
def test_a_form_that_does_not_say_what_it_saw_is_a_400(client, accepted, seen) -> None:  # noqa: ANN001
    data = {"on": "2026-01-06", "reason": "hearing"}
    if seen is not None:
        data[SEEN_STATUS_FIELD] = seen
    response = client.post(_url(accepted, "suspend"), data)
    assert response.status_code == 400
    assert form_errors(response) in stale_refusals(accepted, S.ACCEPTED, seen)
    accepted.refresh_from_db()
    assert accepted.status == S.ACCEPTED and not accepted.pauses.exists()
