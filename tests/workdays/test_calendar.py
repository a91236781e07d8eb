"""The calendar API: fixed statutory days, counting rules, properties, deadlines and pauses."""

import datetime as dt

import chinese_calendar
import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workdays.calendar import (
    CalendarRangeError,
    Deadline,
    Pause,
    add_workdays,
    is_workday,
    is_year_loaded,
    workdays_between,
)

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
loaded_dates = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2026, 6, 30))
any_dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
counts = st.integers(min_value=0, max_value=250)


@pytest.mark.parametrize(
    "day",
    [dt.date(2024, 2, 4), dt.date(2024, 2, 18), dt.date(2025, 9, 28), dt.date(2025, 10, 11)],
)
def test_makeup_weekend_days_are_working_days(day: dt.date) -> None:
    assert day.weekday() >= 5
    assert is_workday(day)


@pytest.mark.parametrize(
    ("first", "last"),
    [(dt.date(2024, 2, 10), dt.date(2024, 2, 17)), (dt.date(2025, 10, 1), dt.date(2025, 10, 8))],
)
def test_holiday_breaks_are_not_working_days(first: dt.date, last: dt.date) -> None:
    day = first
    while day <= last:
        assert not is_workday(day), day
        day += dt.timedelta(days=1)


def test_ordinary_days_follow_the_weekly_rule() -> None:
    assert is_workday(dt.date(2025, 3, 3))  # a Monday
    assert not is_workday(dt.date(2025, 3, 8))  # a Saturday
    assert not is_workday(dt.date(2030, 3, 9))  # a Saturday in a year not loaded
    assert is_workday(dt.date(2030, 3, 11))


def test_start_is_day_zero() -> None:
    friday = dt.date(2025, 3, 7)
    assert add_workdays(friday, 0) == friday
    assert add_workdays(friday, 1) == dt.date(2025, 3, 10)
    saturday = dt.date(2025, 3, 8)
    assert add_workdays(saturday, 1) == dt.date(2025, 3, 10)
    assert workdays_between(friday, dt.date(2025, 3, 10)) == 1
    assert workdays_between(friday, friday) == 0


def test_counting_backwards() -> None:
    monday = dt.date(2025, 3, 10)
    assert add_workdays(monday, -1) == dt.date(2025, 3, 7)
    assert add_workdays(dt.date(2025, 10, 9), -1) == dt.date(2025, 9, 30)


def test_spring_festival_2024_example() -> None:
    # 2024-02-01 + 20 working days, across 春节 with make-up Sundays 02-04 and 02-18.
    assert add_workdays(dt.date(2024, 2, 1), 20) == dt.date(2024, 3, 5)
    assert workdays_between(dt.date(2024, 2, 9), dt.date(2024, 2, 18)) == 1


def test_out_of_range_is_an_error() -> None:
    with pytest.raises(CalendarRangeError):
        add_workdays(dt.date(1900, 1, 1), 3)


def test_years_loaded_from_the_package() -> None:
    assert is_year_loaded(2024)
    assert is_year_loaded(2025)
    assert not is_year_loaded(2030)


@HYPOTHESIS
@given(start=any_dates, n=counts)
def test_adding_then_counting_round_trips(start: dt.date, n: int) -> None:
    due = add_workdays(start, n)
    assert workdays_between(start, due) == n
    if n:
        assert is_workday(due)


@HYPOTHESIS
@given(a=any_dates, gap=st.integers(min_value=1, max_value=400))
def test_counting_then_adding_round_trips_on_working_days(a: dt.date, gap: int) -> None:
    b = a + dt.timedelta(days=gap)
    if is_workday(b):
        assert add_workdays(a, workdays_between(a, b)) == b


@HYPOTHESIS
@given(start=any_dates, n=counts)
def test_adding_is_strictly_monotonic_in_n(start: dt.date, n: int) -> None:
    assert add_workdays(start, n) < add_workdays(start, n + 1)


@HYPOTHESIS
@given(day=loaded_dates)
def test_is_workday_agrees_with_chinesecalendar(day: dt.date) -> None:
    assert is_workday(day) == chinese_calendar.is_workday(day)


@HYPOTHESIS
@given(start=st.dates(dt.date(2004, 1, 1), dt.date(2025, 12, 31)), n=st.integers(1, 60))
def test_add_workdays_agrees_with_chinesecalendar_from_a_working_day(
    start: dt.date, n: int
) -> None:
    # find_workday(n, d) counts from the first working day on or after d, so compare from one.
    if is_workday(start):
        assert add_workdays(start, n) == chinese_calendar.find_workday(n, start)


@HYPOTHESIS
@given(
    start=any_dates,
    n=st.integers(min_value=1, max_value=60),
    offset=st.integers(min_value=1, max_value=400),
    length=st.integers(min_value=0, max_value=30),
)
def test_a_pause_of_k_working_days_moves_the_due_date_by_k(
    start: dt.date, n: int, offset: int, length: int
) -> None:
    plain = Deadline(start=start, workdays=n).due_date
    first = start + dt.timedelta(days=offset)
    if first > plain:
        return  # a pause after the due date changes nothing; tested below
    pause = Pause(first, first + dt.timedelta(days=length))
    k = workdays_between(first - dt.timedelta(days=1), pause.last)
    paused = Deadline(start=start, workdays=n, pauses=(pause,))
    assert paused.due_date == add_workdays(plain, k)
    assert workdays_between(plain, paused.due_date) == k


