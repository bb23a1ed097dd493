"""Aggregation helpers of KPI_SPEC.md §6 (pure: standard library only).

Inputs are plain per-ticket values (minutes as floats, ages as integer seconds, ratings and
scores as given by the survey); ``None`` means "not applicable" and is always excluded.

Decisions (where §6 is silent):
- ``percentile_cont`` repeats PostgreSQL's float8 arithmetic step by step (``h = p·(n−1)``,
  ``lo + (h − ⌊h⌋)·(hi − lo)``, no interpolation when ``⌊h⌋ = ⌈h⌉``), so a Python rollup and
  the SQL one agree to the last bit. ``p`` outside ``[0, 1]`` (or NaN) raises ValueError, as
  PostgreSQL does.
- ``Summary.mean`` is ``math.fsum(values) / n`` (a correctly rounded sum, not PostgreSQL's
  running sum); the UI rounds it anyway.
- ``rate`` is computed exactly (Fraction) and rounded once to float; negative counts or a
  numerator above the denominator raise ValueError (they are always a caller bug).
- Ratings: ``FIVE_POINT`` takes ints 1–5, ``GOOD_BAD`` takes "good"/"bad"; anything else raises
  ValueError, ``None`` is an unanswered survey. NPS scores are ints 0–10 (bool refused).
- Backlog ages are integer seconds (§9.18); a negative age raises ValueError. Bucket labels
  are ``BACKLOG_BUCKETS``; ``backlog_age`` reports the age summary in minutes (§1).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

FIVE_POINT = "five_point"
GOOD_BAD = "good_bad"

DAY = 86_400
# (label, lower bound in seconds); each bucket is [lower, next lower).
_BUCKET_BOUNDS: tuple[tuple[str, int], ...] = (
    ("0-1d", 0),
    ("1-3d", DAY),
    ("3-7d", 3 * DAY),
    ("7-30d", 7 * DAY),
    ("30d+", 30 * DAY),
)
BACKLOG_BUCKETS: tuple[str, ...] = tuple(label for label, _ in _BUCKET_BOUNDS)


@dataclass(frozen=True, slots=True)
class Summary:
    """count, mean, median and p90 of the non-null values; all None (count 0) when empty."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None


@dataclass(frozen=True, slots=True)
class BacklogAge:
    """Backlog ages at one instant: summary in minutes and counts per bucket (§6)."""

    summary: Summary
    buckets: dict[str, int]


def _present(values: Iterable[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None]


def percentile_rows(n: int, p: float) -> tuple[int, int]:
    """The 0-based rows ``⌊h⌋`` and ``⌈h⌉`` of ``n`` sorted values that ``percentile_cont(p)``
    reads (``n`` ≥ 1)."""
    h = p * (n - 1)
    return math.floor(h), math.ceil(h)


def interpolate(n: int, p: float, lo: float, hi: float) -> float:
    """``percentile_cont(p)`` of ``n`` sorted values whose rows ``percentile_rows(n, p)`` hold
    ``lo`` and ``hi``: PostgreSQL's float8 steps, so a value located by rank agrees with a sort."""
    h = p * (n - 1)
    lo_row, hi_row = math.floor(h), math.ceil(h)
    if lo_row == hi_row:
        return float(lo)
    return float(lo) + ((h - lo_row) * (float(hi) - float(lo)))


def _percentile_sorted(ordered: Sequence[float], p: float) -> float:
    lo_row, hi_row = percentile_rows(len(ordered), p)
    return interpolate(len(ordered), p, ordered[lo_row], ordered[hi_row])


def _check_fraction(p: float) -> None:
    if math.isnan(p) or not 0 <= p <= 1:
        raise ValueError(f"percentile value {p:g} is not between 0 and 1")


def percentile_cont(values: Iterable[float | None], p: float) -> float | None:
    """PostgreSQL ``percentile_cont(p) WITHIN GROUP (ORDER BY v)``; None when no values."""
    _check_fraction(p)
    ordered = sorted(_present(values))
    if not ordered:
        return None
    return _percentile_sorted(ordered, p)


def summarize(values: Iterable[float | None]) -> Summary:
    """count, mean, median (p50) and p90 of the non-null values."""
    ordered = sorted(_present(values))
    if not ordered:
        return Summary(count=0, mean=None, median=None, p90=None)
    return Summary(
        count=len(ordered),
        mean=math.fsum(ordered) / len(ordered),
        median=_percentile_sorted(ordered, 0.5),
        p90=_percentile_sorted(ordered, 0.9),
    )


def rate(numerator: int, denominator: int) -> float | None:
    """100 × numerator / denominator, or None when the denominator is 0 (§6)."""
    if numerator < 0 or denominator < 0:
        raise ValueError(f"rate needs non-negative counts, got {numerator}/{denominator}")
    if numerator > denominator:
        raise ValueError(f"rate numerator {numerator} exceeds denominator {denominator}")
    if denominator == 0:
        return None
    return float(Fraction(100 * numerator, denominator))


def _is_positive(rating: int | str, scale: str) -> bool:
    if scale == FIVE_POINT:
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise ValueError(f"rating {rating!r} is not an integer from 1 to 5")
        return rating >= 4
    if rating not in ("good", "bad"):
        raise ValueError(f"rating {rating!r} is not 'good' or 'bad'")
    return rating == "good"


def csat_percent(ratings: Iterable[int | str | None], scale: str) -> float | None:
    """CSAT % = 100 × positive / rated; one (latest) rating per ticket, None = unanswered."""
    if scale not in (FIVE_POINT, GOOD_BAD):
        raise ValueError(f"unknown rating scale {scale!r}; use {FIVE_POINT!r} or {GOOD_BAD!r}")
    answered = [r for r in ratings if r is not None]
    positive = sum(1 for r in answered if _is_positive(r, scale))
    return rate(positive, len(answered))


def nps(scores: Iterable[int | None]) -> float | None:
    """NPS = 100 × (promoters − detractors) / responses, in −100..100; None without responses."""
    promoters = detractors = responses = 0
    for score in scores:
        if score is None:
            continue
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
            raise ValueError(f"NPS score {score!r} is not an integer from 0 to 10")
        responses += 1
        promoters += score >= 9
        detractors += score <= 6
    if responses == 0:
        return None
    return float(Fraction(100 * (promoters - detractors), responses))


def age_bucket(age_seconds: int) -> str:
    """The backlog bucket label of one age: [0,1d) [1d,3d) [3d,7d) [7d,30d) [30d,∞)."""
    if age_seconds < 0:
        raise ValueError(f"backlog age must not be negative, got {age_seconds} s")
    label = BACKLOG_BUCKETS[0]
    for name, lower in _BUCKET_BOUNDS:
        if age_seconds >= lower:
            label = name
    return label


def backlog_age(ages_seconds: Iterable[int]) -> BacklogAge:
    """Summary (minutes) and bucket counts (every bucket present, in order) of backlog ages."""
    ages = list(ages_seconds)
    buckets = dict.fromkeys(BACKLOG_BUCKETS, 0)
    for age in ages:
        buckets[age_bucket(age)] += 1
    return BacklogAge(summary=summarize(a / 60 for a in ages), buckets=buckets)
