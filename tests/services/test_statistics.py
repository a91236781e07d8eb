"""Service statistics: the arithmetic (pure functions) and the figures from case records."""

from decimal import Decimal

import pytest

from services.selectors.statistics import (
    completion_rate,
    histogram_merge,
    median_from_histogram,
    on_time_rate,
    p90_from_histogram,
    percentile_from_histogram,
    rate_percent,
    rating_distribution,
    rating_mean,
    satisfaction_percent,
)

# --- The arithmetic ---------------------------------------------------------------------------


def test_completion_rate_of_the_seed_is_98_4_percent():
    assert completion_rate(completed=59_388, accepted=60_351) == Decimal("98.4")


def test_rates_round_half_up_to_one_decimal_and_are_none_without_a_denominator():
    assert rate_percent(1, 8) == Decimal("12.5")
    assert rate_percent(1, 3) == Decimal("33.3")
    assert rate_percent(2, 3) == Decimal("66.7")
    assert rate_percent(0, 5) == Decimal("0.0")
    assert rate_percent(5, 5) == Decimal("100.0")
    assert rate_percent(0, 0) is None
    assert on_time_rate(on_time=0, completed=0) is None
    assert on_time_rate(on_time=19, completed=20) == Decimal("95.0")


def test_median_and_p90_by_nearest_rank():
    # 1,1,2,2,2,3,4,5,8,10 -> median rank 5 = 2; p90 rank 9 = 8
    histogram = {1: 2, 2: 3, 3: 1, 4: 1, 5: 1, 8: 1, 10: 1}
    assert median_from_histogram(histogram) == 2
    assert p90_from_histogram(histogram) == 8
    assert percentile_from_histogram(histogram, 1.0) == 10


def test_percentiles_of_one_value_empty_and_zero_counts():
    assert median_from_histogram({3: 1}) == 3
    assert p90_from_histogram({3: 1}) == 3
    assert median_from_histogram({}) is None
    assert p90_from_histogram({2: 0}) is None
    assert median_from_histogram({0: 4, 7: 0, 1: 4}) == 0


def test_percentile_of_an_even_count_takes_the_lower_middle():
    assert median_from_histogram({1: 1, 2: 1}) == 1
    assert median_from_histogram({1: 1, 2: 2}) == 2


def test_percentile_rejects_q_out_of_range():
    with pytest.raises(ValueError):
        percentile_from_histogram({1: 1}, 0)
    with pytest.raises(ValueError):
        percentile_from_histogram({1: 1}, 1.5)


def test_histogram_merge_adds_repeated_values():
    assert histogram_merge([(1, 2), (2, 1), (1, 3)]) == {1: 5, 2: 1}


def test_rating_distribution_lists_every_level_with_shares():
    rows = rating_distribution({5: 6, 4: 2, 1: 2})
    assert [row["level"] for row in rows] == [5, 4, 3, 2, 1]
    assert [row["count"] for row in rows] == [6, 2, 0, 0, 2]
    assert [row["percent"] for row in rows] == [
        Decimal("60.0"),
        Decimal("20.0"),
        Decimal("0.0"),
        Decimal("0.0"),
        Decimal("20.0"),
    ]
    assert rating_mean({5: 6, 4: 2, 1: 2}) == Decimal("4.00")
    assert satisfaction_percent({5: 6, 4: 2, 1: 2}) == Decimal("80.0")


def test_rating_figures_without_ratings():
    assert [row["percent"] for row in rating_distribution({})] == [None] * 5
    assert rating_mean({}) is None
    assert satisfaction_percent({}) is None
