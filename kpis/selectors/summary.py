"""``summary(user, f)``: every dashboard tile with its previous-period value (KPI_SPEC.md §6).

Six queries whatever the data size, each covering the current and the previous period with
``FILTER`` clauses: the daily rollups (counts, sums -> means and rates), one exact
``percentile_cont`` per duration over the per-ticket rows of each range, the live SLA breaches
(§9.16, §9.21), the survey answers, and the live backlog at ``now`` (§9.4; over every team
from the open tickets per creation day, ``open_backlog``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Case, Count, FloatField, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from kpis import stats
from kpis.models import TicketMetricsRow, TicketSlaRow
from kpis.models.ticket_metrics import ACTIONABLE_STATUSES, UNRESOLVED_STATUSES
from kpis.selectors import open_backlog, percentiles
from kpis.selectors.filters import (
    DashboardFilter,
    MedianP90,
    Stat,
    _dims,
    live_rows,
    minutes,
    percent,
    rollup_rows,
    teams_for,
)
from kpis.selectors.percentiles import Window
from kpis.selectors.surveys import survey_figures
from policies.sla import METRICS as SLA_METRICS

Teams = frozenset[int] | None
PERIODS = ("cur", "prev")
DURATIONS = {"first_reply": "first_reply", "full_resolution": "resolved"}  # metric -> prefix
_RESOLVED = ("n", "n_inbound", "n_fcr", "n_one_touch", "n_zero_touch", "n_reopened")
_AGE_BOUNDS = (0, 1, 3, 7, 30)  # days; the buckets of stats.BACKLOG_BUCKETS


@dataclass(frozen=True)
class Tile:
    key: str
    value: float | int | None
    previous: float | int | None
    count: int | None = None  # the denominator or sample size behind the value


@dataclass(frozen=True)
class Backlog:
    count: int
    actionable: int
    median_age_days: float | None
    p90_age_days: float | None
    buckets: dict[str, int]


@dataclass(frozen=True)
class SlaTile:
    metric: str
    achieved: int
    breached: int
    attainment: float | None
    previous: float | None


@dataclass(frozen=True)
class Summary:
    filter: DashboardFilter
    as_of: datetime
    tiles: dict[str, Tile]
    first_reply: Stat
    full_resolution: Stat
    backlog: Backlog
    sla: list[SlaTile] = field(default_factory=list)
    breached_active: int = 0


def _range(periods: dict[str, DashboardFilter], column: str, p: str) -> Q:
    return Q(**{f"{column}__range": (periods[p].start, periods[p].end)})


def _rollup_totals(periods: dict[str, DashboardFilter], teams: Teams) -> dict[str, int]:
    """One GROUP BY query: every additive part of both periods (``{period}_{kind}_{field}``,
    0 where no row)."""
    f, cur = periods["cur"], periods["cur"]
    lo, hi = min(x.start for x in periods.values()), max(x.end for x in periods.values())
    sums = {col: Sum(col) for col in (*_RESOLVED, f"sum_{f.suffix}", "n_achieved", "n_breached")}
    rows = (
        rollup_rows(f, teams)
        .filter(day__range=(lo, hi), kind__in=("created", "first_reply", "resolved", "sla"))
        .annotate(
            p=Case(When(day__range=(cur.start, cur.end), then=Value("cur")), default=Value("prev"))
        )
        .values("p", "kind", "metric")
        .annotate(**sums)
    )
    out: dict[str, int] = defaultdict(int)
    for r in rows:
        p, kind = r["p"], r["kind"]
        if kind == "sla":
            out[f"{p}_sla_{r['metric']}_a"] += r["n_achieved"] or 0
            out[f"{p}_sla_{r['metric']}_b"] += r["n_breached"] or 0
            continue
        for col in sums:
            out[f"{p}_{kind}_{col}"] += r[col] or 0
    return out


def _percentiles(
    periods: dict[str, DashboardFilter], teams: Teams, metric: str
) -> dict[str, tuple[float | None, float | None]]:
    """One query: exact median and p90 (minutes) of each period's per-ticket values."""
    f, prefix = periods["cur"], DURATIONS[metric]
    if percentiles.supported(f):
        windows = [Window(p, pf.start, pf.end) for p, pf in periods.items()]
        r = percentiles.median_p90(metric, f.suffix, windows, teams)
        return {p: (minutes(r[p][1]), minutes(r[p][2])) for p in PERIODS}
    column, day = f"{metric}_{f.suffix}", f"{prefix}_day"
    lo, hi = min(x.start for x in periods.values()), max(x.end for x in periods.values())
    qs = TicketMetricsRow.objects.filter(
        _dims(f"{prefix}_", f, teams, channel="channel"),
        **{f"{day}__range": (lo, hi), f"{column}__isnull": False},
    )
    if connection.vendor != "postgresql":
        out: dict[str, tuple[float | None, float | None]] = {}
        for p in PERIODS:
            s = stats.summarize(qs.filter(_range(periods, day, p)).values_list(column, flat=True))
            out[p] = (minutes(s.median), minutes(s.p90))
        return out
    agg = qs.aggregate(**{p: MedianP90(column, filter=_range(periods, day, p)) for p in PERIODS})
    return {
        p: (minutes((agg[p] or [None])[0]), minutes((agg[p] or [None, None])[1])) for p in PERIODS
    }


