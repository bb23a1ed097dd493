"""The demand model, pure (no ORM): a weekly seasonal profile times a weekly trend.

Input per channel: ``weeks`` oldest first, each a list of ``SLOTS`` (336 half hours, Monday
00:00 first) arrival counts, ``None`` where the day is excluded (holiday, incident spike).

1. Profile: each half hour's share of the week, ``p_s = m_s / Σ m``, where ``m_s`` is the
   weighted mean of that half hour over the weeks it was observed; week ``w`` weighs
   ``decay ** (age in weeks)`` (the last week 1, the one before ``decay``, ...); each week's
   counts are first divided by its total, so a week with a day left out weighs right.
2. Weekly volume: each week's total, a partial week scaled up by the share it covers
   (``T_w = Σ observed / Σ their p``); a straight line fitted to the totals by weighted least
   squares (same weights) gives the level at the last week and the slope per week.
3. Forecast of week ``h`` ahead: ``p_s × max(0, level + slope × h)``.

A series that is exactly a weekly pattern times a linear trend is recovered exactly, whatever
days are excluded. Why no library: statsmodels' Holt-Winters with a 336-period season needs
numpy/scipy (not installed) and its fitted smoothing parameters are harder to explain on the
page than "share of the week × trend line"; this is 60 lines with hand-checkable figures.
"""

from __future__ import annotations

from dataclasses import dataclass

SLOTS = 7 * 48
Week = list[float | None]


@dataclass(frozen=True)
class Fit:
    shares: list[float]  # per half hour of the week, summing to 1 (or all 0)
    level: float  # fitted weekly volume at the last week
    slope: float  # weekly volume change per week
    totals: list[float | None]  # each week's (scaled) total, oldest first
    weeks: int

    def week(self, ahead: int) -> list[float]:
        volume = max(0.0, self.level + self.slope * ahead)
        return [p * volume for p in self.shares]

    @property
    def trend_percent(self) -> float | None:
        return None if self.level <= 0 else 100.0 * self.slope / self.level


def fit(weeks: list[Week], decay: float = 0.85, rounds: int = 8) -> Fit:
    n = len(weeks)
    weight = [decay ** (n - 1 - i) for i in range(n)]
    seen = [[s for s in range(SLOTS) if week[s] is not None] for week in weeks]
    # First pass: shares from raw weighted means; then each week's values are divided by its
    # (scaled) total before averaging, so a week missing a day weighs right (a few rounds of
    # this fixed point; exact data converges to the exact shares).
    if all(len(x) == SLOTS for x in seen):
        rounds = 1  # nothing left out: the first pass is already exact
    scale = [1.0] * n
    shares = [0.0] * SLOTS
    totals: list[float | None] = [None] * n
    for _ in range(rounds):
        factor = [w / sc if sc > 0 else 0.0 for w, sc in zip(weight, scale, strict=True)]
        use = [w if sc > 0 else 0.0 for w, sc in zip(weight, scale, strict=True)]
        means = []
        for column in zip(*weeks, strict=True):
            num = den = 0.0
            for f, u, y in zip(factor, use, column, strict=True):
                if y is not None:
                    num += f * y
                    den += u
            means.append(num / den if den else 0.0)
        volume = sum(means)
        if volume <= 0:
            return Fit([0.0] * SLOTS, 0.0, 0.0, [0.0] * n, n)
        shares = [m / volume for m in means]
        for i, week in enumerate(weeks):
            cover = sum(shares[s] for s in seen[i])
            totals[i] = sum(week[s] for s in seen[i]) / cover if cover > 0 else None
        converged = all(
            abs((t or 0.0) - old) <= 1e-12 * max(1.0, old)
            for t, old in zip(totals, scale, strict=True)
        )
        scale = [t or 0.0 for t in totals]
        if converged:
            break
    level, slope = _line(
        [(i - (n - 1), t, weight[i]) for i, t in enumerate(totals) if t is not None]
    )
    return Fit(shares, level, slope, totals, n)


def _line(points: list[tuple[float, float, float]]) -> tuple[float, float]:
    """Weighted least squares ``y = level + slope·x`` through (x, y, weight); level at x=0."""
    if not points:
        return 0.0, 0.0
    sw = sum(w for _, _, w in points)
    mx = sum(w * x for x, _, w in points) / sw
    my = sum(w * y for _, y, w in points) / sw
    sxx = sum(w * (x - mx) ** 2 for x, _, w in points)
    slope = 0.0 if sxx == 0 else sum(w * (x - mx) * (y - my) for x, y, w in points) / sxx
    return my - slope * mx, slope


@dataclass(frozen=True)
class Accuracy:
    actual: float  # Σ actual over the compared half hours
    model_error: float  # Σ |actual − model|
    naive_error: float  # Σ |actual − same half hour the week before|

    @property
    def model_wape(self) -> float | None:
        return None if self.actual == 0 else self.model_error / self.actual

    @property
    def naive_wape(self) -> float | None:
        return None if self.actual == 0 else self.naive_error / self.actual

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(
            self.actual + other.actual,
            self.model_error + other.model_error,
            self.naive_error + other.naive_error,
        )


def backtest(weeks: list[Week], held_out: int = 4, decay: float = 0.85) -> Accuracy | None:
    """Fit on all but the last ``held_out`` weeks, forecast them 1..held_out weeks ahead and
    compare with what arrived; the naive forecast of a half hour is the same half hour one week
    earlier. Half hours compared: observed in the week and in the week before (both methods
    are scored on the same ones). ``None`` without enough weeks."""
    if len(weeks) <= held_out:
        return None
    model = fit(weeks[:-held_out], decay)
    actual = err_model = err_naive = 0.0
    for ahead in range(1, held_out + 1):
        i = len(weeks) - held_out - 1 + ahead
        predicted = model.week(ahead)
        for s in range(SLOTS):
            a, before = weeks[i][s], weeks[i - 1][s]
            if a is None or before is None:
                continue
            actual += a
            err_model += abs(a - predicted[s])
            err_naive += abs(a - before)
    return Accuracy(actual, err_model, err_naive)
