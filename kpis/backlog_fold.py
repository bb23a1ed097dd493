"""Fold of the daily backlog (KPI_SPEC.md §6, §9.15) from ``TicketBacklogSpan`` rows.

Day D is folded once it has ended (X = the start of D+1 is not after now): one
``INSERT ... SELECT ... GROUP BY`` of the spans that count on D into the full cube, with the
ages at X per bucket, then the coarser levels summed from it.
:func:`close_days` folds every ended day not folded yet (the periodic fold calls it); a refresh
that changes which days a ticket counts on marks them dirty (:func:`changed_days`), so a late
refresh (events caught up by the sweeper) refolds them. :func:`fold_all_days` refolds every
day, on PostgreSQL in one set-based pass (the full rebuild).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from kpis import bucket_locks
from kpis.models import BacklogDay, DailyBacklog, TicketBacklogSpan, TicketMetricsRow
from kpis.models.rollups import ALL, BY_TEAM, DIMS, FULL
from kpis.zone import day_of, day_start

BACKLOG = "backlog"  # DirtyBucket.kind of these days
_B = DailyBacklog._meta.db_table
_S = TicketBacklogSpan._meta.db_table
_AGE_DAYS = (1, 3, 7, 30)  # bucket bounds: [0,1d) [1d,3d) [3d,7d) [7d,30d) [30d,inf)
_DIMS = "team_id, agent_id, channel, priority"
_COUNTS = "n, n_actionable, n_age_0, n_age_1, n_age_2, n_age_3, n_age_4"
_COLS = f"day, level, {_DIMS}, {_COUNTS}"


def _measures(t1: str, t3: str, t7: str, t30: str) -> str:
    """COUNT, actionable and the age buckets; ``tN`` = the instant N days before X."""
    return (
        "COUNT(*), SUM(CASE WHEN s.actionable THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN s.created_at > {t1} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN s.created_at <= {t1} AND s.created_at > {t3} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN s.created_at <= {t3} AND s.created_at > {t7} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN s.created_at <= {t7} AND s.created_at > {t30} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN s.created_at <= {t30} THEN 1 ELSE 0 END)"
    )


_SUMS = ", ".join(f"SUM({c})" for c in _COUNTS.split(", "))


def _levels_from_full(cur, where: str, params: list) -> None:
    """The coarser levels (without agent, by team, all teams) of the days selected by
    ``where``, summed from the cube: in one scan on PostgreSQL (GROUPING SETS)."""
    source = f"FROM {_B} WHERE level = {FULL} AND {where}"
    if connection.vendor != "postgresql":
        for level, cols, group in (
            (DIMS, "team_id, NULL, channel, priority", ", team_id, channel, priority"),
            (BY_TEAM, "team_id, NULL, '', ''", ", team_id"),
            (ALL, "NULL, NULL, '', ''", ""),
        ):
            cur.execute(
                f"INSERT INTO {_B} ({_COLS}) SELECT day, {level}, {cols}, {_SUMS} {source} "
                f"GROUP BY day{group}",
                params,
            )
        return
    cur.execute(
        f"INSERT INTO {_B} ({_COLS}) SELECT day, "
        f"CASE GROUPING(channel, team_id) WHEN 0 THEN {DIMS} WHEN 2 THEN {BY_TEAM} "
        f"ELSE {ALL} END, team_id, NULL, COALESCE(channel, ''), COALESCE(priority, ''), {_SUMS} "
        f"{source} GROUP BY GROUPING SETS ((day, team_id, channel, priority), (day, team_id), "
        "(day))",
        params,
    )


def ended(day: date, now: datetime) -> bool:
    return day_start(day + timedelta(days=1)) <= now


def fold_days(days: Iterable[date], now: datetime | None = None) -> list[date]:
    """Refold the ended ``days`` (the others wait for their end); returns those folded."""
    now = now or timezone.now()
    done = sorted({d for d in days if ended(d, now)})
    for day in done:
        x = day_start(day + timedelta(days=1))
        t = [x - timedelta(days=n) for n in _AGE_DAYS]
        with transaction.atomic(), connection.cursor() as cur:
            bucket_locks.lock_days(BACKLOG, [day])
            cur.execute(f"DELETE FROM {_B} WHERE day = %s", [day])
            cur.execute(
                f"INSERT INTO {_B} ({_COLS}) SELECT %s, {FULL}, {_DIMS}, "
                f"{_measures('%s', '%s', '%s', '%s')} "
                f"FROM {_S} s WHERE s.first_day <= %s AND (s.last_day IS NULL OR s.last_day >= %s) "
                f"GROUP BY {_DIMS}",
                [day, t[0], t[0], t[1], t[1], t[2], t[2], t[3], t[3], day, day],
            )
            _levels_from_full(cur, "day = %s", [day])
            BacklogDay.objects.update_or_create(day=day, defaults={"folded_at": now})
    return done


def _first_day() -> date | None:
    return (
        TicketMetricsRow.objects.order_by("created_day")
        .values_list("created_day", flat=True)
        .first()
    )


def _ended_days(now: datetime) -> list[date]:
    """Every day from the first ticket's to the last ended one."""
    first = _first_day()
    if first is None:
        return []
    last = day_of(now) - timedelta(days=1)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def close_days(now: datetime | None = None) -> list[date]:
    """Fold the ended days never folded (a new day, or after a rebuild or install)."""
    now = now or timezone.now()
    days = _ended_days(now)
    if not days:
        return []
    folded = set(BacklogDay.objects.filter(day__gte=days[0]).values_list("day", flat=True))
    return fold_days([d for d in days if d not in folded], now)


