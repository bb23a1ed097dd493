"""The live backlog over every team, at any scale: open tickets per creation day (§6).

Counting every unresolved ticket costs what the backlog holds (30,000 rows at a million
tickets). ``OpenTicketsDay`` keeps the count per reporting day of creation, so here:

- the totals are a sum of those rows, days awaiting their fold (``DirtyBucket`` kind
  ``open``) counted from the tickets instead;
- an age bucket's bound falls inside one creation day: the days after it are summed, and only
  that day's tickets are counted from the partial backlog index (created after the bound);
- the k-th oldest ticket (median and p90 ages) is read at its offset inside the creation day
  the cumulative counts point to.

All in one REPEATABLE READ snapshot, and only while no rebuild runs (then None: the caller
counts the tickets).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import connection, transaction

from kpis import stats
from kpis.models import DirtyBucket, OpenTicketsDay, RebuildJob, TicketMetricsRow
from kpis.models.ticket_metrics import ACTIONABLE_STATUSES, UNRESOLVED_STATUSES
from kpis.open_days import OPEN
from kpis.zone import day_of, day_start

_M = TicketMetricsRow._meta.db_table
_UNRESOLVED = "status = ANY(%s)"

Counts = tuple[int, int, list[int], float | None, float | None]


def counts(now: datetime, age_bounds: tuple[int, ...]) -> Counts | None:
    """(count, actionable, tickets per age bucket, median age s, p90 age s) at ``now``;
    ``age_bounds`` are the buckets' lower bounds in days, ascending from 0. None while a
    rebuild runs."""
    if connection.in_atomic_block:
        return _counts(now, age_bounds)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _counts(now, age_bounds)


def _counts(now: datetime, age_bounds: tuple[int, ...]) -> Counts | None:
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT EXISTS (SELECT 1 FROM {RebuildJob._meta.db_table} WHERE state = %s), "
            f"ARRAY(SELECT day FROM {DirtyBucket._meta.db_table} WHERE kind = %s)",
            [RebuildJob.State.RUNNING, OPEN],
        )
        rebuilding, dirty = cur.fetchone()
        if rebuilding:
            return None
        # The folded days, and the days awaiting their fold counted from the tickets.
        cur.execute(
            f"SELECT created_day, actionable, n FROM {OpenTicketsDay._meta.db_table} "
            "WHERE NOT (created_day = ANY(%s)) UNION ALL "
            "SELECT d.day, x.actionable, x.n FROM unnest(%s::date[], %s::timestamptz[], "
            "%s::timestamptz[]) AS d(day, lo, hi) CROSS JOIN LATERAL ("
            f"SELECT status = ANY(%s) AS actionable, COUNT(*) AS n FROM {_M} "
            f"WHERE {_UNRESOLVED} AND created_at >= d.lo AND created_at < d.hi GROUP BY 1) x",
            [
                dirty,
                dirty,
                [day_start(d) for d in dirty],
                [day_start(d + timedelta(days=1)) for d in dirty],
                list(ACTIONABLE_STATUSES),
                list(UNRESOLVED_STATUSES),
            ],
        )
        per_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])  # day -> [n, actionable]
        for day, is_actionable, n in cur.fetchall():
            per_day[day][0] += n
            per_day[day][1] += n if is_actionable else 0
        total = sum(n for n, _ in per_day.values())
        actionable = sum(a for _, a in per_day.values())
        # younger[i]: open tickets created after now - age_bounds[i] days
        younger = _created_after(cur, [now - timedelta(days=d) for d in age_bounds], per_day)
        buckets = [a - b for a, b in zip(younger[1:], younger, strict=False)]
        buckets.append(total - younger[-1])
        median, p90 = _ages(cur, now, total, per_day)
    return total, actionable, buckets, median, p90


def _created_after(cur, bounds: list[datetime], per_day: dict[date, list[int]]) -> list[int]:
    """Open tickets created after each bound: the later days' counts, plus the tickets of
    the bound's own day created after it (one range of the partial backlog index each)."""
    days = [day_of(b) for b in bounds]
    parts = " UNION ALL ".join(
        f"(SELECT {i}, COUNT(*) FROM {_M} WHERE {_UNRESOLVED} "
        "AND created_at > %s AND created_at < %s)"
        for i in range(len(bounds))
    )
    params: list = []
    for bound, day in zip(bounds, days, strict=True):
        params += [list(UNRESOLVED_STATUSES), bound, day_start(day + timedelta(days=1))]
    cur.execute(parts, params)
    partial = dict(cur.fetchall())
    return [
        partial[i] + sum(n for d, (n, _) in per_day.items() if d > day)
        for i, day in enumerate(days)
    ]


def _ages(cur, now: datetime, total: int, per_day: dict) -> tuple[float | None, float | None]:
    """Exact median and p90 of the open tickets' ages (seconds): the age of rank r is the
    creation of rank total-1-r (oldest first), read at its offset in its creation day."""
    if not total:
        return None, None
    days = sorted(per_day)
    starts, seen = [], 0  # creation rank of each day's first ticket
    for day in days:
        starts.append(seen)
        seen += per_day[day][0]
    ages: dict[int, float] = {}
    for p in (0.5, 0.9):
        lo, hi = stats.percentile_rows(total, p)
        first = total - 1 - hi
        i = max(j for j, start in enumerate(starts) if start <= first)
        cur.execute(
            f"SELECT created_at FROM {_M} WHERE {_UNRESOLVED} AND created_at >= %s "
            "ORDER BY created_at OFFSET %s LIMIT %s",
            [list(UNRESOLVED_STATUSES), day_start(days[i]), first - starts[i], hi - lo + 1],
        )
        created = [c for (c,) in cur.fetchall()]
        ages[hi], ages[lo] = ((now - c).total_seconds() for c in (created[0], created[-1]))
    median, p90 = (
        stats.interpolate(total, p, *(ages[r] for r in stats.percentile_rows(total, p)))
        for p in (0.5, 0.9)
    )
    return median, p90
