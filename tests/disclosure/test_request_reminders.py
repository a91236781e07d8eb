"""Reminders to officials before a reply is due, the daily digest and the overdue list."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.actions.requests import request_digest_send
from disclosure.models import EntityMembership
from disclosure.selectors.requests import request_overdue_list
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    UserFactory,
    make_request,
    request_handler,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]
D = dt.date
TODAY = D(2025, 10, 21)  # reminder horizon: 3 working days → 24 October


@pytest.fixture
def world():  # noqa: ANN201
    a, b = AdministrativeEntityFactory(), AdministrativeEntityFactory()
    clerk_a = request_handler(username="clerk_a")
    clerk_b = request_handler(username="clerk_b")
    EntityMembership.objects.create(user=clerk_a, entity=a)
    EntityMembership.objects.create(user=clerk_b, entity=b)
    bystander = UserFactory(username="bystander")  # a member without the handling permission
    EntityMembership.objects.create(user=bystander, entity=a)
    admin = UserFactory(username="district_admin", is_superuser=True)
    # due 28 September (Sunday, a make-up working day): overdue on 21 October
    overdue_a = make_request(entity=a, received=D(2025, 9, 1), by=clerk_a)
    # due 24 October: within the reminder window
    soon_a = make_request(entity=a, received=D(2025, 9, 22), by=clerk_a)
    # due in November: not yet
    later_a = make_request(entity=a, received=D(2025, 10, 13), by=clerk_a)
    overdue_b = make_request(entity=b, received=D(2025, 9, 1), by=clerk_b)
    return {
        "a": a,
        "clerks": (clerk_a, clerk_b, bystander, admin),
        "requests": (overdue_a, soon_a, later_a, overdue_b),
    }


def test_the_overdue_list_is_scoped_and_in_due_date_order(world) -> None:
    overdue_a, soon_a, later_a, overdue_b = world["requests"]
    assert (overdue_a.due_date, soon_a.due_date) == (D(2025, 9, 28), D(2025, 10, 24))
    assert set(request_overdue_list(today=TODAY)) == {overdue_a, overdue_b}
    assert list(request_overdue_list(today=TODAY, entity_ids={world["a"].pk})) == [overdue_a]
    assert list(request_overdue_list(today=D(2025, 9, 28))) == []  # due that day: not late


def test_the_daily_digest_goes_to_each_handler_with_their_own_requests(world, mailoutbox) -> None:
    overdue_a, soon_a, later_a, overdue_b = world["requests"]
    clerk_a, clerk_b, bystander, admin = world["clerks"]
    assert request_digest_send(today=TODAY) == 3
    by_recipient = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_recipient) == {clerk_a.email, clerk_b.email, admin.email}
    mail_a = by_recipient[clerk_a.email]
    assert overdue_a.tracking_no in mail_a.body and soon_a.tracking_no in mail_a.body
    assert later_a.tracking_no not in mail_a.body and overdue_b.tracking_no not in mail_a.body
    # overdue first, then due soon
    assert mail_a.body.index(overdue_a.tracking_no) < mail_a.body.index(soon_a.tracking_no)
    assert "1" in mail_a.subject
    mail_b = by_recipient[clerk_b.email]
    assert overdue_b.tracking_no in mail_b.body and overdue_a.tracking_no not in mail_b.body
    assert all(
        r.tracking_no in by_recipient[admin.email].body for r in (overdue_a, soon_a, overdue_b)
    )
    assert bystander.email not in by_recipient


def test_no_digest_when_nothing_is_due(world, mailoutbox) -> None:
    assert request_digest_send(today=D(2025, 9, 1)) == 0
    assert mailoutbox == []


def test_the_digest_command(world, mailoutbox) -> None:
    out = io.StringIO()
    call_command("requests_digest", "--today", "2025-10-21", stdout=out)
    assert "digest sent to 3 officials" in out.getvalue()
    assert len(mailoutbox) == 3


def test_the_overdue_list_costs_the_same_queries_for_1_and_20_rows() -> None:
    entity = AdministrativeEntityFactory()
    handler = request_handler()
    make_request(entity=entity, received=D(2025, 9, 1), by=handler)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            for request in request_overdue_list(today=TODAY):
                list(request.consultations.all())
                _ = request.entity.name
        return len(queries)

    one = count()
    for _ in range(19):
        make_request(entity=entity, received=D(2025, 9, 1), by=handler)
    assert len(list(request_overdue_list(today=TODAY))) == 20
    assert count() == one
