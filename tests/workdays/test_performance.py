"""The calendar is read once per process: deadlines never query the database per day."""

import datetime as dt

import pytest

from workdays.calendar import Deadline, Pause, add_workdays, is_workday

pytestmark = pytest.mark.django_db


def test_first_use_reads_the_calendar_in_two_queries(django_assert_num_queries) -> None:
    with django_assert_num_queries(2):
        is_workday(dt.date(2025, 10, 1))


def test_a_thousand_deadlines_make_no_queries(django_assert_num_queries) -> None:
    add_workdays(dt.date(2025, 1, 1), 1)  # first load
    start = dt.date(2020, 1, 1)
    with django_assert_num_queries(0):
        for i in range(1000):
            day = start + dt.timedelta(days=i * 3)
            deadline = Deadline(
                start=day,
                workdays=20,
                pauses=(Pause(day + dt.timedelta(days=5), day + dt.timedelta(days=9)),),
            )
            assert deadline.due_date > day
            deadline.workdays_left(day)
            assert deadline.derivation.steps
