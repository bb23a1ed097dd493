"""Full rebuild from the event log: chunked by ticket id, resumable, idempotent.

A :class:`RebuildJob` row records the last committed chunk (``last_ticket_id``). Each chunk
recomputes its tickets (``refresh.compute_rows``) and overwrites their rows unconditionally,
then commits the new ``last_ticket_id`` in the same transaction, so a killed worker resumes
after the last chunk that committed. The end refolds every rollup day.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from kpis import rollup
from kpis.models import RebuildJob, TicketMetricsRow, TicketSlaRow
from kpis.refresh import _COLUMNS, compute_rows
from tickets.models import Ticket

CHUNK = 1000
STALE_AFTER = timedelta(minutes=2)  # a running job without a heartbeat this long is resumed


def _write_chunk(rows: list[dict], slas: dict[int, list[dict]]) -> None:
    """Upsert a chunk's rows: COPY into a temporary table, then one INSERT ... SELECT ...
    ON CONFLICT DO UPDATE (PostgreSQL); a multi-row VALUES upsert elsewhere."""
    table = TicketMetricsRow._meta.db_table
    cols = ", ".join(_COLUMNS)
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS if c != "ticket_id")
    upsert = (
        f"ON CONFLICT (ticket_id) DO UPDATE SET {sets} "
        f"WHERE {table}.source_event_id <= EXCLUDED.source_event_id"
    )
    ids = [r["ticket_id"] for r in rows]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS kpi_rebuild_chunk "
                f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
            )
            with cur.cursor.copy(f"COPY kpi_rebuild_chunk ({cols}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row([r[c] for c in _COLUMNS])
            cur.execute(
                f"INSERT INTO {table} ({cols}) SELECT {cols} FROM kpi_rebuild_chunk {upsert}"
            )
            cur.execute("DELETE FROM kpi_rebuild_chunk")
        else:
            one = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
            for i in range(0, len(rows), 500):
                part = rows[i : i + 500]
                cur.execute(
                    f"INSERT INTO {table} ({cols}) VALUES {', '.join([one] * len(part))} {upsert}",
                    [r[c] for r in part for c in _COLUMNS],
                )
    TicketSlaRow.objects.filter(ticket_id__in=ids).delete()
    TicketSlaRow.objects.bulk_create([TicketSlaRow(**s) for pk in ids for s in slas[pk]])


def run(job: RebuildJob, *, chunk: int = CHUNK) -> RebuildJob:
    """Run (or resume) ``job`` to the end."""
    now = timezone.now()
    if job.state != RebuildJob.State.RUNNING or job.started_at is None:
        job.state, job.started_at = RebuildJob.State.RUNNING, job.started_at or now
        job.heartbeat_at = now
        job.max_ticket_id = job.max_ticket_id or (
            Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        )
        job.total = Ticket.objects.filter(pk__lte=job.max_ticket_id).count()
        job.save()
    while job.last_ticket_id < job.max_ticket_id:
        ids = list(
            Ticket.objects.filter(pk__gt=job.last_ticket_id, pk__lte=job.max_ticket_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:chunk]
        )
        if not ids:
            break
        rows, slas = compute_rows(ids, timezone.now(), id_range=(ids[0], ids[-1]))
        with transaction.atomic():
            if rows:
                _write_chunk(rows, slas)
            RebuildJob.objects.filter(pk=job.pk).update(
                last_ticket_id=ids[-1], done=job.done + len(ids), heartbeat_at=timezone.now()
            )
        job.last_ticket_id, job.done = ids[-1], job.done + len(ids)
    rollup.fold_all()
    job.state, job.finished_at = RebuildJob.State.DONE, timezone.now()
    job.save(update_fields=["state", "finished_at"])
    return job
