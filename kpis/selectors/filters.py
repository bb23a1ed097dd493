"""The dashboard filter, the user's team scope and the query building blocks.

Rollups (``DailyRollup``) answer counts, sums and rates; medians and p90 are computed from the
per-ticket values of the whole range (``TicketMetricsRow``, indexed attribution day columns),
never averaged across days (KPI_SPEC.md §6).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal

from django.db import connection
from django.db.models import Aggregate, Avg, Count, FloatField, Q, QuerySet

from csops import permissions
from csops.errors import InvalidInput, NotAllowed
from kpis import stats
from kpis.models import DailyRollup, TicketMetricsRow
from kpis.models.rollups import ALL, BY_TEAM, DIMS, FULL
from kpis.zone import bucket_end, day_of, day_start

Grain = Literal["day", "week", "month"]
GRAINS = ("day", "week", "month")
UNASSIGNED = "unassigned"
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class DashboardFilter:
    """A date range in the reporting zone (``end`` inclusive) and the dimension filters.

    ``agent`` is a user id, or "unassigned" for values without an agent (§9.25).
    ``business`` selects business hours for durations (else calendar time)."""

    start: date
    end: date
    grain: Grain = "day"
    team: int | None = None
    agent: int | str | None = None
    channel: str | None = None
    priority: str | None = None
    business: bool = False

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput("The range ends before it starts.", fields={"end": ["Too early."]})
        if (self.end - self.start).days >= MAX_DAYS:
            raise InvalidInput("The range is too long.", fields={"start": ["At most 3 years."]})
        if self.grain not in GRAINS:
            raise InvalidInput("Unknown grain.", fields={"grain": ["day, week or month."]})

    @classmethod
    def last_days(cls, days: int = 30, *, today: date | None = None, **kw) -> DashboardFilter:
        today = today or day_of(datetime.now().astimezone())
        return cls(start=today - timedelta(days=days - 1), end=today, **kw)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> DashboardFilter:
        """The period of the same length just before."""
        return replace(
            self, start=self.start - timedelta(days=self.days), end=self.start - timedelta(1)
        )

    @property
    def start_instant(self) -> datetime:
        return day_start(self.start)

    @property
    def end_instant(self) -> datetime:
        """The first instant after the range."""
        return day_start(self.end + timedelta(days=1))

    @property
    def suffix(self) -> str:
        return "bus" if self.business else "cal"

    @property
    def by_dimension(self) -> bool:
        """Filtered on agent, channel or priority (only the full cube answers)."""
        return self.agent is not None or bool(self.channel) or bool(self.priority)

    def bucket_range(self, bucket: date) -> tuple[date, date]:
        """The days of the trend bucket starting at ``bucket`` that lie in the range."""
        return max(bucket, self.start), min(bucket_end(bucket, self.grain), self.end)


def teams_for(user, f: DashboardFilter) -> frozenset[int] | None:
    """Team ids the user may read under ``f`` (None = every team, unassigned included)."""
    permissions.ensure_can_view_dashboard(user)
    scope = permissions.team_scope(user)
    if f.team is not None:
        if scope is not None and f.team not in scope:
            raise NotAllowed("That team is not one of yours.")
        return frozenset({f.team})
    return scope


def _dims(prefix: str, f: DashboardFilter, teams: frozenset[int] | None, *, channel: str) -> Q:
    q = Q()
    if teams is not None:
        q &= Q(**{f"{prefix}team_id__in": teams})
    if f.agent == UNASSIGNED:
        q &= Q(**{f"{prefix}agent_id__isnull": True})
    elif f.agent is not None:
        q &= Q(**{f"{prefix}agent_id": f.agent})
    if f.channel:
        q &= Q(**{channel: f.channel})
    if f.priority:
        q &= Q(**{f"{prefix}priority": f.priority})
    return q


def rollup_rows(
    f: DashboardFilter,
    teams: frozenset[int] | None,
    *,
    by: str = "",
    qs: QuerySet | None = None,
) -> QuerySet:
    """Rollup rows (``qs``: ``DailyRollup`` by default, or another table of the same levels
    and dimensions) at the coarsest level that answers ``f`` (and a breakdown ``by`` team or
    agent): all teams -> level ALL, a team set -> BY_TEAM, channel/priority -> DIMS, an agent
    -> FULL."""
    qs = DailyRollup.objects.all() if qs is None else qs
    if f.agent is not None or by == "agent":
        return qs.filter(_dims("", f, teams, channel="channel"), level=FULL)
    if f.by_dimension:
        return qs.filter(_dims("", f, teams, channel="channel"), level=DIMS)
    if teams is not None or by == "team":
        qs = qs.filter(level=BY_TEAM)
        return qs if teams is None else qs.filter(team_id__in=teams)
    return qs.filter(level=ALL)


def one_row_per_day(f: DashboardFilter, teams: frozenset[int] | None) -> bool:
    """Whether ``rollup_rows(f, teams)`` holds one row per day and kind: its level's every
    dimension is pinned by ``f`` (all teams, one team, or one team, channel and priority,
    with an agent or not)."""
    if teams is not None and len(teams) != 1:
        return False
    return not f.by_dimension or (teams is not None and bool(f.channel and f.priority))


def rollups(
    kind: str, f: DashboardFilter, teams: frozenset[int] | None, *, by: str = ""
) -> QuerySet:
    return rollup_rows(f, teams, by=by).filter(kind=kind, day__range=(f.start, f.end))


def metric_rows(prefix: str, f: DashboardFilter, teams: frozenset[int] | None) -> QuerySet:
    """Per-ticket rows whose ``prefix`` value is attributed to the range."""
    return TicketMetricsRow.objects.filter(
        _dims(f"{prefix}_", f, teams, channel="channel"),
        **{f"{prefix}_day__range": (f.start, f.end)},
    )


def live_rows(f: DashboardFilter, teams: frozenset[int] | None) -> QuerySet:
    """Rows filtered by the ticket's state now (backlog)."""
    return TicketMetricsRow.objects.filter(_dims("current_", f, teams, channel="channel"))


