"""Hand-worked values for the §6 aggregation helpers."""

from __future__ import annotations

import math

import pytest

from kpis.stats import (
    BACKLOG_BUCKETS,
    DAY,
    FIVE_POINT,
    GOOD_BAD,
    BacklogAge,
    Summary,
    age_bucket,
    backlog_age,
    csat_percent,
    nps,
    percentile_cont,
    rate,
    summarize,
)


@pytest.mark.parametrize(
    ("_case", "values", "p", "expected"),
    [
        ("median_even_interpolates", [4, 1, 3, 2], 0.5, 2.5),
        ("median_odd_is_middle", [5, 1, 3], 0.5, 3.0),
        ("p90_of_ten_values", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9.1),
        ("p90_of_six_values", [0, 10, 20, 30, 40, 50], 0.9, 45.0),
        ("p0_is_min", [7, 3, 9], 0.0, 3.0),
        ("p1_is_max", [7, 3, 9], 1.0, 9.0),
        ("single_value", [42], 0.9, 42.0),
        ("nulls_excluded", [1, None, 3, 2, 4], 0.9, 3.7),
        # PostgreSQL 15 returns 81.39999999999999 here (lo + f·(hi − lo) in float8), not 81.4.
        ("float8_lerp_order", [90.1, 3.1], 0.9, 81.39999999999999),
    ],
)
def test_percentile_cont_matches_postgresql(
    _case: str, values: list[float | None], p: float, expected: float
) -> None:
    # when
    result = percentile_cont(values, p)
    # then
    assert result == expected


def test_percentile_cont_of_empty_or_all_null_is_none() -> None:
    assert percentile_cont([], 0.5) is None
    assert percentile_cont([None, None], 0.9) is None


@pytest.mark.parametrize("p", [-0.1, 1.5, math.nan])
def test_percentile_cont_refuses_p_outside_unit_interval(p: float) -> None:
    with pytest.raises(ValueError, match="is not between 0 and 1"):
        percentile_cont([1.0], p)


def test_summarize_gives_count_mean_median_p90_without_nulls() -> None:
    # given: minutes per ticket, two tickets with no value yet
    values = [10.0, None, 20.0, 30.0, 40.0, None, 50.0, 0.0]
    # when
    summary = summarize(values)
    # then
    assert summary == Summary(count=6, mean=25.0, median=25.0, p90=45.0)


def test_summarize_of_empty_is_count_zero_and_nulls() -> None:
    assert summarize([]) == Summary(count=0, mean=None, median=None, p90=None)
    assert summarize([None]) == Summary(count=0, mean=None, median=None, p90=None)


def test_summarize_accepts_ints_and_returns_floats() -> None:
    summary = summarize([3, 1, 2])
    assert summary == Summary(count=3, mean=2.0, median=2.0, p90=2.8)
    assert isinstance(summary.median, float)


@pytest.mark.parametrize(
    ("_case", "numerator", "denominator", "expected"),
    [
        ("half", 1, 2, 50.0),
        ("third", 1, 3, 33.333333333333336),
        ("all", 7, 7, 100.0),
        ("none", 0, 5, 0.0),
        ("zero_denominator", 0, 0, None),
    ],
)
def test_rate_is_percent_or_none(
    _case: str, numerator: int, denominator: int, expected: float | None
) -> None:
    assert rate(numerator, denominator) == expected


def test_rate_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError, match="exceeds denominator"):
        rate(3, 2)
    with pytest.raises(ValueError, match="non-negative"):
        rate(-1, 2)


def test_csat_five_point_counts_four_and_five_as_positive() -> None:
    # given: 5 answered (4, 5, 3, 1, 4) and one unanswered survey
    ratings = [4, 5, 3, None, 1, 4]
    # when
    result = csat_percent(ratings, FIVE_POINT)
    # then: 3 positive of 5 rated
    assert result == 60.0


def test_csat_good_bad() -> None:
    assert csat_percent(["good", "bad", "good", None], GOOD_BAD) == 66.66666666666667


def test_csat_without_answered_surveys_is_none() -> None:
    assert csat_percent([None, None], FIVE_POINT) is None
    assert csat_percent([], GOOD_BAD) is None


@pytest.mark.parametrize(
    ("_case", "ratings", "scale", "message"),
    [
        ("six_on_five_point", [6], FIVE_POINT, "not an integer from 1 to 5"),
        ("zero_on_five_point", [0], FIVE_POINT, "not an integer from 1 to 5"),
        ("word_on_five_point", ["good"], FIVE_POINT, "not an integer from 1 to 5"),
        ("number_on_good_bad", [5], GOOD_BAD, "is not 'good' or 'bad'"),
        ("unknown_scale", [], "stars", "unknown rating scale 'stars'"),
    ],
)
def test_csat_refuses_bad_input(
    _case: str, ratings: list[int | str], scale: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        csat_percent(ratings, scale)


def test_nps_counts_promoters_minus_detractors() -> None:
    # given: promoters 9, 10, 10; passives 7, 8; detractors 0, 6; one no-answer
    scores = [9, 10, 10, 7, 8, 0, 6, None]
    # when
    result = nps(scores)
    # then: 100 × (3 − 2) / 7
    assert result == 14.285714285714286


@pytest.mark.parametrize(
    ("_case", "scores", "expected"),
    [
        ("all_promoters", [9, 10], 100.0),
        ("all_detractors", [0, 6], -100.0),
        ("all_passives", [7, 8], 0.0),
        ("no_responses", [None], None),
    ],
)
def test_nps_range(_case: str, scores: list[int | None], expected: float | None) -> None:
    assert nps(scores) == expected


@pytest.mark.parametrize("score", [11, -1, True, 9.5])
def test_nps_refuses_scores_outside_0_to_10(score: object) -> None:
    with pytest.raises(ValueError, match="is not an integer from 0 to 10"):
        nps([score])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("age_seconds", "expected"),
    [
        (0, "0-1d"),
        (DAY - 1, "0-1d"),
        (DAY, "1-3d"),
        (3 * DAY - 1, "1-3d"),
        (3 * DAY, "3-7d"),
        (7 * DAY, "7-30d"),
        (30 * DAY - 1, "7-30d"),
        (30 * DAY, "30d+"),
        (400 * DAY, "30d+"),
    ],
)
def test_age_bucket_is_half_open(age_seconds: int, expected: str) -> None:
    assert age_bucket(age_seconds) == expected


def test_age_bucket_refuses_negative_age() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        age_bucket(-1)


def test_backlog_age_reports_minutes_summary_and_every_bucket() -> None:
    # given: ages 0, 1 h, 2 h, 2 days, 10 days, 40 days
    ages = [10 * DAY, 0, 3_600, 7_200, 2 * DAY, 40 * DAY]
    # when
    result = backlog_age(ages)
    # then: minutes 0, 60, 120, 2880, 14400, 57600; h = 2.5 and 4.5
    assert result == BacklogAge(
        summary=Summary(count=6, mean=12510.0, median=1500.0, p90=36000.0),
        buckets={"0-1d": 3, "1-3d": 1, "3-7d": 0, "7-30d": 1, "30d+": 1},
    )
    assert tuple(result.buckets) == BACKLOG_BUCKETS


def test_backlog_age_of_empty_backlog() -> None:
    assert backlog_age([]) == BacklogAge(
        summary=Summary(count=0, mean=None, median=None, p90=None),
        buckets=dict.fromkeys(BACKLOG_BUCKETS, 0),
    )
