"""``timeseries`` and ``breakdown``: one metric per day/ISO week/month, or per team/agent.

Metric keys are those of ``kpis.definitions`` (``first_reply_median`` ...); a duration's
bucket values are exact statistics over the bucket's per-ticket values (§6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.db.models import Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from csops.errors import InvalidInput
from kpis.selectors import backlog_trend, percentiles
from kpis.selectors.filters import (
    EMPTY,
    DashboardFilter,
    Stat,
    grouped_stats,
    metric_rows,
    minutes,
    one_row_per_day,
    percent,
    rollups,
    teams_for,
)
from kpis.selectors.percentiles import Window
from kpis.selectors.summary import Backlog, backlog
from kpis.zone import day_of, month_start, week_start

TRUNC = {"week": TruncWeek, "month": TruncMonth}

# key -> (rollup kind, numerator field, denominator field) for counts and rates.
COUNTS = {"created": ("created", "n", None), "resolved": ("resolved", "n", None)}
RATES = {
    "fcr": ("resolved", "n_fcr", "n_inbound"),
    "one_touch": ("resolved", "n_one_touch", "n"),
    "reopen_rate": ("resolved", "n_reopened", "n"),
    "sla_attainment": ("sla", "n_achieved", None),  # denominator achieved + breached
}
# key -> (metric row prefix, duration column stem, statistic)
DURATIONS = {
    f"{m}_{part}": (prefix, m, part)
    for m, prefix in (
        ("first_reply", "first_reply"),
        ("first_resolution", "first_resolution"),
        ("full_resolution", "resolved"),
    )
    for part in ("median", "p90", "mean")
}
SERIES_METRICS = (*COUNTS, *RATES, *DURATIONS, *backlog_trend.METRICS)
# duration stem -> the rollup kind holding its sums and per-row percentiles
ROLLUP_KINDS = {
    "first_reply": "first_reply",
    "first_resolution": "first_resolution",
    "full_resolution": "resolved",
}


@dataclass(frozen=True)
class Point:
    key: date | int | str | None  # bucket start (timeseries) or team/agent id (breakdown)
    value: float | int | None
    count: int  # sample size / denominator
    stat: Stat | None = None  # durations: count, mean, median, p90 (minutes)


def _bucket(day: date, grain: str) -> date:
    return {"day": day, "week": week_start(day), "month": month_start(day)}[grain]


def _buckets(f: DashboardFilter) -> list[date]:
    out, seen = [], set()
    day = f.start
    while day <= f.end:
        b = _bucket(day, f.grain)
        if b not in seen:
            seen.add(b)
            out.append(b)
        day = date.fromordinal(day.toordinal() + 1)
    return out


def _locatable(metric: str, f: DashboardFilter) -> bool:
    """Durations with value histograms, under a filter they answer."""
    return DURATIONS[metric][1] in percentiles.SOURCES and percentiles.supported(f)


def _check(metric: str) -> None:
    if metric not in SERIES_METRICS:
        raise InvalidInput("Unknown metric.", fields={"metric": [f"One of {SERIES_METRICS}."]})


def _rollup_values(metric: str, qs, key: str) -> dict:
    """{key: (value, count)} for a count or rate metric over rollup rows grouped by ``key``."""
    if metric in COUNTS:
        _, num, _ = COUNTS[metric]
        return {r[key]: (r["v"] or 0, r["v"] or 0) for r in qs.values(key).annotate(v=Sum(num))}
    _, num, den = RATES[metric]
    if metric == "sla_attainment":
        rows = qs.values(key).annotate(a=Sum("n_achieved"), b=Sum("n_breached"))
        return {r[key]: (percent(r["a"], r["a"] + r["b"]), r["a"] + r["b"]) for r in rows}
    rows = qs.values(key).annotate(a=Sum(num), d=Sum(den))
    return {r[key]: (percent(r["a"] or 0, r["d"] or 0), r["d"] or 0) for r in rows}


def _kind(metric: str) -> str:
    return (COUNTS.get(metric) or RATES[metric])[0]


def _located_stats(
    stem: str, f: DashboardFilter, teams: frozenset[int] | None, windows: list[Window], key: str
) -> dict:
    """``{window key: Stat}``: count and mean from the rollups grouped by ``key`` (a bucket
    annotation or ``team_id``), median and p90 located exactly (``percentiles``)."""
    kind = percentiles.SOURCES[stem][0]
    qs = rollups(kind, f, teams, by="team" if key == "team_id" else "")
    if key == "bucket":
        qs = qs.annotate(bucket=TRUNC[f.grain]("day")) if f.grain != "day" else qs
        key = "bucket" if f.grain != "day" else "day"
    sums = {
        r[key]: (r["n"] or 0, r["s"] or 0)
        for r in qs.values(key).annotate(n=Sum("n"), s=Sum(f"sum_{f.suffix}"))
    }
    located = percentiles.median_p90(stem, f.suffix, windows, teams)
    out = {}
    for w in windows:
        n, median, p90 = located[w.key]
        if not n:
            continue
        total = sums.get(w.key, (0, 0))[1]
        out[w.key] = Stat(n, total / n / 60, minutes(median), minutes(p90))
    return out


def _daily_stats(stem: str, f: DashboardFilter, teams: frozenset[int] | None) -> dict | None:
    """``{day: Stat}`` from the rollup rows' own median and p90 (the fold's, exact over the
    row's values), when ``f`` selects one rollup row per day and no day of the range awaits
    its fold; else None."""
    if f.grain != "day" or connection.vendor != "postgresql" or not one_row_per_day(f, teams):
        return None
    kind = ROLLUP_KINDS[stem]
    if percentiles.stale_windows(kind, [Window(None, f.start, f.end)]):
        return None
    x = f.suffix
    rows = rollups(kind, f, teams).values_list("day", "n", f"sum_{x}", f"p50_{x}", f"p90_{x}")
    return {
        day: Stat(n, total / n / 60, minutes(p50), minutes(p90)) for day, n, total, p50, p90 in rows
    }


def _duration_stats(metric: str, f: DashboardFilter, teams: frozenset[int] | None) -> dict:
    """``{bucket: Stat}`` of a duration metric: precomputed per day where the rollups hold
    it, located through the value histograms where they answer, else from the values."""
    prefix, stem, _ = DURATIONS[metric]
    by = _daily_stats(stem, f, teams)
    if by is not None:
        return by
    if _locatable(metric, f):
        return _located_stats(stem, f, teams, _bucket_windows(f), "bucket")
    day_col = f"{prefix}_day"
    qs = metric_rows(prefix, f, teams)
    if f.grain == "day":
        key = day_col
    else:
        qs, key = qs.annotate(bucket=TRUNC[f.grain](day_col)), "bucket"
    return grouped_stats(qs, key, f"{stem}_{f.suffix}")


def _bucket_windows(f: DashboardFilter) -> list[Window]:
    return [Window(b, *f.bucket_range(b)) for b in _buckets(f)]


def _backlog_points(
    f: DashboardFilter, teams, metric: str, now: datetime, log: Backlog | None
) -> list[Point]:
    """Backlog at the end of each bucket's last day in the range (live for today: ``log``,
    the summary's live backlog when the caller has it)."""
    buckets = _buckets(f)
    ends = {b: f.bucket_range(b)[1] for b in buckets}
    live = None
    if day_of(now) in ends.values():
        log = log or backlog(f, teams, now)
        live = log.count if metric == "backlog" else log.actionable
    values = backlog_trend.values(f, teams, metric, list(ends.values()), live=live, now=now)
    return [Point(b, values[ends[b]], values[ends[b]] or 0) for b in buckets]


