"""The fold of ``OpenTicketsDay``: unresolved tickets per reporting day of creation.

A refresh that moves a ticket into, out of or within the backlog (new row, or its status
changed between unresolved-actionable, unresolved-waiting and resolved) marks its creation day
dirty (kind ``open``); :func:`fold_days` recounts those days from the tickets, one creation
range of the partial backlog index each. :func:`fold_all` recounts every day (full rebuild).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection, transaction

from kpis import bucket_locks
from kpis.models import OpenTicketsDay, TicketMetricsRow
from kpis.models.ticket_metrics import ACTIONABLE_STATUSES, UNRESOLVED_STATUSES
from kpis.zone import day_start

OPEN = "open"  # DirtyBucket.kind of these days

_O = OpenTicketsDay._meta.db_table
_M = TicketMetricsRow._meta.db_table
_UNRESOLVED = "status IN (" + ", ".join(f"'{s}'" for s in UNRESOLVED_STATUSES) + ")"
_ACTIONABLE = "status IN (" + ", ".join(f"'{s}'" for s in ACTIONABLE_STATUSES) + ")"


def backlog_class(status: str | None) -> int:
    """0 resolved (or no row), 1 unresolved and waiting, 2 actionable."""
    if status in ACTIONABLE_STATUSES:
        return 2
    return 1 if status in UNRESOLVED_STATUSES else 0


def fold_days(days: list[date]) -> None:
    """Recount the unresolved tickets created on ``days`` (idempotent)."""
    days = sorted(set(days))
    with transaction.atomic(), connection.cursor() as cur:
        bucket_locks.lock_days(OPEN, days)
        for day in days:
            cur.execute(f"DELETE FROM {_O} WHERE created_day = %s", [day])
            cur.execute(
                f"INSERT INTO {_O} (created_day, actionable, n) SELECT %s, {_ACTIONABLE}, "
                f"COUNT(*) FROM {_M} WHERE {_UNRESOLVED} AND created_at >= %s "
                f"AND created_at < %s GROUP BY 2",
                [day, day_start(day), day_start(day + timedelta(days=1))],
            )


def fold_all() -> None:
    with transaction.atomic(), connection.cursor() as cur:
        bucket_locks.lock_kinds([OPEN])
        cur.execute(f"DELETE FROM {_O}")
        cur.execute(
            f"INSERT INTO {_O} (created_day, actionable, n) SELECT created_day, {_ACTIONABLE}, "
            f"COUNT(*) FROM {_M} WHERE {_UNRESOLVED} GROUP BY 1, 2"
        )