def _sla_dims(f: DashboardFilter, teams: Teams) -> Q:
    return _dims("", f, teams, channel="channel")


def _live_sla(
    periods: dict[str, DashboardFilter], teams: Teams, now: datetime
) -> tuple[dict[str, dict[str, int]], int]:
    """Unfinished instances past due (breached, §9.16) per period and metric, by due instant,
    and the breached-active count now (§9.21). One query."""
    aggs: dict[str, Any] = {"active": Count("pk")}
    for p, pf in periods.items():
        window = Q(due_at__gte=pf.start_instant, due_at__lt=min(now, pf.end_instant))
        aggs[p] = Count("pk", filter=window)
    rows = (
        TicketSlaRow.objects.filter(
            _sla_dims(periods["cur"], teams), finished=False, due_at__lt=now
        )
        .values("metric")
        .annotate(**aggs)
    )
    out: dict[str, dict[str, int]] = {p: {} for p in PERIODS}
    active = 0
    for r in rows:
        row: dict[str, Any] = dict(r)
        active += row["active"]
        for p in PERIODS:
            out[p][row["metric"]] = row[p]
    return out, active


def _days(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 86400


def backlog(f: DashboardFilter, teams: Teams, now: datetime) -> Backlog:
    """The live backlog at ``now`` (§6): counts, age median/p90 (days) and buckets. Over
    every team from the open tickets per creation day (``open_backlog``), else one query."""
    unfiltered = connection.vendor == "postgresql" and teams is None and not f.by_dimension
    got = open_backlog.counts(now, _AGE_BOUNDS) if unfiltered else None
    if got is not None:
        n, actionable, counts, median, p90 = got
        buckets = dict(zip(stats.BACKLOG_BUCKETS, counts, strict=True))
        return Backlog(n, actionable, _days(median), _days(p90), buckets)
    qs = live_rows(f, teams).filter(status__in=UNRESOLVED_STATUSES)
    # Counts of created_at (never null), in the partial index: an index-only scan.
    aggs: dict[str, Any] = {
        "n": Count("created_at"),
        "actionable": Count("created_at", filter=Q(status__in=ACTIONABLE_STATUSES)),
    }
    for i, days in enumerate(_AGE_BOUNDS):
        q = Q(created_at__lte=now - timedelta(days=days))
        if i + 1 < len(_AGE_BOUNDS):
            q &= Q(created_at__gt=now - timedelta(days=_AGE_BOUNDS[i + 1]))
        aggs[f"b{i}"] = Count("created_at", filter=q)
    # Unfiltered (a rebuild runs), the creation-order index serves ages by rank; a filtered
    # backlog is small.
    if unfiltered:
        r = qs.aggregate(**aggs)
        median, p90 = _ages_by_rank(qs, r["n"], now)
    elif connection.vendor == "postgresql":
        age = RawSQL("EXTRACT(EPOCH FROM (%s::timestamptz - created_at))", [now], FloatField())
        aggs["ages"] = MedianP90("age")
        r = qs.annotate(age=age).aggregate(**aggs)
        median, p90 = r["ages"] or (None, None)
    else:
        r = qs.aggregate(**aggs)
        ages = [(now - c).total_seconds() for c in qs.values_list("created_at", flat=True)]
        s = stats.summarize(ages)
        median, p90 = s.median, s.p90
    buckets = {label: r[f"b{i}"] for i, label in enumerate(stats.BACKLOG_BUCKETS)}
    return Backlog(r["n"], r["actionable"], _days(median), _days(p90), buckets)


def _ages_by_rank(qs: QuerySet, n: int, now: datetime) -> tuple[float | None, float | None]:
    """Exact median and p90 of the backlog's ages (seconds) without sorting them: the age of
    rank r is the creation of rank n-1-r, read in creation order (an index) at that offset."""
    if not n:
        return None, None
    ordered = qs.order_by("created_at").values_list("created_at", flat=True)
    ages: dict[int, float] = {}
    for p in (0.5, 0.9):
        lo, hi = stats.percentile_rows(n, p)
        first = n - 1 - hi  # the creations of age ranks hi and lo, oldest first
        created = list(ordered[first : n - lo])
        ages[hi], ages[lo] = ((now - c).total_seconds() for c in (created[0], created[-1]))
    median, p90 = (
        stats.interpolate(n, p, *(ages[r] for r in stats.percentile_rows(n, p))) for p in (0.5, 0.9)
    )
    return median, p90


def _stat(totals: dict, p: str, kind: str, suffix: str, pct: tuple) -> Stat:
    n, s = totals[f"{p}_{kind}_n"], totals[f"{p}_{kind}_sum_{suffix}"]
    return Stat(n, s / n / 60 if n else None, pct[0], pct[1])


def summary(user, f: DashboardFilter, *, now: datetime | None = None) -> Summary:
    now = now or timezone.now()
    teams = teams_for(user, f)
    periods = {"cur": f, "prev": f.previous()}
    t = _rollup_totals(periods, teams)
    pct = {m: _percentiles(periods, teams, m) for m in DURATIONS}
    live, active = _live_sla(periods, teams, now)
    surveys = survey_figures(periods, teams)
    log = backlog(f, teams, now)
    stat = {
        (m, p): _stat(t, p, "resolved" if m == "full_resolution" else m, f.suffix, pct[m][p])
        for m in DURATIONS
        for p in PERIODS
    }
    sla: dict[str, dict[str, tuple[int, int]]] = {
        p: {m: (t[f"{p}_sla_{m}_a"], t[f"{p}_sla_{m}_b"] + live[p].get(m, 0)) for m in SLA_METRICS}
        for p in PERIODS
    }

    def rate(p: str, num: str, den: str) -> tuple[float | None, int]:
        d = t[f"{p}_resolved_{den}"]
        return percent(t[f"{p}_resolved_{num}"], d), d

    def attainment(p: str) -> tuple[float | None, int]:
        a = sum(x for x, _ in sla[p].values())
        b = sum(y for _, y in sla[p].values())
        return percent(a, a + b), a + b

    tiles: dict[str, Tile] = {
        "created": Tile("created", t["cur_created_n"], t["prev_created_n"]),
        "resolved": Tile("resolved", t["cur_resolved_n"], t["prev_resolved_n"]),
        "backlog": Tile("backlog", log.count, None),
        "actionable_backlog": Tile("actionable_backlog", log.actionable, None),
        "backlog_age_median": Tile("backlog_age_median", log.median_age_days, None, log.count),
    }
    for m in DURATIONS:
        cur, prev = stat[(m, "cur")], stat[(m, "prev")]
        for part in ("median", "p90", "mean"):
            key = f"{m}_{part}"
            tiles[key] = Tile(key, getattr(cur, part), getattr(prev, part), cur.count)
    pairs = {
        "fcr": (rate("cur", "n_fcr", "n_inbound"), rate("prev", "n_fcr", "n_inbound")),
        "one_touch": (rate("cur", "n_one_touch", "n"), rate("prev", "n_one_touch", "n")),
        "reopen_rate": (rate("cur", "n_reopened", "n"), rate("prev", "n_reopened", "n")),
        "sla_attainment": (attainment("cur"), attainment("prev")),
        "csat": (surveys["cur"][:2], surveys["prev"][:2]),
        "nps": (surveys["cur"][2:], surveys["prev"][2:]),
    }
    for key, ((value, n), (previous, _)) in pairs.items():
        tiles[key] = Tile(key, value, previous, n)
    sla_tiles = [
        SlaTile(m, a, b, percent(a, a + b), percent(pa, pa + pb))
        for m in SLA_METRICS
        for (a, b), (pa, pb) in [(sla["cur"][m], sla["prev"][m])]
    ]
    return Summary(
        filter=f,
        as_of=now,
        tiles=tiles,
        first_reply=stat[("first_reply", "cur")],
        full_resolution=stat[("full_resolution", "cur")],
        backlog=log,
        sla=sla_tiles,
        breached_active=active,
    )
