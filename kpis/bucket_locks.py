"""Locks that make the folds of one rollup bucket exclude each other (PostgreSQL).

A bucket is (kind, day); the value histograms' week rows add (kind, ISO week). A fold takes,
inside its transaction and before its first read, an exclusive transaction-level advisory lock
per bucket it rewrites, after a shared lock on its kind. A full refold of a kind takes that
kind's lock exclusively instead, so it excludes every fold of the kind without naming days.

Deadlock freedom: every transaction takes its locks in one global order, (class, key)
ascending, and the classes follow :data:`KIND_ORDER` (a kind's day class, then its week
class). The locks of one call are taken in that order; a transaction that folds several kinds
does them in :data:`KIND_ORDER` (``rollup.fold_dirty``, ``rollup.fold_all``).

SQLite has one writer at a time: a fold's first statement writes, so it holds the database's
write lock (``transaction_mode`` IMMEDIATE) until it commits, and these calls do nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import connection

# Every fold kind (DirtyBucket.kind), in lock order.
KIND_ORDER = (
    "created",
    "first_reply",
    "first_resolution",
    "resolved",
    "sla",
    "backlog",
    "open",
)
_BASE = 0x6B700000  # "kp": the KPI folds' share of the two-key advisory lock space
_WHOLE_KIND = 0  # key of a kind's own lock (below every day's ordinal)


def _class(kind: str, *, weeks: bool = False) -> int:
    return _BASE + 2 * KIND_ORDER.index(kind) + (1 if weeks else 0)


def _take(keys: list[tuple[int, int]], *, shared: bool = False) -> None:
    """Lock ``keys`` one after the other, in their order (unnest yields array order)."""
    if not keys:
        return
    fn = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT count({fn}(k, d)) FROM unnest(%s::int[], %s::int[]) AS u(k, d)",
            [[k for k, _ in keys], [d for _, d in keys]],
        )


def _check() -> bool:
    if connection.vendor != "postgresql":
        return False
    if not connection.in_atomic_block:
        raise RuntimeError("bucket locks are transaction-scoped: take them inside atomic()")
    return True


def lock_days(kind: str, days: Iterable[date], weeks: Iterable[date] = ()) -> None:
    """Before a fold of ``kind`` on ``days`` (and, for the histograms, the week rows of the
    Mondays ``weeks``): share the kind's lock, then hold each bucket exclusively."""
    if not _check():
        return
    _take([(_class(kind), _WHOLE_KIND)], shared=True)
    keys = [(_class(kind), d.toordinal()) for d in sorted(set(days))]
    keys += [(_class(kind, weeks=True), w.toordinal()) for w in sorted(set(weeks))]
    _take(keys)


def lock_kinds(kinds: Iterable[str]) -> None:
    """Before a full refold of ``kinds``: hold each kind exclusively (waits for the folds of
    its days in flight, and keeps new ones waiting until this transaction ends)."""
    if not _check():
        return
    _take(sorted((_class(k), _WHOLE_KIND) for k in set(kinds)))
