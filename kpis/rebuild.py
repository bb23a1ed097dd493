"""Full rebuild from the event log: chunked by ticket id, parallel, resumable, idempotent.

:func:`plan` splits a :class:`RebuildJob` once into :class:`RebuildChunk` rows of ``CHUNK``
tickets (ids up to the job's ``max_ticket_id``). Workers (:func:`work`, any number, in any
process) each claim an undone chunk with ``SELECT … FOR UPDATE SKIP LOCKED``, recompute its
tickets (``refresh.compute_rows``), overwrite their metric and SLA rows, mark the chunk done and
add its tickets to the job's ``done``, all in the chunk's own transaction: a killed worker just
releases its chunk to the others (or to the next run, see ``kpis.tasks.resume_rebuilds``).

A worker that finds no chunk free waits for those in flight (taking over any whose worker
died), then tries to finish the job: one conditional UPDATE
(``running`` -> ``done`` while no chunk is undone) in the same transaction as
``rollup.fold_all()``, so the rollups are refolded once, after every chunk committed.
Concurrent finishers wait on that job row and then see it done; a finisher killed mid-fold
rolls back and leaves the job running for the next one, which refolds again (each part of
the refold, run in parallel threads, commits on its own and is idempotent).

:func:`run` is the command line's (and the benchmark's) entry: it plans, forks ``workers``
processes on PostgreSQL, then works itself until the job is done (a killed child's chunk and
the fold, if no child got there).
"""

from __future__ import annotations

import multiprocessing
import os
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.db import OperationalError, connection, connections, transaction
from django.db.models import Exists, F, Model, OuterRef
from django.utils import timezone

from kpis import rollup
from kpis.models import (
    RebuildChunk,
    RebuildJob,
    TicketBacklogSpan,
    TicketMetricsRow,
    TicketSlaRow,
)
from kpis.refresh import _COLUMNS, Computed, compute_rows, gc_paused
from tickets.models import Ticket

CHUNK = 1000
STALE_AFTER = timedelta(minutes=2)  # a running job without a heartbeat this long is resumed
WAIT_FOR_PEERS = STALE_AFTER  # longest wait for another worker's chunk to commit

_SLA_COLUMNS = [str(f.column) for f in TicketSlaRow._meta.concrete_fields if f.name != "id"]
_SPAN_COLUMNS = [str(f.column) for f in TicketBacklogSpan._meta.concrete_fields if f.name != "id"]


def worker_slots() -> int:
    """Worker processes for a rebuild: the Celery concurrency (default: CPU count); 1 on
    SQLite, whose single writer makes more pointless."""
    if connection.vendor != "postgresql":
        return 1
    return getattr(settings, "CELERY_WORKER_CONCURRENCY", None) or os.cpu_count() or 1


def plan(job_id: int, *, chunk: int = CHUNK) -> bool:
    """Split the job into chunks and mark it running, once: concurrent callers wait on the job
    row and find the chunks there. Returns False when the job is gone, done or failed."""
    with transaction.atomic():
        job = RebuildJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state in (RebuildJob.State.DONE, RebuildJob.State.FAILED):
            return False
        if job.state == RebuildJob.State.RUNNING and job.chunks.exists():
            return True
        now = timezone.now()
        top = job.max_ticket_id or (
            Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        )
        with connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO {RebuildChunk._meta.db_table} (job_id, lo, hi, tickets) "
                "SELECT %s, MIN(id), MAX(id), COUNT(*) FROM (SELECT id, "
                "(ROW_NUMBER() OVER (ORDER BY id) - 1) / %s AS part "
                f"FROM {Ticket._meta.db_table} WHERE id <= %s) numbered GROUP BY part",
                [job.pk, max(chunk, 1), top],
            )
        total = sum(job.chunks.values_list("tickets", flat=True))
        RebuildJob.objects.filter(pk=job.pk).update(
            state=RebuildJob.State.RUNNING,
            started_at=job.started_at or now,
            heartbeat_at=now,
            max_ticket_id=top,
            total=total,
            done=0,
        )
    return True


