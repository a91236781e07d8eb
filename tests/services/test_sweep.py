"""`sweep_deadlines`: default acceptance, overdue, deemed approval; idempotent and concurrent."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from services.actions.cases import case_accept, cases_sweep
from services.models import ServiceCase, ServiceCaseEvent
from tests.factories.disclosure import UserFactory
from tests.factories.services import ServiceCaseFactory, ServiceItemFactory

pytestmark = pytest.mark.usefixtures("fresh_calendar")
S = ServiceCase.Status
D = datetime.date


def _accepted_case(on: datetime.date, **item_kwargs) -> ServiceCase:
    clerk = UserFactory(perms=["services.handle_servicecase"])
    case = ServiceCaseFactory(received_on=on, item=ServiceItemFactory(**item_kwargs))
    return case_accept(case=case, by=clerk, on=on)


@pytest.mark.django_db
def test_sweep_deems_approved_overdue_and_default_accepts_then_changes_nothing():
    # given: accepted 5 Jan 2026 (due 7 Jan), one item deems approval, one does not
    deems = _accepted_case(D(2026, 1, 5))
    marks = _accepted_case(D(2026, 1, 5), deemed_approval=False)
    in_time = _accepted_case(D(2026, 1, 9))  # due 13 January
    silent = ServiceCaseFactory(received_on=D(2026, 1, 5))  # no notice by 12 January
    fresh = ServiceCaseFactory(received_on=D(2026, 1, 9))
    # when
    first = cases_sweep(today=D(2026, 1, 13))
    # then
    for case in (deems, marks, in_time, silent, fresh):
        case.refresh_from_db()
    assert deems.status == S.DEEMED_APPROVED and deems.deemed_approved_on == D(2026, 1, 8)
    assert marks.status == S.ACCEPTED and marks.overdue_on == D(2026, 1, 8)
    assert in_time.status == S.ACCEPTED and in_time.overdue_on is None
    # No correction notice within 5 working days: accepted from receipt, and then overdue.
    assert silent.accepted_on == D(2026, 1, 5) and silent.deemed_accepted
    assert silent.status == S.DEEMED_APPROVED
    assert fresh.status == S.RECEIVED
    assert (first.accepted_by_default, first.overdue, first.deemed_approved) == (1, 1, 2)

    events = ServiceCaseEvent.objects.count()
    history = ServiceCase.history.count()
    second = cases_sweep(today=D(2026, 1, 13))
    assert second.changed == 0
    assert ServiceCaseEvent.objects.count() == events
    assert ServiceCase.history.count() == history


@pytest.mark.django_db
def test_suspended_case_is_not_deemed_approved():
    clerk = UserFactory(perms=["services.handle_servicecase"])
    case = _accepted_case(D(2026, 1, 5))
    from services.actions.cases import case_suspend

    case_suspend(case=case, reason="expert_review", on=D(2026, 1, 6), by=clerk)
    assert cases_sweep(today=D(2026, 2, 2)).changed == 0
    case.refresh_from_db()
    assert case.status == S.SUSPENDED


@pytest.mark.django_db
def test_command_runs_twice():
    _accepted_case(D(2026, 1, 5))
    out = io.StringIO()
    call_command("sweep_deadlines", "--today", "2026-01-13", stdout=out)
    call_command("sweep_deadlines", "--today", "2026-01-13", stdout=out)
    assert ServiceCase.objects.get().status == S.DEEMED_APPROVED
    assert ServiceCaseEvent.objects.filter(to_status=S.DEEMED_APPROVED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_deem_each_case_exactly_once():
    cases = [_accepted_case(D(2026, 1, 5)) for _ in range(25)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweep() -> None:
        try:
            barrier.wait()
            results.append(cases_sweep(today=D(2026, 1, 13)))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert sum(r.deemed_approved for r in results) == len(cases)
    for case in cases:
        assert ServiceCaseEvent.objects.filter(case=case, to_status=S.DEEMED_APPROVED).count() == 1
    assert set(ServiceCase.objects.values_list("status", flat=True)) == {S.DEEMED_APPROVED}


@pytest.mark.django_db
def test_joint_meeting_queue_is_scoped_to_the_officials_departments():
    from disclosure.models import EntityMembership
    from services.selectors.cases import joint_meeting_queue

    mine = _accepted_case(D(2026, 1, 5))
    theirs = _accepted_case(D(2026, 1, 5))
    cases_sweep(today=D(2026, 1, 13))
    official = UserFactory()
    EntityMembership.objects.create(user=official, entity=mine.entity)
    assert list(joint_meeting_queue(official)) == [mine]
    assert set(joint_meeting_queue(UserFactory(is_superuser=True))) == {mine, theirs}


@pytest.mark.django_db
def test_every_change_the_sweep_makes_is_in_the_history():
    """Overdue marking is saved through the model: its history row shows the new date."""
    marks = _accepted_case(D(2026, 1, 5), deemed_approval=False)
    deems = _accepted_case(D(2026, 1, 5))
    cases_sweep(today=D(2026, 1, 13))
    latest = marks.history.latest("history_id")
    assert latest.overdue_on == D(2026, 1, 8)
    assert deems.history.latest("history_id").status == S.DEEMED_APPROVED
