"""Exact median and p90 of per-ticket durations over any range, at any scale (KPI_SPEC.md §6).

Sorting every value of a range costs as much as the range holds (190,000 first replies in 30
days at a million tickets). Here a range costs what a few bins hold, and the result is the same
``percentile_cont``:

1. *locate*: sum the range's ``DailyHistogram`` counts per value bin (``kpis.bins``; whole
   ISO weeks from their week rows, the other days from day rows) to find the bins holding
   rows ``⌊h⌋`` and ``⌈h⌉`` of the sorted values, and their offsets there;
2. *read*: fetch only those bins' values in the range, in order, at those offsets (an index
   on (day, value) per duration: one index descent per day of the range);
3. interpolate as PostgreSQL does (``stats.interpolate``).

The counts and the rows must describe the same data: every step runs in one REPEATABLE READ
snapshot, and a window with a day still waiting for its fold (a ``DirtyBucket``) or a rebuild
in progress falls back to a plain ``percentile_cont`` over its rows. Windows are the groups one
call answers (the current and previous period, the buckets of a trend, the teams of a table).
Histograms are kept per team and for all teams; filters on agent, channel or priority select
few rows and use the plain path (``filters.grouped_stats``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction

from kpis import bins, stats
from kpis.models import DailyHistogram, DirtyBucket, RebuildJob, TicketMetricsRow
from kpis.models.rollups import ALL, BY_TEAM
from kpis.selectors.filters import DashboardFilter

# duration (its column stem) -> (histogram kind = rollup kind, attribution prefix)
SOURCES = {
    "first_reply": ("first_reply", "first_reply"),
    "full_resolution": ("resolved", "resolved"),
}
PARTS = (0.5, 0.9)
ANY_TEAM = object()  # Window.team default: every team the reader may see


@dataclass(frozen=True)
class Window:
    """One group: the values attributed to ``[start, end]`` (and to ``team`` if given;
    ``None`` = unassigned)."""

    key: Hashable
    start: date
    end: date
    team: Any = ANY_TEAM

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


Result = tuple[int, float | None, float | None]  # count, median, p90 (seconds)


def supported(f: DashboardFilter) -> bool:
    """Whether histograms answer ``f``: PostgreSQL, and no agent/channel/priority filter."""
    return connection.vendor == "postgresql" and not f.by_dimension


def median_p90(
    duration: str, hours: str, windows: Sequence[Window], teams: frozenset[int] | None
) -> dict[Hashable, Result]:
    """``{window key: (count, median, p90)}`` in seconds, exact (§6), for ``teams``
    (None = every team and unassigned)."""
    if not windows:
        return {}
    if connection.in_atomic_block:  # the caller's transaction is the snapshot
        return _compute(duration, hours, list(windows), teams)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _compute(duration, hours, list(windows), teams)


def _compute(
    duration: str, hours: str, windows: list[Window], teams: frozenset[int] | None
) -> dict[Hashable, Result]:
    kind, prefix = SOURCES[duration]
    stale = stale_windows(kind, windows)
    fresh = [w for i, w in enumerate(windows) if i not in stale]
    out: dict[Hashable, Result] = {}
    counts = _locate(kind, hours, fresh, teams)
    wanted: dict[tuple[int, int], tuple[int, int]] = {}  # (window, bin) -> offsets min, max
    rows: dict[int, dict[int, tuple[int, int]]] = {}  # window -> {row: (bin, offset)}
    for i, w in enumerate(fresh):
        per_bin = counts.get(i, {})
        n = sum(per_bin.values())
        if not n:
            out[w.key] = (0, None, None)
            continue
        needed = sorted({r for p in PARTS for r in stats.percentile_rows(n, p)})
        rows[i] = _positions(per_bin, needed)
        for b, offset in rows[i].values():
            lo, hi = wanted.get((i, b), (offset, offset))
            wanted[(i, b)] = (min(lo, offset), max(hi, offset))
    values = _read(prefix, f"{duration}_{hours}", fresh, teams, wanted)
    for i, positions in rows.items():
        w = fresh[i]
        n = sum(counts[i].values())
        got = {}
        for row, (b, offset) in positions.items():
            lo, _ = wanted[(i, b)]
            got[row] = values[(i, b)][offset - lo]
        median, p90 = (
            stats.interpolate(n, p, *(got[r] for r in stats.percentile_rows(n, p))) for p in PARTS
        )
        out[w.key] = (n, median, p90)
    for i in stale:
        out[windows[i].key] = _plain(prefix, f"{duration}_{hours}", windows[i], teams)
    return out


def _positions(per_bin: dict[int, int], needed: list[int]) -> dict[int, tuple[int, int]]:
    """For each wanted 0-based row of the sorted values: (bin, offset inside the bin)."""
    out, seen, it = {}, 0, iter(needed)
    row = next(it, None)
    for b in sorted(per_bin):
        n = per_bin[b]
        while row is not None and row < seen + n:
            out[row] = (b, row - seen)
            row = next(it, None)
        seen += n
    return out


def _team_sql(column: str, w: Window, teams: frozenset[int] | None) -> tuple[str, list]:
    if w.team is not ANY_TEAM:
        if w.team is None:
            return f" AND {column} IS NULL", []
        return f" AND {column} = %s", [w.team]
    if teams is not None:
        return f" AND {column} = ANY(%s)", [list(teams)]
    return "", []


def _level(windows: list[Window], teams: frozenset[int] | None) -> int:
    if teams is None and all(w.team is ANY_TEAM for w in windows):
        return ALL
    return BY_TEAM


def stale_windows(kind: str, windows: list[Window]) -> set[int]:
    """Windows with a day not yet folded, or all of them while a rebuild runs (one query)."""
    lo, hi = min(w.start for w in windows), max(w.end for w in windows)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT EXISTS (SELECT 1 FROM {RebuildJob._meta.db_table} WHERE state = %s), "
            f"ARRAY(SELECT day FROM {DirtyBucket._meta.db_table} "
            "WHERE kind = %s AND day BETWEEN %s AND %s)",
            [RebuildJob.State.RUNNING, kind, lo, hi],
        )
        rebuilding, dirty = cur.fetchone()
    if rebuilding:
        return set(range(len(windows)))
    return {i for i, w in enumerate(windows) if any(w.start <= d <= w.end for d in dirty)}


def _segments(w: Window) -> list[tuple[int, date]]:
    """The window as (span, first day) pieces of the histogram: the ISO weeks wholly inside
    it (span 7, from their Monday), and its other days (span 1)."""
    monday = w.start + timedelta(days=(7 - w.start.weekday()) % 7)
    last_monday = w.end - timedelta(days=(w.end.weekday() + 1) % 7 + 6)
    if monday > last_monday:
        return [(1, d) for d in w.days()]
    weeks = (last_monday - monday).days // 7 + 1
    return [
        *((1, w.start + timedelta(days=i)) for i in range((monday - w.start).days)),
        *((7, monday + timedelta(weeks=i)) for i in range(weeks)),
        *((1, d) for d in Window(None, last_monday + timedelta(days=7), w.end).days()),
    ]


def _locate(
    kind: str, hours: str, windows: list[Window], teams: frozenset[int] | None
) -> dict[int, dict[int, int]]:
    """``{window index: {bin: count}}``: the histogram rows of each distinct range (its
    weeks and days, ``_segments``) summed per bin in SQL, per team too when a window asks
    for one team; windows may overlap."""
    if not windows:
        return {}
    level = _level(windows, teams)
    ranges = list(dict.fromkeys((w.start, w.end) for w in windows))
    pieces = [
        (r, span, day)
        for r, (start, end) in enumerate(ranges)
        for span, day in _segments(Window(None, start, end))
    ]
    where = "h.kind = %s AND h.hours = %s AND h.level = %s"
    params: list = [kind, hours, level]
    if level == BY_TEAM and teams is not None:
        where += " AND h.team_id = ANY(%s)"
        params.append(list(teams))
    by_team = any(w.team is not ANY_TEAM for w in windows)
    team = "COALESCE(h.team_id, -1)" if by_team else "NULL"
    r, span, day = zip(*pieces, strict=True)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT s.r, {team}, h.bin, SUM(h.n) "
            "FROM unnest(%s::int[], %s::smallint[], %s::date[]) AS s(r, span, day) "
            f"JOIN {DailyHistogram._meta.db_table} h ON h.span = s.span AND h.day = s.day "
            f"WHERE {where} GROUP BY 1, 2, 3",
            [list(r), list(span), list(day), *params],
        )
        rows = cur.fetchall()
    readers: dict[tuple[int, Any], list[int]] = defaultdict(list)  # (range, team) -> windows
    for i, w in enumerate(windows):
        key = ANY_TEAM if w.team is ANY_TEAM else -1 if w.team is None else w.team
        readers[(ranges.index((w.start, w.end)), key)].append(i)
    out: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for rng, t, b, n in rows:
        for i in (*readers.get((rng, ANY_TEAM), ()), *readers.get((rng, t), ())):
            out[i][b] += int(n)
    return out


def _read(
    prefix: str,
    column: str,
    windows: list[Window],
    teams: frozenset[int] | None,
    wanted: dict[tuple[int, int], tuple[int, int]],
) -> dict[tuple[int, int], list[float]]:
    """The values at the wanted offsets of each (window, bin): bins of one-day windows in
    one LATERAL scan of (day, value) ranges, the others in one UNION ALL (one index descent
    per day each)."""
    keys = list(wanted)
    one_day = [q for q, (i, _) in enumerate(keys) if windows[i].start == windows[i].end]
    several = [q for q in range(len(keys)) if q not in set(one_day)]
    rows: list[tuple[int, float]] = []
    with connection.cursor() as cur:
        for sql, params in (
            _one_day_sql(prefix, column, windows, teams, wanted, keys, one_day),
            _union_sql(prefix, column, windows, teams, wanted, keys, several),
        ):
            if sql:
                cur.execute(sql, params)
                rows += cur.fetchall()
    out: dict[tuple[int, int], list[float]] = defaultdict(list)
    for q, v in rows:
        out[keys[q]].append(v)
    for k in out:
        out[k].sort()
    return out


def _one_day_sql(prefix, column, windows, teams, wanted, keys, chosen) -> tuple[str, list]:
    """One (day, value range) per bin: each is one range of the (day, value) index."""
    if not chosen:
        return "", []
    values, params = [], []
    for q in chosen:
        i, b = keys[q]
        w = windows[i]
        lo_off, hi_off = wanted[(i, b)]
        lower, upper = bins.bounds(b)
        mode = 0 if w.team is ANY_TEAM else 1 if w.team is None else 2
        values.append("(%s, %s::date, %s::bigint, %s::bigint, %s, %s, %s, %s::int)")
        upper = upper if upper is not None else 2**63 - 1
        params += [
            q,
            w.start,
            lower,
            upper,
            lo_off,
            hi_off - lo_off + 1,
            mode,
            w.team if mode == 2 else None,
        ]
    day, team = f"m.{prefix}_day", f"m.{prefix}_team_id"
    scope = f" AND {team} = ANY(%s)" if teams is not None else ""
    sql = (
        f"SELECT v.q, x.val FROM (VALUES {', '.join(values)}) "
        "AS v(q, d, lo, hi, off, lim, mode, t) CROSS JOIN LATERAL ("
        f"SELECT m.{column} AS val FROM {TicketMetricsRow._meta.db_table} m "
        f"WHERE {day} = v.d AND m.{column} >= v.lo AND m.{column} < v.hi"
        f"{scope} AND (v.mode = 0 OR (v.mode = 1 AND {team} IS NULL) OR {team} = v.t) "
        f"ORDER BY m.{column} OFFSET v.off LIMIT v.lim) x"
    )
    return sql, params + ([list(teams)] if teams is not None else [])


def _union_sql(prefix, column, windows, teams, wanted, keys, chosen) -> tuple[str, list]:
    parts, params = [], []
    table = TicketMetricsRow._meta.db_table
    for q in chosen:
        i, b = keys[q]
        w = windows[i]
        lo_off, hi_off = wanted[(i, b)]
        lower, upper = bins.bounds(b)
        team, team_params = _team_sql(f"{prefix}_team_id", w, teams)
        cond = f"{prefix}_day = ANY(%s::date[]) AND {column} >= %s"
        cond_params: list = [w.days(), lower]
        if upper is not None:
            cond += f" AND {column} < %s"
            cond_params.append(upper)
        parts.append(
            f"(SELECT {q} AS q, {column} AS v FROM {table} WHERE {cond}{team} "
            f"ORDER BY {column} OFFSET %s LIMIT %s)"
        )
        params += [*cond_params, *team_params, lo_off, hi_off - lo_off + 1]
    return " UNION ALL ".join(parts), params


def _plain(prefix: str, column: str, w: Window, teams: frozenset[int] | None) -> Result:
    """``percentile_cont`` over the window's rows (the fallback while a day awaits its fold)."""
    team, team_params = _team_sql(f"{prefix}_team_id", w, teams)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT COUNT({column}), PERCENTILE_CONT(ARRAY[0.5, 0.9]) WITHIN GROUP "
            f"(ORDER BY {column}) FROM {TicketMetricsRow._meta.db_table} "
            f"WHERE {prefix}_day BETWEEN %s AND %s AND {column} IS NOT NULL{team}",
            [w.start, w.end, *team_params],
        )
        n, pct = cur.fetchone()
    if not n:
        return (0, None, None)
    return (n, pct[0], pct[1])
