"""KPI full-rebuild benchmark: rebuild time ÷ one plain SQL pass reading every event once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csops_bench_10k \\
        .venv/bin/python bench/kpis_rebuild.py [--tickets N] [--chunk 1000] [--workers N]

First it VACUUMs (ANALYZE) the KPI tables, untimed: every run rewrites every KPI row, and with
autovacuum off (as on the bench server) the dead rows of earlier runs would be measured too.
Then both passes run on the same tickets (the first N by id, default all):

1. floor: ``SELECT <every event column> FROM tickets_ticketevent`` through a server-side cursor
   of a fresh plain ``psycopg.connect`` (psycopg's C loaders, every column decoded, rows
   dropped): the unavoidable cost of reading the log once. Best of three passes. The same pass
   through Django's connection (whose timestamptz loader is pure Python) and the
   in-database-only time (``count(*)``, ``sum(length(data::text))``) are printed for reference;
2. ``kpis.rebuild.run`` with ``--workers`` processes (default: ``rebuild_kpis``' default, the
   CPU count): plan the chunks, read the same events per chunk, compute every ticket, upsert
   the metric and SLA rows, refold every rollup once (what ``manage.py rebuild_kpis`` does;
   the Celery runners do the same per chunk). The time from the plan to the last chunk and
   the final refold are shown apart (from the chunks' ``done_at`` and the job's timestamps).

Prints both times, the ratio (goal ≤ 3) and the peak RSS of this process and of the largest
worker process (goal < 500 MB each whatever N is). It overwrites the database's KPI rows.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csops.settings")


def show(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _plain_pass(db: dict, last: int, events: int) -> float:
    """Seconds to read every event once through a fresh plain psycopg connection (psycopg's C
    loaders, every column decoded, a server-side cursor): the best of three passes."""
    import psycopg

    params = {
        "dbname": db["NAME"],
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
    }
    times = []
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as raw:
        for _ in range(3):
            started = time.perf_counter()
            with raw.transaction(), raw.cursor(name="floor") as cur:
                cur.itersize = 5000
                cur.execute(
                    "SELECT id, ticket_id, at, type, actor_role, actor_id, customer_id, data "
                    "FROM tickets_ticketevent WHERE ticket_id <= %s ORDER BY ticket_id, id",
                    [last],
                )
                seen = sum(1 for _ in cur)
            times.append(time.perf_counter() - started)
            assert seen == events
    show("plain passes: " + ", ".join(f"{t:.2f}" for t in times))
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=0, help="First N tickets (0 = all).")
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument(
        "--workers", type=int, default=0, help="Worker processes (0 = rebuild_kpis' default)."
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from kpis import rebuild
    from kpis.models import RebuildJob
    from tickets.models import Ticket

    # Untimed: earlier runs' dead KPI rows (see the docstring).
    started = time.perf_counter()
    with connection.cursor() as cur:
        kpi_tables = [t for t in connection.introspection.table_names(cur) if t.startswith("kpis_")]
        cur.execute(f"VACUUM (ANALYZE) {', '.join(kpi_tables)}")
    show(f"vacuumed the KPI tables first ({time.perf_counter() - started:.2f} s, not timed)")

    ids = Ticket.objects.order_by("pk").values_list("pk", flat=True)
    last = (ids[args.tickets - 1] if args.tickets else ids.last()) or 0
    n = Ticket.objects.filter(pk__lte=last).count()
    show(f"database {connection.settings_dict['NAME']}: {n:,} tickets (ids <= {last})")

    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), sum(length(data::text)) FROM tickets_ticketevent "
            "WHERE ticket_id <= %s",
            [last],
        )
        events = cur.fetchone()[0]
    in_db = time.perf_counter() - started

    floor = _plain_pass(connection.settings_dict, last, events)
    started = time.perf_counter()
    raw = connection.connection  # for reference: Django's loaders (pure-Python timestamptz)
    with raw.transaction(), raw.cursor(name="django_floor") as cur:
        cur.itersize = 5000
        cur.execute(
            "SELECT id, ticket_id, at, type, actor_role, actor_id, customer_id, data "
            "FROM tickets_ticketevent WHERE ticket_id <= %s ORDER BY ticket_id, id",
            [last],
        )
        assert sum(1 for _ in cur) == events
    django_floor = time.perf_counter() - started

    workers = args.workers or rebuild.worker_slots()
    load_before = os.getloadavg()[0]
    job = RebuildJob.objects.create(created_at=timezone.now(), max_ticket_id=last)
    started = time.perf_counter()
    job = rebuild.run(job, chunk=args.chunk, workers=workers)
    took = time.perf_counter() - started
    assert (job.state, job.done) == ("done", n), (job.state, job.done)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    show(f"events read: {events:,}")
    show(f"floor, in the database only (count + sum)   : {in_db:8.2f} s")
    show(f"floor, one plain SQL pass read by the client: {floor:8.2f} s")
    show(f"  (the same pass through Django's connection : {django_floor:8.2f} s)")
    show(f"full rebuild (compute, upsert, refold)      : {took:8.2f} s")
    last_chunk = job.chunks.aggregate(m=Max("done_at"))["m"]
    if last_chunk is not None and job.started_at is not None and job.finished_at is not None:
        chunks_s = (last_chunk - job.started_at).total_seconds()
        fold_s = (job.finished_at - last_chunk).total_seconds()
        show(f"  of which: plan + chunks {chunks_s:.2f} s, final refold {fold_s:.2f} s")
    show(f"ratio rebuild / plain pass                  : {took / floor:8.2f}   (goal <= 3)")
    show(f"tickets per second                          : {n / took:8.0f}")
    show(f"worker processes                            : {workers:8d}")
    load_after = os.getloadavg()[0]
    show(f"load average before / after the rebuild     : {load_before:.2f} / {load_after:.2f}")
    show(f"peak RSS of this process                    : {rss_mb:8.0f} MB (goal < 500)")
    if workers > 1:
        show(f"peak RSS of the largest worker process      : {child_mb:8.0f} MB (goal < 500)")


if __name__ == "__main__":
    main()