def work(job_id: int, *, max_chunks: int | None = None) -> bool:
    """Process the job's chunks until none is left to claim, then try to finish the job.
    Returns True when it stopped at ``max_chunks`` (claimable chunks may remain)."""
    processed = 0
    # No chunk free: wait for those in flight; one that comes back undone lost its worker.
    while _process_one(job_id, skip_locked=True) or _process_one(job_id, skip_locked=False):
        processed += 1
        if max_chunks is not None and processed >= max_chunks:
            return True
    _finish(job_id)
    return False


def _process_one(job_id: int, *, skip_locked: bool) -> bool:
    """Claim one undone chunk of a running job (skipping, or else waiting for, those other
    workers hold); compute, write and mark it done in one transaction. False when every
    chunk is done (or the job is no longer running)."""
    with gc_paused(), transaction.atomic():  # the chunk's objects die with this frame
        claimed = _claim(job_id, skip_locked=skip_locked)
        if claimed is None:
            return False
        pk, lo, hi, tickets = claimed
        computed = compute_rows((), timezone.now(), id_range=(lo, hi))
        _write_chunk(lo, hi, computed)
        now = timezone.now()
        RebuildChunk.objects.filter(pk=pk).update(done_at=now)
        RebuildJob.objects.filter(pk=job_id).update(done=F("done") + tickets, heartbeat_at=now)
    return True


def _claim(job_id: int, *, skip_locked: bool) -> tuple[int, int, int, int] | None:
    """Lock the first undone chunk: (pk, lo, hi, tickets). Waiting for another worker's chunk
    gives up after ``WAIT_FOR_PEERS`` (a hung worker; ``resume_rebuilds`` retries later)."""
    chunks = (
        RebuildChunk.objects.select_for_update(skip_locked=skip_locked, of=("self",))
        .filter(job_id=job_id, done_at__isnull=True, job__state=RebuildJob.State.RUNNING)
        .order_by("lo")
        .values_list("pk", "lo", "hi", "tickets")
    )
    if skip_locked or connection.vendor != "postgresql":
        return chunks.first()
    wait_ms = int(WAIT_FOR_PEERS.total_seconds() * 1000)
    with connection.cursor() as cur:
        cur.execute(f"SET LOCAL lock_timeout = {wait_ms}")
    try:
        with transaction.atomic():  # a savepoint: a timeout rolls back the wait only
            return chunks.first()
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) != "55P03":  # lock_not_available
            raise
        return None
    finally:
        with connection.cursor() as cur:
            cur.execute("SET LOCAL lock_timeout TO DEFAULT")


def _finish(job_id: int) -> bool:
    """Mark the job done and refold every rollup, while holding the job row, if every chunk
    is done and nobody did it yet. True for the one caller that did."""
    undone = RebuildChunk.objects.filter(job_id=OuterRef("pk"), done_at__isnull=True)
    # Outside a caller's transaction, the refold's parts run at once on their own
    # connections (they read only committed chunks); inside one, they could not see its rows.
    workers = 1 if connection.in_atomic_block else worker_slots()
    with transaction.atomic():
        finished = (
            RebuildJob.objects.filter(pk=job_id, state=RebuildJob.State.RUNNING)
            .exclude(Exists(undone))
            .update(state=RebuildJob.State.DONE, finished_at=timezone.now())
        )
        if not finished:
            return False
        rollup.fold_all(workers=workers)
        RebuildJob.objects.filter(pk=job_id).update(finished_at=timezone.now())
    return True


