"""KPI full-rebuild benchmark: rebuild time ÷ one plain SQL pass reading every event once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csops_bench_10k \\
        .venv/bin/python bench/kpis_rebuild.py [--tickets N] [--chunk 1000]

Both passes run in this process on the same tickets (the first N by id, default all):

1. floor: ``SELECT <every event column> FROM tickets_ticketevent`` through a server-side cursor,
   rows decoded by psycopg and dropped (the unavoidable cost of reading the log once);
   the in-database-only time (``count(*)`` and ``sum(length(data::text))``) is printed too;
2. ``kpis.rebuild.run``: read the same events per chunk, compute every ticket, upsert the
   metric and SLA rows, refold every rollup (what ``manage.py rebuild_kpis`` and the worker do).

Prints both times, the ratio (goal ≤ 3) and this process's peak RSS (the worker's memory
for the same work; goal < 500 MB whatever N is). It overwrites the database's KPI rows.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=0, help="First N tickets (0 = all).")
    parser.add_argument("--chunk", type=int, default=1000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from kpis import rebuild
    from kpis.models import RebuildJob
    from tickets.models import Ticket

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

    started = time.perf_counter()
    raw = connection.connection  # plain psycopg connection (opened by the query above)
    with raw.transaction(), raw.cursor(name="floor") as cur:
        cur.itersize = 5000
        cur.execute(
            "SELECT id, ticket_id, at, type, actor_role, actor_id, customer_id, data "
            "FROM tickets_ticketevent WHERE ticket_id <= %s ORDER BY ticket_id, id",
            [last],
        )
        seen = sum(1 for _ in cur)
    floor = time.perf_counter() - started
    assert seen == events

    job = RebuildJob.objects.create(created_at=timezone.now(), max_ticket_id=last)
    started = time.perf_counter()
    rebuild.run(job, chunk=args.chunk)
    took = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    show(f"events read: {events:,}")
    show(f"floor, in the database only (count + sum)   : {in_db:8.2f} s")
    show(f"floor, one plain SQL pass read by the client: {floor:8.2f} s")
    show(f"full rebuild (compute, upsert, refold)      : {took:8.2f} s")
    show(f"ratio rebuild / plain pass                  : {took / floor:8.2f}   (goal <= 3)")
    show(f"tickets per second                          : {n / took:8.0f}")
    show(f"peak RSS of this process (worker)           : {rss_mb:8.0f} MB (goal < 500)")


if __name__ == "__main__":
    main()