def timeseries(
    user,
    f: DashboardFilter,
    metric: str,
    *,
    now: datetime | None = None,
    live_backlog: Backlog | None = None,
) -> list[Point]:
    """One point per bucket of ``f.grain`` in the range (empty buckets included)."""
    _check(metric)
    teams = teams_for(user, f)
    if metric in backlog_trend.METRICS:
        return _backlog_points(f, teams, metric, now or timezone.now(), live_backlog)
    if metric in DURATIONS:
        part = DURATIONS[metric][2]
        by = _duration_stats(metric, f, teams)
        return [
            Point(b, getattr(by[b], part), by[b].count, by[b])
            if b in by
            else Point(b, None, 0, EMPTY)
            for b in _buckets(f)
        ]
    qs = rollups(_kind(metric), f, teams)
    if f.grain == "week":
        qs, key = qs.annotate(bucket=TruncWeek("day")), "bucket"
    elif f.grain == "month":
        qs, key = qs.annotate(bucket=TruncMonth("day")), "bucket"
    else:
        key = "day"
    values = _rollup_values(metric, qs, key)
    empty = (None, 0) if metric in RATES else (0, 0)
    return [Point(b, *values.get(b, empty)) for b in _buckets(f)]


def breakdown(user, f: DashboardFilter, metric: str, by: str = "team") -> list[Point]:
    """One row per team or agent (``None`` key = unassigned), largest count first."""
    _check(metric)
    if metric in backlog_trend.METRICS:
        raise InvalidInput("The backlog is not broken down.", fields={"metric": ["Not here."]})
    if by not in ("team", "agent"):
        raise InvalidInput("Break down by team or agent.", fields={"by": ["team or agent"]})
    teams = teams_for(user, f)
    if metric in DURATIONS and by == "team" and _locatable(metric, f):
        _, stem, part = DURATIONS[metric]
        kind = percentiles.SOURCES[stem][0]
        keys = rollups(kind, f, teams, by="team").values_list("team_id", flat=True).distinct()
        windows = [Window(k, f.start, f.end, team=k) for k in keys]
        rows = _located_stats(stem, f, teams, windows, "team_id")
        points = [Point(k, getattr(s, part), s.count, s) for k, s in rows.items()]
    elif metric in DURATIONS:
        prefix, stem, part = DURATIONS[metric]
        rows = grouped_stats(
            metric_rows(prefix, f, teams), f"{prefix}_{by}_id", f"{stem}_{f.suffix}"
        )
        points = [Point(k, getattr(s, part), s.count, s) for k, s in rows.items()]
    else:
        rows = _rollup_values(metric, rollups(_kind(metric), f, teams, by=by), f"{by}_id")
        points = [Point(k, v, n) for k, (v, n) in rows.items()]
    return sorted(points, key=lambda p: (-p.count, str(p.key)))