def _write_chunk(lo: int, hi: int, computed: Computed) -> None:
    """Overwrite the chunk's rows. Metric rows: COPY into a temporary table, then one
    ``INSERT ... SELECT ... ON CONFLICT DO UPDATE`` that never regresses a row a concurrent
    refresh wrote from a newer event. SLA rows and backlog spans: delete the id range, COPY
    the new ones (PostgreSQL); multi-row VALUES and the ORM elsewhere."""
    rows, slas = computed.rows, computed.slas
    spans = [s for group in computed.spans.values() for s in group]
    table = TicketMetricsRow._meta.db_table
    cols = ", ".join(_COLUMNS)
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS if c != "ticket_id")
    upsert = (
        f"ON CONFLICT (ticket_id) DO UPDATE SET {sets} "
        f"WHERE {table}.source_event_id <= EXCLUDED.source_event_id"
    )
    sla_table = TicketSlaRow._meta.db_table
    span_table = TicketBacklogSpan._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {sla_table} WHERE ticket_id BETWEEN %s AND %s", [lo, hi])
        cur.execute(f"DELETE FROM {span_table} WHERE ticket_id BETWEEN %s AND %s", [lo, hi])
        if not rows:
            return
        if connection.vendor == "postgresql":
            cur.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS kpi_rebuild_chunk "
                f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
            )
            _copy(cur, "kpi_rebuild_chunk", TicketMetricsRow, _COLUMNS, rows)
            cur.execute(
                f"INSERT INTO {table} ({cols}) SELECT {cols} FROM kpi_rebuild_chunk {upsert}"
            )
            cur.execute("DELETE FROM kpi_rebuild_chunk")  # for a next chunk in this transaction
            instances = [s for group in slas.values() for s in group]
            _copy(cur, sla_table, TicketSlaRow, _SLA_COLUMNS, instances)
            _copy(cur, span_table, TicketBacklogSpan, _SPAN_COLUMNS, spans)
            return
        one = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
        for i in range(0, len(rows), 500):
            part = rows[i : i + 500]
            cur.execute(
                f"INSERT INTO {table} ({cols}) VALUES {', '.join([one] * len(part))} {upsert}",
                [r[c] for r in part for c in _COLUMNS],
            )
    TicketSlaRow.objects.bulk_create([TicketSlaRow(**s) for group in slas.values() for s in group])
    TicketBacklogSpan.objects.bulk_create([TicketBacklogSpan(**s) for s in spans])


# Column types -> psycopg's binary COPY type names. Binary COPY spares PostgreSQL parsing
# every timestamp and date as text (a third of the write); another type falls back to text.
_BINARY_TYPES = {
    "bigint": "int8",
    "integer": "int4",
    "smallint": "int2",
    "boolean": "bool",
    "date": "date",
    "timestamp with time zone": "timestamptz",
    "varchar": "varchar",
    "text": "text",
}


@lru_cache(maxsize=8)
def _binary_types(model: type[Model], columns: tuple[str, ...]) -> list[str] | None:
    by_column = {f.column: f.db_type(connection) or "" for f in model._meta.concrete_fields}
    names = []
    for column in columns:
        name = _BINARY_TYPES.get(by_column[column].split("(")[0])
        if name is None:
            return None
        names.append(name)
    return names


def _copy(cur, table: str, model: type[Model], columns: list[str], rows: list[dict]) -> None:
    """COPY ``rows`` (dicts keyed by column) into ``table``, in binary when every column's
    type is known."""
    if not rows:
        return
    types = _binary_types(model, tuple(columns))
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    binary = " (FORMAT BINARY)" if types else ""
    with cur.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN{binary}") as copy:
        if types:
            copy.set_types(types)
        for r in rows:
            copy.write_row([r[c] for c in columns])


def run(job: RebuildJob, *, chunk: int = CHUNK, workers: int = 1) -> RebuildJob:
    """Run (or resume) ``job`` to the end with ``workers`` processes (forked on PostgreSQL;
    one, this process, on SQLite or inside an open transaction, which children could not
    see). Returns the job as stored at the end."""
    plan(job.pk, chunk=chunk)
    if workers > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
        connections.close_all()  # children must not share this process's connection
        context = multiprocessing.get_context("fork")
        children = [context.Process(target=_child, args=(job.pk,)) for _ in range(workers)]
        for child in children:
            child.start()
        for child in children:
            child.join()
    # After the children: a killed child's chunk and the fold, if still needed.
    work(job.pk)
    job.refresh_from_db()
    return job


def forget_inherited_connections() -> None:
    """In a forked child: drop (never use, never close) the parent's connection objects, so
    the first query opens the child's own. Closing one would end the parent's session."""
    for conn in connections.all(initialized_only=True):
        conn.connection = None
        conn.in_atomic_block = False
        conn.savepoint_ids = []
        conn.needs_rollback = False


def _child(job_id: int) -> None:
    forget_inherited_connections()
    try:
        work(job_id)
    finally:
        connections.close_all()