class PercentileCont(Aggregate):
    """PostgreSQL ``percentile_cont(p) WITHIN GROUP (ORDER BY expr)``."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(p)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, p: float, **extra) -> None:
        super().__init__(expression, p=float(p), **extra)


class MedianP90(Aggregate):
    """``percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY expr)``: both from one sort."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, **extra) -> None:
        from django.contrib.postgres.fields import ArrayField

        super().__init__(expression, output_field=ArrayField(FloatField()), **extra)


@dataclass(frozen=True)
class Stat:
    """count, mean, median, p90 in minutes (§6; count 0 -> the others None)."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None


EMPTY = Stat(0, None, None, None)


def minutes(v: float | None) -> float | None:
    """Seconds -> minutes (§1), None kept."""
    return None if v is None else v / 60


def stat_of(qs: QuerySet, column: str) -> Stat:
    """Exact §6 statistics of a seconds column over ``qs`` (nulls excluded)."""
    qs = qs.filter(**{f"{column}__isnull": False})
    if connection.vendor == "postgresql":
        r = qs.aggregate(
            n=Count(column),
            mean=Avg(column),
            median=PercentileCont(column, 0.5),
            p90=PercentileCont(column, 0.9),
        )
        if not r["n"]:
            return EMPTY
        return Stat(r["n"], minutes(r["mean"]), minutes(r["median"]), minutes(r["p90"]))
    s = stats.summarize(qs.values_list(column, flat=True))
    return Stat(s.count, minutes(s.mean), minutes(s.median), minutes(s.p90))


def grouped_stats(qs: QuerySet, key: str, column: str) -> dict:
    """``{key value: Stat}`` with one GROUP BY query."""
    qs = qs.filter(**{f"{column}__isnull": False})
    if connection.vendor == "postgresql":
        rows = qs.values(key).annotate(
            n=Count(column),
            mean=Avg(column),
            median=PercentileCont(column, 0.5),
            p90=PercentileCont(column, 0.9),
        )
        return {
            r[key]: Stat(r["n"], minutes(r["mean"]), minutes(r["median"]), minutes(r["p90"]))
            for r in rows
        }
    values: dict = {}
    for k, v in qs.values_list(key, column):
        values.setdefault(k, []).append(v)
    out = {}
    for k, vs in values.items():
        s = stats.summarize(vs)
        out[k] = Stat(s.count, minutes(s.mean), minutes(s.median), minutes(s.p90))
    return out


def percent(numerator: int, denominator: int) -> float | None:
    """100 × numerator / denominator; None for a zero denominator (§6)."""
    return stats.rate(numerator, denominator)
