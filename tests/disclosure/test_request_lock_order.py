"""Information requests: every path locks a request before its consultation or appeal.

The admin's steps lock the request first (`workflow_guard` checks the status the official saw)
and then call the action, which locks the consultation or appeal. Were an action to lock the
other way round, an official answering in the admin and another caller of the same action (the
demo loader, a later API) could each hold one row and wait for the other: a deadlock. These
tests record the row locks (SELECT … FOR UPDATE) each path takes, in order.
"""

import datetime as dt
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from disclosure.actions import requests as actions
from disclosure.actions.workflow import workflow_guard
from disclosure.models import InformationRequest
from disclosure.models.requests import RequestAppeal, RequestConsultation
from tests.factories.disclosure import UserFactory, make_request, request_handler
from tests.factories.workflow import seen_url

pytestmark = pytest.mark.django_db
D = dt.date
REQUEST = InformationRequest._meta.db_table
CONSULTATION = RequestConsultation._meta.db_table
APPEAL = RequestAppeal._meta.db_table
FOR_UPDATE = " FOR UPDATE"


@contextmanager
def locks_taken() -> Iterator[list[str]]:
    """The tables the body locks rows of, in the order of each table's first lock.

    On PostgreSQL these are the statements sent. SQLite has no row locks, so Django leaves the
    clause out there: the connection is told it has them, and the clause is taken off again just
    before SQLite runs the statement, so the order seen is the one PostgreSQL would get.
    """
    tables: list[str] = []
    sqlite = connection.vendor == "sqlite"

    def record(execute: Callable, sql: str, params, many, context):  # noqa: ANN001, ANN202
        if FOR_UPDATE in sql:
            table = re.search(r'\bFROM "([^"]+)"', sql).group(1)
            if table not in tables:
                tables.append(table)
            if sqlite:
                sql = sql.replace(FOR_UPDATE, "")
        return execute(sql, params, many, context)

    with (
        mock.patch.object(connection.features, "has_select_for_update", True),
        connection.execute_wrapper(record),
    ):
        yield tables


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(UserFactory(is_superuser=True))
    return client


def _admin_step(client: Client, record: InformationRequest, step: str, data: dict) -> None:
    url = reverse("admin:disclosure_informationrequest_workflow", args=[record.pk, step])
    response = client.post(seen_url(url, record), data)
    assert response.status_code == 302, response.content


def _consulting() -> tuple[InformationRequest, RequestConsultation]:
    handler = request_handler()
    request = make_request(received=D(2025, 3, 3), by=handler)
    request = actions.request_review_start(request=request, by=handler)
    consultation = actions.request_consultation_open(
        request=request, by=handler, kind="third_party", party="甲公司", on=D(2025, 3, 5)
    )
    return request, consultation


def _appealed() -> tuple[InformationRequest, RequestAppeal]:
    handler = request_handler()
    request = make_request(received=D(2025, 3, 3), by=handler)
    request = actions.request_reply(
        request=request, by=handler, outcome="disclosed", on=D(2025, 3, 10)
    )
    appeal = actions.request_appeal_record(
        request=request, by=handler, kind="reconsideration", filed_date=D(2025, 4, 1)
    )
    return request, appeal


def test_a_consultations_answer_locks_the_request_first_in_the_admin_and_the_action(
    admin_client,
) -> None:
    # given two requests, each waiting on one consultation
    in_admin, its_consultation = _consulting()
    by_action, other_consultation = _consulting()
    # when one answer is recorded through the admin step and the other by the action itself
    with locks_taken() as admin_locks:
        _admin_step(
            admin_client,
            in_admin,
            "answer",
            {"on": "2025-03-10", "consultation": its_consultation.pk, "answer": "同意"},
        )
    with locks_taken() as action_locks:
        actions.request_consultation_answer(
            consultation=other_consultation, by=request_handler(), answer="同意", on=D(2025, 3, 10)
        )
    # then both lock the request, then the consultation: neither can wait on the other's lock
    assert admin_locks == action_locks == [REQUEST, CONSULTATION]
    # and both answers were recorded, each request's review resumed
    for record, consultation in ((in_admin, its_consultation), (by_action, other_consultation)):
        consultation.refresh_from_db()
        record.refresh_from_db()
        assert consultation.answered_date == D(2025, 3, 10)
        assert record.status == InformationRequest.Status.IN_REVIEW


def test_an_appeals_result_locks_the_request_first_in_the_admin_and_the_action(
    admin_client,
) -> None:
    # given two replied requests, each with a pending appeal
    in_admin, its_appeal = _appealed()
    by_action, other_appeal = _appealed()
    # when one result is recorded through the admin step and the other by the action itself
    with locks_taken() as admin_locks:
        _admin_step(
            admin_client,
            in_admin,
            "appeal_result",
            {"on": "2025-05-30", "appeal": its_appeal.pk, "result": "upheld"},
        )
    with locks_taken() as action_locks:
        actions.request_appeal_decide(
            appeal=other_appeal, by=request_handler(), result="upheld", on=D(2025, 5, 30)
        )
    # then both lock the request, then the appeal
    assert admin_locks == action_locks == [REQUEST, APPEAL]
    for record, appeal in ((in_admin, its_appeal), (by_action, other_appeal)):
        appeal.refresh_from_db()
        assert (appeal.result, appeal.decided_date) == ("upheld", D(2025, 5, 30))
        assert any("2025-05-30" in event.note for event in record.events.all())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_admin_step_and_a_direct_call_at_once_wait_in_turn_without_a_deadlock() -> None:
    """The admin's answer step holds the request's lock when another caller answers the same
    consultation: the second waits for the request, then finds the answer recorded. (Locking
    the consultation first, it would hold what the admin needs next: PostgreSQL would end one
    of the two with a deadlock error.)"""
    record, consultation = _consulting()
    handler = request_handler()
    admin_holds_the_request = threading.Event()
    outcomes: dict[str, str] = {}

    def admin_step() -> None:  # as the admin's step runs: the guard, then the action
        try:
            fresh = InformationRequest.objects.get(pk=record.pk)
            with workflow_guard(record=fresh, seen_status=fresh.status):
                admin_holds_the_request.set()
                time.sleep(0.5)  # the other caller starts meanwhile and takes what it can
                actions.request_consultation_answer(
                    consultation=consultation, by=handler, answer="同意", on=D(2025, 3, 10)
                )
            outcomes["admin"] = "answered"
        except Exception as error:  # noqa: BLE001 - the outcome is what the test compares
            outcomes["admin"] = type(error).__name__
        finally:
            connection.close()

    def direct_call() -> None:
        admin_holds_the_request.wait()
        try:
            actions.request_consultation_answer(
                consultation=consultation, by=handler, answer="不同意", on=D(2025, 3, 10)
            )
            outcomes["direct"] = "answered"
        except ValidationError:
            outcomes["direct"] = "already answered"
        except Exception as error:  # noqa: BLE001
            outcomes["direct"] = type(error).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=admin_step), threading.Thread(target=direct_call)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == {"admin": "answered", "direct": "already answered"}
    consultation.refresh_from_db()
    assert consultation.answer == "同意"