def test_a_pause_after_the_due_date_changes_nothing() -> None:
    start = dt.date(2025, 3, 3)
    plain = Deadline(start=start, workdays=5)
    later = Deadline(
        start=start, workdays=5, pauses=[Pause(dt.date(2025, 4, 1), dt.date(2025, 4, 9))]
    )
    assert later.due_date == plain.due_date


def test_overlapping_pauses_count_once() -> None:
    start = dt.date(2025, 3, 3)  # Monday
    one = Deadline(
        start=start, workdays=10, pauses=[Pause(dt.date(2025, 3, 5), dt.date(2025, 3, 11))]
    )
    two = Deadline(
        start=start,
        workdays=10,
        pauses=[
            Pause(dt.date(2025, 3, 5), dt.date(2025, 3, 7)),
            Pause(dt.date(2025, 3, 6), dt.date(2025, 3, 11)),
        ],
    )
    assert one.due_date == two.due_date == add_workdays(start, 15)


def test_pause_before_the_start_is_ignored_and_accepts_pairs() -> None:
    start = dt.date(2025, 3, 3)
    deadline = Deadline(
        start=start, workdays=5, pauses=((dt.date(2025, 2, 1), dt.date(2025, 3, 3)),)
    )
    assert deadline.due_date == add_workdays(start, 5)


def test_workdays_left_counts_down_and_goes_negative() -> None:
    deadline = Deadline(start=dt.date(2025, 3, 3), workdays=5)  # due Monday 2025-03-10
    assert deadline.due_date == dt.date(2025, 3, 10)
    assert deadline.workdays_left(dt.date(2025, 3, 3)) == 5
    assert deadline.workdays_left(dt.date(2025, 3, 8)) == 1
    assert deadline.workdays_left(dt.date(2025, 3, 10)) == 0
    assert deadline.workdays_left(dt.date(2025, 3, 12)) == -2


def test_workdays_left_excludes_paused_days_ahead() -> None:
    pause = Pause(dt.date(2025, 3, 5), dt.date(2025, 3, 6))
    deadline = Deadline(start=dt.date(2025, 3, 3), workdays=5, pauses=(pause,))
    assert deadline.due_date == dt.date(2025, 3, 12)
    assert deadline.workdays_left(dt.date(2025, 3, 3)) == 5
    assert deadline.workdays_left(dt.date(2025, 3, 5)) == 4


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(ValueError):
        Deadline(start=dt.date(2025, 3, 3), workdays=-1)


def test_deadline_in_a_year_not_loaded_is_provisional() -> None:
    deadline = Deadline(start=dt.date(2030, 3, 1), workdays=20)
    assert deadline.provisional
    assert deadline.not_loaded_years == (2030,)
    assert deadline.due_date == dt.date(2030, 3, 29)  # weekends only
    assert any(step.kind == "not_loaded" for step in deadline.derivation.steps)


def test_deadline_reaching_into_a_year_not_loaded_is_provisional() -> None:
    assert not Deadline(start=dt.date(2026, 11, 2), workdays=20).provisional
    reaching = Deadline(start=dt.date(2026, 12, 1), workdays=30)
    assert reaching.provisional
    assert reaching.not_loaded_years == (2027,)


def test_deadline_in_loaded_years_is_not_provisional() -> None:
    assert not Deadline(start=dt.date(2025, 9, 20), workdays=20).provisional


def test_derivation_names_the_holidays_and_makeup_days_met() -> None:
    deadline = Deadline(
        start=dt.date(2025, 9, 20),
        workdays=20,
        pauses=[Pause(dt.date(2025, 10, 20), dt.date(2025, 10, 24))],
    )
    assert deadline.due_date == dt.date(2025, 10, 30)
    steps = deadline.derivation.steps
    kinds = [step.kind for step in steps]
    assert kinds[0] == "start" and kinds[-1] == "due"
    makeup = [s.first for s in steps if s.kind == "makeup_workday"]
    assert makeup == [dt.date(2025, 9, 28), dt.date(2025, 10, 11)]
    assert "国庆节" in deadline.derivation.holiday_names
    (pause,) = [s for s in steps if s.kind == "pause"]
    assert pause.workdays == 5
    with translation.override("en"):
        text = deadline.derivation.text
    assert "国庆节" in text
    assert "Make-up working day for 国庆节 on 2025-09-28" in text
    assert "5 working days added" in text
    assert "Due date: 2025-10-30" in text


def test_derivation_of_spring_festival_2024() -> None:
    deadline = Deadline(start=dt.date(2024, 2, 1), workdays=20)
    holiday = [s for s in deadline.derivation.steps if s.kind == "holiday"]
    assert [(s.name, s.first, s.last, s.days) for s in holiday] == [
        ("春节", dt.date(2024, 2, 10), dt.date(2024, 2, 17), 8)
    ]
    assert holiday[0].workdays == 5  # 10th, 11th and 17th fell on a weekend anyway
    with translation.override("en"):
        assert "Holiday 春节 from 2024-02-10 to 2024-02-17" in deadline.derivation.text


def test_deadline_is_a_frozen_value() -> None:
    deadline = Deadline(start=dt.date(2025, 3, 3), workdays=5)
    with pytest.raises(AttributeError):
        deadline.workdays = 6  # type: ignore[misc]
    assert deadline == Deadline(start=dt.date(2025, 3, 3), workdays=5)
