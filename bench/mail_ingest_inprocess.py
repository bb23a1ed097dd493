"""Inbound ingest in-process: ``services.ingest_batch`` over batches of mixed messages, no IMAP
and no worker, so the cost of the ingest itself shows (per message: wall time, SQL queries).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csops_copy_1m \\
        .venv/bin/python bench/mail_ingest_inprocess.py [--batches 6] [--batch 50] [--profile]

Writes tickets into the database, and leaves their acknowledgments queued (outbox rows and
their send jobs, which a worker started on it later would send first): use a copy. The
messages are those of bench/mail_inbound.py (new tickets, a ``--replies`` share answering
earlier ones, a ``--attachments`` share with a ~100 KB PDF); a first batch warms up and is not
counted. ``--profile`` prints cProfile's top functions over the measured batches. Outgoing
mail goes to Django's dummy backend. On a busy machine compare the CPU time of this process
and the query count rather than the wall time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csops.settings")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="csops-ingest-bench-"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--replies", type=float, default=0.3)
    parser.add_argument("--attachments", type=float, default=0.1)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from bench.mail_inbound import messages
    from staffing.models import Team
    from tickets.mail.inbound import services
    from tickets.mail.inbound.models import Mailbox

    tag = f"inproc{os.getpid()}x{int(time.time())}"
    team = Team.objects.order_by("pk").first()
    if team is None:
        raise SystemExit("no team: seed the database first (manage.py seed_demo)")
    mailbox = Mailbox.objects.create(team=team, address=f"bench-{tag}@acme.test", enabled=True)
    total = args.batch * (args.batches + 1)
    raws = messages(
        total, tag=tag, replies=args.replies, attachments=args.attachments, seed=os.getpid()
    )
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    def run(batch: int) -> None:
        chunk = raws[batch * args.batch : (batch + 1) * args.batch]
        uids = range(batch * args.batch + 1, (batch + 1) * args.batch + 1)
        services.ingest_batch(
            [(str(u), r) for u, r in zip(uids, chunk, strict=True)],
            mailbox=mailbox,
            source="imap",
            uidvalidity=1,
        )

    run(0)  # warm-up
    profiler = cProfile.Profile() if args.profile else None
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        if profiler:
            profiler.enable()
        for batch in range(1, args.batches + 1):
            run(batch)
        if profiler:
            profiler.disable()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    measured = args.batch * args.batches
    sys.stdout.write(
        f"{measured} messages in {elapsed:.2f} s: {1000 * elapsed / measured:.1f} ms/message "
        f"({measured / elapsed:.1f}/s), this process's CPU {1000 * cpu / measured:.1f} ms/message, "
        f"{queries / measured:.1f} queries/message; "
        f"load {load:.1f} -> {os.getloadavg()[0]:.1f}\n"
    )
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        sys.stdout.write(out.getvalue())


if __name__ == "__main__":
    main()
