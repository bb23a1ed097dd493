"""Dirty buckets and the set-based fold of ``DailyRollup`` (KPI_SPEC.md §6).

A bucket is (kind, day). :func:`mark_dirty` upserts it and bumps its ``generation``.
:func:`fold_dirty` claims a batch with one conditional UPDATE (stale claims of a killed worker
are retaken), then per kind, in its own transaction, locks the buckets (``kpis.bucket_locks``:
two folds of one bucket never overlap) and replaces the batch's rows with one ``DELETE`` and
one ``INSERT ... SELECT ... GROUP BY`` over the indexed metric rows. Afterwards it forgets the
buckets whose generation is still the claimed one and un-claims the others: a change marked
during the fold is folded again, right after. On PostgreSQL the same fold replaces the day's
value-bin counts (``DailyHistogram``) of first replies and resolutions. Kind ``backlog``
refolds the daily backlog of its days (``kpis.backlog_fold``), kind ``open`` the open tickets
of its creation days (``kpis.open_days``).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from kpis import backlog_fold, bins, bucket_locks, open_days
from kpis.models import DailyHistogram, DailyRollup, DirtyBucket, TicketMetricsRow, TicketSlaRow
from kpis.models.rollups import ALL, BY_TEAM, DIMS, FULL

CLAIM_TIMEOUT = timedelta(minutes=5)
_R = DailyRollup._meta.db_table
_M = TicketMetricsRow._meta.db_table
_S = TicketSlaRow._meta.db_table
_DIRTY = DirtyBucket._meta.db_table
_H = DailyHistogram._meta.db_table

_COLS = (
    "kind, day, level, team_id, agent_id, channel, priority, metric, n, sum_cal, sum_bus, "
    "p50_cal, p90_cal, p50_bus, p90_bus, n_inbound, n_fcr, n_zero_touch, n_one_touch, "
    "n_two_touch, n_reopened, n_achieved, n_breached"
)


def _count_true(expr: str) -> str:
    return f"COALESCE(SUM(CASE WHEN {expr} THEN 1 ELSE 0 END), 0)"


def _levels(
    kind: str, day: str, dims: tuple[str, str, str, str], extra: str, measures: str, source: str
) -> list[str]:
    """The INSERT ... SELECT of every level (full cube, without agent, by team, all),
    ``{days}`` being the bound day list. ``dims`` = (team, agent, channel, priority)
    expressions, none of them nullable but team and agent. PostgreSQL writes all levels from
    one scan (GROUPING SETS); elsewhere each level is a GROUP BY of its own."""
    team, agent, channel, priority = dims
    metric = extra or "''"
    x = f", {extra}" if extra else ""
    head = f"INSERT INTO {_R} ({_COLS}) SELECT '{kind}', {day}, "
    tail = f", {metric}, {measures} FROM {source} AND {day} IN ({{days}}) GROUP BY "
    if connection.vendor != "postgresql":
        shapes = (
            (FULL, f"{team}, {agent}, {channel}, {priority}"),
            (DIMS, f"{team}, NULL, {channel}, {priority}"),
            (BY_TEAM, f"{team}, NULL, '', ''"),
            (ALL, "NULL, NULL, '', ''"),
        )
        return [
            f"{head}{level}, {cols}{tail}{day}"
            + "".join(f", {c}" for c in cols.split(", ") if c not in ("NULL", "''"))
            + x
            for level, cols in shapes
        ]
    # GROUPING(agent, channel, team): a bit per column summed away (agent 4, channel 2, team 1).
    level = (
        f"CASE GROUPING({agent}, {channel}, {team}) WHEN 0 THEN {FULL} WHEN 4 THEN {DIMS} "
        f"WHEN 6 THEN {BY_TEAM} ELSE {ALL} END"
    )
    sets = (
        f"({day}, {team}, {agent}, {channel}, {priority}{x}), "
        f"({day}, {team}, {channel}, {priority}{x}), ({day}, {team}{x}), ({day}{x})"
    )
    cols = f"{team}, {agent}, COALESCE({channel}, ''), COALESCE({priority}, '')"
    return [f"{head}{level}, {cols}{tail}GROUPING SETS ({sets})"]


def _percentiles(duration: str | None) -> str:
    """The row's own median and p90 of the duration, calendar and business (PostgreSQL): a
    day's trend reads them when the filter selects one row per day."""
    if not duration or connection.vendor != "postgresql":
        return "NULL, NULL, NULL, NULL"
    return ", ".join(
        f"(PERCENTILE_CONT(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY {duration}_{hours}))[{i}]"
        for hours in ("cal", "bus")
        for i in (1, 2)
    )


