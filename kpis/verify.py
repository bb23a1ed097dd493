"""Stored rollups against a fresh computation from the metric rows (``manage.py verify_kpis``).

:func:`differences` reads the stored rows of every rollup table (``DailyRollup``,
``DailyHistogram``, ``DailyBacklog``, ``OpenTicketsDay``) in a day range, refolds the same
range with the folds themselves (all of it: ``rollup.fold_all``; a range: each kind's
``fold_days``) inside a savepoint, reads the rows again and rolls the refold back. It holds
every fold kind's lock meanwhile, so no fold runs between the two reads. An empty list means
the stored rollups equal a full rebuild, row for row.

Buckets still marked dirty (waiting for the periodic fold) and days ended since the last
backlog fold legitimately differ until they are folded: :func:`pending` counts them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import Max, Min
from django.utils import timezone

from kpis import backlog_fold, bucket_locks, open_days, rollup
from kpis.models import (
    DailyBacklog,
    DailyHistogram,
    DailyRollup,
    DirtyBucket,
    OpenTicketsDay,
    TicketMetricsRow,
)
from kpis.zone import day_of

# model -> its day column; the natural key is the model's unique constraint
TABLES: dict[type[models.Model], str] = {
    DailyRollup: "day",
    DailyHistogram: "day",
    DailyBacklog: "day",
    OpenTicketsDay: "created_day",
}


@dataclass(frozen=True)
class Difference:
    """One natural key whose stored row differs from the fresh one (None: no such row;
    a list when the key is stored more than once)."""

    table: str
    key: dict[str, Any]
    stored: dict[str, Any] | list[dict[str, Any]] | None
    fresh: dict[str, Any] | list[dict[str, Any]] | None

    def __str__(self) -> str:
        key = " ".join(f"{k}={v}" for k, v in self.key.items())
        return f"{self.table} [{key}]\n  stored: {self.stored}\n  fresh:  {self.fresh}"


def _key_fields(model: type[models.Model]) -> list[str]:
    (unique,) = [c for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)]
    return [model._meta.get_field(f).attname for f in unique.fields]


def _rows(start: date | None, end: date | None) -> dict[str, dict[tuple, list[dict]]]:
    """Per table: natural key -> the stored rows' other columns."""
    out: dict[str, dict[tuple, list[dict]]] = {}
    for model, day in TABLES.items():
        keys = _key_fields(model)
        others = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in keys and not f.primary_key
        ]
        qs = model.objects.all()
        if start is not None:
            qs = qs.filter(**{f"{day}__gte": start, f"{day}__lte": end})
        rows: dict[tuple, list[dict]] = defaultdict(list)
        for row in qs.values(*keys, *others):
            rows[tuple(row[k] for k in keys)].append({c: row[c] for c in others})
        out[model._meta.db_table] = rows
    return out


def _refold(start: date | None, end: date | None) -> None:
    if start is None:
        rollup.fold_all()
        return
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    for kind in rollup.KINDS:
        rollup.fold_days(kind, days)
    backlog_fold.fold_days(days)
    open_days.fold_days(days)


def _bounds(start: date | None, end: date | None) -> tuple[date | None, date | None]:
    """Whole ISO weeks around the range (a week row sums its days); None for everything."""
    if start is None and end is None:
        return None, None
    if start is None or end is None:
        found = DailyRollup.objects.aggregate(lo=Min("day"), hi=Max("day"))
        metric = TicketMetricsRow.objects.aggregate(lo=Min("created_day"))
        lows = [d for d in (found["lo"], metric["lo"]) if d is not None]
        start = start or (min(lows) if lows else day_of(timezone.now()))
        end = end or max(found["hi"] or start, day_of(timezone.now()))
    if start > end:
        raise ValueError("the range starts after it ends")
    return start - timedelta(days=start.weekday()), end + timedelta(days=6 - end.weekday())


def differences(start: date | None = None, end: date | None = None) -> list[Difference]:
    """The rows on which the stored rollups of ``[start, end]`` (widened to whole weeks; no
    bounds: every day) differ from a fresh fold of the metric rows. Empty when equal."""
    start, end = _bounds(start, end)
    with transaction.atomic():
        bucket_locks.lock_kinds(bucket_locks.KIND_ORDER)
        stored = _rows(start, end)
        savepoint = transaction.savepoint()
        try:
            _refold(start, end)
            fresh = _rows(start, end)
        finally:
            transaction.savepoint_rollback(savepoint)
    out = []
    for model in TABLES:
        table = model._meta.db_table
        keys = _key_fields(model)
        for key in sorted(stored[table].keys() | fresh[table].keys(), key=repr):
            was, now = stored[table].get(key, []), fresh[table].get(key, [])
            if was != now:
                out.append(
                    Difference(table, dict(zip(keys, key, strict=True)), _one(was), _one(now))
                )
    return out


def _one(rows: list[dict]) -> dict | list[dict] | None:
    return None if not rows else rows[0] if len(rows) == 1 else rows


def pending() -> int:
    """Buckets marked dirty and not folded yet (their rows may differ until the fold)."""
    return DirtyBucket.objects.count()
