"""信息处理费 of 国办函〔2020〕109号: by piece per applicant per month, by volume in pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from disclosure.actions.requests import request_fee_notify, request_review_start
from disclosure.models.requests import fee_by_piece, fee_by_volume
from tests.factories.disclosure import make_request, request_handler


@pytest.mark.parametrize(
    ("ordinal", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400)],
)
def test_fee_by_piece_tiers(ordinal: int, fee: int) -> None:
    assert fee_by_piece(ordinal) == Decimal(fee)


@pytest.mark.parametrize(
    ("pages", "fee"),
    [
        (0, 0),
        (30, 0),
        (31, 10),
        (100, 700),
        (101, 720),
        (200, 700 + 2000),
        (201, 2700 + 40),
        (250, 2700 + 50 * 40),
    ],
)
def test_fee_by_volume_is_progressive(pages: int, fee: int) -> None:
    assert fee_by_volume(pages) == Decimal(fee)


@pytest.mark.django_db
def test_by_piece_counts_the_same_applicants_applications_in_the_month() -> None:
    handler = request_handler()
    from tests.factories.disclosure import AdministrativeEntityFactory

    entity = AdministrativeEntityFactory()
    requests = [
        make_request(entity=entity, received=dt.date(2025, 3, 3 + (n % 20)), by=handler)
        for n in range(11)
    ]
    # an application in another month does not count
    make_request(entity=entity, received=dt.date(2025, 2, 27), by=handler)
    first = request_review_start(request=requests[0], by=handler)
    with pytest.raises(ValidationError):  # the first of the month is free
        request_fee_notify(request=first, by=handler, method="by_piece")
    eleventh = max(requests, key=lambda r: (r.received_date, r.pk))
    eleventh = request_review_start(request=eleventh, by=handler)
    eleventh = request_fee_notify(
        request=eleventh, by=handler, method="by_piece", on=dt.date(2025, 3, 25)
    )
    assert (eleventh.fee_units, eleventh.fee_amount) == (11, Decimal(100))


@pytest.mark.django_db
def test_one_method_only_and_a_bad_method_is_a_field_error() -> None:
    handler = request_handler()
    request = request_review_start(
        request=make_request(received=dt.date(2025, 3, 3), by=handler), by=handler
    )
    with pytest.raises(ValidationError) as error:
        request_fee_notify(request=request, by=handler, method="both", pages=50)
    assert "fee_method" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        request_fee_notify(request=request, by=handler, method="by_volume", pages=0)
    assert "fee_units" in error.value.message_dict