def _metric_selects(kind: str, prefix: str, duration: str | None) -> list[str]:
    """The fold of one TicketMetricsRow-based kind."""
    sums = (
        f"COALESCE(SUM({duration}_cal), 0), COALESCE(SUM({duration}_bus), 0)"
        if duration
        else "0, 0"
    )
    if kind == "resolved":
        flags = (
            f"{_count_true('inbound')}, {_count_true('fcr')}, {_count_true('zero_touch')}, "
            f"{_count_true('one_touch')}, {_count_true('two_touch')}, "
            f"{_count_true('reopens >= 1')}"
        )
    else:
        flags = "0, 0, 0, 0, 0, 0"
    dims = (f"{prefix}_team_id", f"{prefix}_agent_id", "channel", f"{prefix}_priority")
    measures = f"COUNT(*), {sums}, {_percentiles(duration)}, {flags}, 0, 0"
    return _levels(kind, f"{prefix}_day", dims, "", measures, f"{_M} WHERE TRUE")


_ACHIEVED = _count_true("outcome = 'achieved'")
_BREACHED = _count_true("outcome = 'breached'")

# kind -> (metric row prefix, duration stem) of the TicketMetricsRow-based kinds
_METRIC_KINDS = {
    "created": ("created", None),
    "first_reply": ("first_reply", "first_reply"),
    "first_resolution": ("first_resolution", "first_resolution"),
    "resolved": ("resolved", "full_resolution"),
}
KINDS = (*_METRIC_KINDS, "sla")


@functools.cache
def _selects(kind: str) -> list[str]:
    """The fold's statements of ``kind`` for this database."""
    if kind == "sla":
        return _levels(
            "sla",
            "outcome_day",
            ("team_id", "agent_id", "channel", "priority"),
            "metric",
            f"COUNT(*), 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, {_ACHIEVED}, {_BREACHED}",
            f"{_S} WHERE finished AND outcome IN ('achieved', 'breached')",
        )
    return _metric_selects(kind, *_METRIC_KINDS[kind])


BACKLOG = backlog_fold.BACKLOG  # dirty days of the daily backlog (kpis.backlog_fold)


# Kinds with value-bin counts (PostgreSQL): kind -> (day column prefix, duration stem).
HISTOGRAMS = {
    "first_reply": ("first_reply", "first_reply"),
    "resolved": ("resolved", "full_resolution"),
}


def _histogram_selects(kind: str, *, weeks: bool = False) -> list[str]:
    """One INSERT ... SELECT of a kind's bin counts per day, calendar and business, for all
    teams and per team (one scan: GROUPING SETS); with ``weeks``, the week rows (span 7, on
    their Monday) from the same scan (a full refold: every day of every week is counted)."""
    prefix, stem = HISTOGRAMS[kind]
    day, team = f"m.{prefix}_day", f"m.{prefix}_team_id"
    bucket = f"width_bucket(v.val, {bins.sql_array()}) - 1"
    sets = f"(v.hours, {day}, {bucket}), (v.hours, {day}, {team}, {bucket})"
    first, span = day, "1"
    if weeks:
        monday = f"({day} - (EXTRACT(ISODOW FROM {day})::int - 1))"
        sets += f", (v.hours, {monday}, {bucket}), (v.hours, {monday}, {team}, {bucket})"
        first = f"COALESCE({day}, {monday})"
        span = f"CASE WHEN GROUPING({day}) = 1 THEN 7 ELSE 1 END"
    return [
        f"INSERT INTO {_H} (kind, hours, day, span, level, team_id, bin, n) "
        f"SELECT '{kind}', v.hours, {first}, {span}, CASE WHEN GROUPING({team}) = 1 "
        f"THEN {ALL} ELSE {BY_TEAM} END, {team}, {bucket}, COUNT(*) FROM {_M} m "
        f"CROSS JOIN LATERAL (VALUES ('cal', m.{stem}_cal), ('bus', m.{stem}_bus)) v(hours, val) "
        f"WHERE v.val IS NOT NULL AND {day} IN ({{days}}) GROUP BY GROUPING SETS ({sets})"
    ]


