"""Tracking by number and password: shown once, stored hashed, one answer for every failure."""

import re

import pytest

from disclosure.tracking import (
    LOOKUP_LIMIT,
    TrackingRateLimited,
    tracking_issue,
    tracking_lookup,
    tracking_number_new,
)


class Record:
    """A stand-in for a Trackable model instance."""

    tracking_no = None
    tracking_password_hash = ""

    def tracking_password_check(self, raw: str) -> bool:
        from disclosure.tracking import Trackable

        return Trackable.tracking_password_check(self, raw)


class Records:
    """A stand-in for a queryset: filter(tracking_no=…).first()."""

    def __init__(self, *records: Record) -> None:
        self.records = records

    def filter(self, *, tracking_no: str) -> "Records":
        return Records(*[r for r in self.records if r.tracking_no == tracking_no])

    def first(self) -> Record | None:
        return self.records[0] if self.records else None


def test_a_number_is_readable_and_dated():
    number = tracking_number_new("TS")

    assert re.fullmatch(r"TS-\d{8}-[2-9A-HJ-NP-Z]{6}", number)
    assert tracking_number_new("TS") != number


def test_the_password_is_stored_only_as_a_hash():
    record = Record()

    credentials = tracking_issue(record, prefix="YS")

    assert record.tracking_no == credentials.number
    assert credentials.password not in record.tracking_password_hash
    assert record.tracking_password_check(credentials.password)
    assert not record.tracking_password_check(credentials.password + "x")


def test_lookup_finds_the_record_with_number_and_password_typed_loosely():
    record = Record()
    credentials = tracking_issue(record, prefix="TS")

    found = tracking_lookup(
        Records(record),
        number=f"  {credentials.number.lower()} ",
        password=credentials.password,
        client="10.0.0.1",
        scope="test",
    )

    assert found is record


def test_wrong_password_and_unknown_number_give_the_same_answer():
    record = Record()
    credentials = tracking_issue(record, prefix="TS")
    records = Records(record)

    wrong_password = tracking_lookup(
        records, number=credentials.number, password="WRONG", client="a", scope="test"
    )
    unknown_number = tracking_lookup(
        records, number="TS-20260101-AAAAAA", password=credentials.password, client="a", scope="t"
    )

    assert wrong_password is None
    assert unknown_number is None


def test_lookups_are_rate_limited_per_client_address():
    records = Records()
    for _ in range(LOOKUP_LIMIT):
        tracking_lookup(records, number="X", password="Y", client="10.0.0.9", scope="test")

    with pytest.raises(TrackingRateLimited) as refused:
        tracking_lookup(records, number="X", password="Y", client="10.0.0.9", scope="test")

    assert refused.value.retry_after > 0
    # another address is not affected
    assert (
        tracking_lookup(records, number="X", password="Y", client="10.0.0.8", scope="test") is None
    )