def fold_all_days(now: datetime | None = None) -> None:
    """Refold every ended day (full rebuild): PostgreSQL expands each span over its days
    with ``generate_series`` in one statement; elsewhere day by day."""
    now = now or timezone.now()
    days = _ended_days(now)
    with transaction.atomic():
        bucket_locks.lock_kinds([BACKLOG])
        DailyBacklog.objects.all().delete()
        BacklogDay.objects.all().delete()
        if not days:
            return
        if connection.vendor != "postgresql":
            fold_days(days, now)
            return
        values, params = [], []
        for day in days:
            x = day_start(day + timedelta(days=1))
            values.append("(%s::date" + ", %s::timestamptz" * 4 + ")")
            params += [day, *(x - timedelta(days=n) for n in _AGE_DAYS)]
        last = days[-1]
        with connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO {_B} ({_COLS}) SELECT d.day, {FULL}, "
                f"s.team_id, s.agent_id, s.channel, s.priority, "
                f"{_measures('d.t1', 'd.t3', 'd.t7', 'd.t30')} FROM {_S} s "
                "CROSS JOIN LATERAL generate_series(s.first_day, "
                "LEAST(COALESCE(s.last_day, %s::date), %s::date), interval '1 day') g(day) "
                f"JOIN (VALUES {', '.join(values)}) AS d(day, t1, t3, t7, t30) "
                "ON d.day = g.day::date WHERE s.first_day <= %s "
                "GROUP BY d.day, s.team_id, s.agent_id, s.channel, s.priority",
                [last, last, *params, last],
            )
            _levels_from_full(cur, "TRUE", [])
        BacklogDay.objects.bulk_create([BacklogDay(day=d, folded_at=now) for d in days])


def changed_days(old: Iterable[tuple], new: Iterable[tuple], now: datetime) -> set[date]:
    """Ended days on which a ticket's backlog counts differ between two span sets, each span
    given as ``(first_day, last_day, *dims)`` in any order: those days must be refolded."""
    old, new = Counter(old), Counter(new)
    if old == new:
        return set()
    last = day_of(now) - timedelta(days=1)

    def per_day(spans: Iterable[tuple]) -> Counter:
        out: Counter = Counter()
        for first, final, *dims in spans:
            end = last if final is None else min(final, last)
            for i in range((end - first).days + 1):
                out[(first + timedelta(days=i), *dims)] += 1
        return out

    a, b = per_day(old), per_day(new)
    return {key[0] for key in (a - b) + (b - a)}