# Every (hours, level) of a kind: the index's leading columns, so day lists are index ranges.
_ALL_ROWS = f"hours IN ('cal', 'bus') AND level IN ({ALL}, {BY_TEAM})"


def _fold_weeks(cur, kind: str, weeks: list[date]) -> None:
    """Replace the week rows (span 7) of ``weeks`` (Mondays) with the sums of their day
    rows."""
    cur.execute(
        f"DELETE FROM {_H} WHERE kind = %s AND {_ALL_ROWS} AND span = 7 AND day = ANY(%s)",
        [kind, weeks],
    )
    days = [w + timedelta(days=i) for w in weeks for i in range(7)]
    cur.execute(
        f"INSERT INTO {_H} (kind, hours, day, span, level, team_id, bin, n) "
        f"SELECT kind, hours, date_trunc('week', day)::date, 7, level, team_id, bin, SUM(n) "
        f"FROM {_H} WHERE kind = %s AND span = 1 AND {_ALL_ROWS} AND day = ANY(%s) "
        "GROUP BY kind, hours, date_trunc('week', day), level, team_id, bin",
        [kind, days],
    )


def _fold_histograms(cur, kind: str, days: list[date] | None) -> None:
    if kind not in HISTOGRAMS or connection.vendor != "postgresql":
        return
    if days is None:
        cur.execute(f"DELETE FROM {_H} WHERE kind = %s", [kind])
        for sql in _histogram_selects(kind, weeks=True):
            cur.execute(sql.replace("IN ({days})", "IS NOT NULL"))
        return
    cur.execute(
        f"DELETE FROM {_H} WHERE kind = %s AND {_ALL_ROWS} AND span = 1 AND day = ANY(%s)",
        [kind, days],
    )
    marks = ", ".join(["%s"] * len(days))
    for sql in _histogram_selects(kind):
        cur.execute(sql.format(days=marks), days)
    _fold_weeks(cur, kind, sorted({d - timedelta(days=d.weekday()) for d in days}))


def mark_dirty(buckets: Iterable[tuple[str, date]], now: datetime | None = None) -> None:
    """Mark buckets for a fold. A bucket being folded keeps its claim (its fold goes on
    alone); the new generation tells that fold to leave it marked for the next one."""
    buckets = sorted(set(buckets))
    if not buckets:
        return
    now = now or timezone.now()
    values = ", ".join(["(%s, %s, %s, NULL, 0)"] * len(buckets))
    params = [v for kind, day in buckets for v in (kind, day, now)]
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {_DIRTY} (kind, day, marked_at, claimed_at, generation) "
            f"VALUES {values} ON CONFLICT (kind, day) DO UPDATE SET "
            f"marked_at = EXCLUDED.marked_at, generation = {_DIRTY}.generation + 1",
            params,
        )


def fold_days(kind: str, days: list[date]) -> None:
    """Replace the rollup rows of ``kind`` on ``days`` from the metric rows (idempotent),
    holding the buckets' locks."""
    if not days:
        return
    if kind == BACKLOG:
        backlog_fold.fold_days(days)
        return
    if kind == open_days.OPEN:
        open_days.fold_days(days)
        return
    days = sorted(set(days))
    weeks = sorted({d - timedelta(days=d.weekday()) for d in days}) if kind in HISTOGRAMS else []
    marks = ", ".join(["%s"] * len(days))
    with transaction.atomic(), connection.cursor() as cur:
        bucket_locks.lock_days(kind, days, weeks)
        cur.execute(f"DELETE FROM {_R} WHERE kind = %s AND day IN ({marks})", [kind, *days])
        for sql in _selects(kind):
            cur.execute(sql.format(days=marks), days)
        _fold_histograms(cur, kind, days)


def _claim(batch: int) -> tuple[datetime, list[tuple[int, str, date, int]]]:
    """Claim up to ``batch`` unclaimed (or stale) buckets: (claim instant, [(id, kind, day,
    generation)])."""
    now = timezone.now()
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {_DIRTY} SET claimed_at = %s WHERE id IN (SELECT id FROM {_DIRTY} "
            "WHERE claimed_at IS NULL OR claimed_at < %s ORDER BY id LIMIT %s"
            + (" FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else "")
            + ") RETURNING id, kind, day, generation",
            [now, now - CLAIM_TIMEOUT, batch],
        )
        return now, cur.fetchall()


def _release(now: datetime, claimed: list[tuple[int, str, date, int]]) -> None:
    """After the fold of a claim: forget each bucket not re-marked since, un-claim the others
    (a generation moved on: they are folded again). One row per statement: a refresh that
    is re-marking buckets holds their rows in its own order, and a statement waiting for one
    of them must hold no other."""
    with connection.cursor() as cur:
        for pk, _, _, generation in claimed:
            cur.execute(
                f"DELETE FROM {_DIRTY} WHERE id = %s AND generation = %s AND claimed_at = %s",
                [pk, generation, now],
            )
            if not cur.rowcount:
                cur.execute(
                    f"UPDATE {_DIRTY} SET claimed_at = NULL WHERE id = %s AND claimed_at = %s",
                    [pk, now],
                )


def fold_dirty(batch: int = 500) -> int:
    """Fold claimed dirty buckets until none is left; returns how many were folded. Run it
    outside a transaction: each kind's fold commits on its own (and releases its locks)."""
    folded = 0
    while True:
        now, claimed = _claim(batch)
        if not claimed:
            return folded
        by_kind: dict[str, list[date]] = defaultdict(list)
        for _, kind, day, _ in claimed:
            by_kind[kind].append(day)
        for kind in sorted(by_kind, key=bucket_locks.KIND_ORDER.index):  # the locks' order
            fold_days(kind, by_kind[kind])
        _release(now, claimed)
        folded += len(claimed)


def _refold_kinds(*kinds: str) -> None:
    """Every rollup row (and value-bin count) of ``kinds``: one DELETE + INSERT ... SELECT
    per kind, in one transaction holding those kinds."""
    with transaction.atomic(), connection.cursor() as cur:
        bucket_locks.lock_kinds(kinds)
        for kind in kinds:
            cur.execute(f"DELETE FROM {_R} WHERE kind = %s", [kind])
            for sql in _selects(kind):
                cur.execute(sql.replace("IN ({days})", "IS NOT NULL"))
            _fold_histograms(cur, kind, None)


# The full refold in parts that exclude no other part (each holds its own kinds), in an
# order that balances two workers. Their CPU time at 100k tickets: resolved and first replies
# (rollups and value bins) 3.3 and 2.8 s, the other kinds 1.5 s, the daily backlog 1.2 s.
_PARTS: tuple[Callable[[], None], ...] = (
    functools.partial(_refold_kinds, "resolved"),
    functools.partial(_refold_kinds, "first_reply"),
    functools.partial(_refold_kinds, "created", "first_resolution", "sla"),
    backlog_fold.fold_all_days,
    open_days.fold_all,
)


def _run_part(part: Callable[[], None]) -> None:
    try:
        part()
    finally:
        connection.close()  # this thread's own connection


def fold_all(*, workers: int = 1) -> None:
    """Rebuild every rollup row of every kind, the daily backlog of every ended day and the
    open tickets per creation day. With ``workers`` > 1 (PostgreSQL), the parts run at once
    on their own connections, each committing alone: the caller must hold no uncommitted
    write they need to see. Otherwise, one transaction holding every kind."""
    if workers <= 1 or connection.vendor != "postgresql":
        with transaction.atomic():
            bucket_locks.lock_kinds(bucket_locks.KIND_ORDER)  # in order, before any part
            for part in _PARTS:
                part()
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="refold") as pool:
        for done in [pool.submit(_run_part, part) for part in _PARTS]:
            done.result()
