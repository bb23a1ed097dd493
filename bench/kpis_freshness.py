"""KPI freshness benchmark: commit -> dashboard, under a steady load, with a real worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csops_kpi REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/kpis_freshness.py [--rate 20] [--seconds 60]

Needs a seeded database whose KPI rows exist (seed_demo, then rebuild_kpis). Starts a Celery
worker (prefork, 2 processes) with beat on a private Redis queue, then for ``--seconds``
performs ``--rate`` ticket actions per second from ``--threads`` threads through
``tickets.services`` (customer replies and agent replies on random unresolved tickets, about
one event each; each commits its events and queues the refresh on commit, exactly as the
console does). A poller records, for each action, when the
dashboard reflects it: the ticket's metric row carries the action's last event and no rollup
bucket marked before that row was computed is still waiting to be folded. Prints p50/p95/max
(goal p95 <= 5 s) and what the load really was.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUEUE = f"kpi-bench-{os.getpid()}"
os.environ["CELERY_QUEUE"] = QUEUE
os.environ.setdefault("CELERY_BROKER_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csops.settings")


def show(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    h = (len(s) - 1) * p
    lo = int(h)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (h - lo) * (s[hi] - s[lo])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=20.0, help="Actions per second.")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--threads", type=int, default=2, help="Load generator threads.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection

    from csops.celery import app
    from kpis.models import DirtyBucket, TicketMetricsRow
    from tickets.models import Ticket
    from tickets.services import tickets as services

    agent = User.objects.get(username="director")
    pool = list(
        Ticket.objects.filter(status__in=("new", "open", "pending", "on_hold"))
        .select_related("requester")
        .order_by("?")[:500]
    )
    if not pool:
        raise SystemExit("no unresolved tickets: run seed_demo first")
    app.control.purge()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "csops",
            "worker",
            "--beat",
            "-c",
            "2",
            "--loglevel=WARNING",
            "-Q",
            QUEUE,
            "--without-gossip",
            "--without-mingle",
            "--schedule",
            f"/tmp/{QUEUE}-beat",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    pending: dict[int, tuple[int, float]] = {}  # action no. -> (ticket id, last event id)
    committed: dict[int, float] = {}
    seen: dict[int, float] = {}
    lock = threading.Lock()
    done = threading.Event()

    def poll() -> None:
        from django.db import connection as conn

        while not (done.is_set() and not pending):
            with lock:
                items = list(pending.items())
            if items:
                rows = dict(
                    TicketMetricsRow.objects.filter(
                        ticket_id__in={t for t, _ in (v for _, v in items)}
                    ).values_list("ticket_id", "source_event_id")
                )
                computed = dict(
                    TicketMetricsRow.objects.filter(
                        ticket_id__in={t for t, _ in (v for _, v in items)}
                    ).values_list("ticket_id", "computed_at")
                )
                now = time.monotonic()
                oldest_dirty = (
                    DirtyBucket.objects.order_by("marked_at")
                    .values_list("marked_at", flat=True)
                    .first()
                )
                with lock:
                    for no, (ticket_id, event_id) in items:
                        if rows.get(ticket_id, 0) >= event_id and (
                            oldest_dirty is None or oldest_dirty > computed[ticket_id]
                        ):
                            seen[no] = now
                            pending.pop(no, None)
            time.sleep(0.05)
        conn.close()

    try:
        time.sleep(4)  # worker start-up
        poller = threading.Thread(target=poll)
        poller.start()
        from tickets.models import TicketEvent

        first_event = TicketEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
        interval = args.threads / args.rate
        started = time.monotonic()
        counter = iter(range(10**9))

        def load(seed: int) -> None:
            from django.db import connection as conn

            rng = random.Random(seed)
            k = 0
            while time.monotonic() - started < args.seconds:
                time.sleep(max(0.0, started + k * interval - time.monotonic()))
                k += 1
                ticket = rng.choice(pool)
                if rng.random() < 0.5:
                    services.customer_reply(ticket.pk, customer=ticket.requester, body="News?")
                else:
                    services.reply(ticket.pk, by=agent, body="Working on it")
                last = ticket.events.order_by("-pk").values_list("pk", flat=True).first()
                with lock:
                    no = next(counter)
                    committed[no] = time.monotonic()
                    pending[no] = (ticket.pk, last)
            conn.close()

        loaders = [threading.Thread(target=load, args=(i,)) for i in range(args.threads)]
        for t in loaders:
            t.start()
        for t in loaders:
            t.join()
        n = len(committed)
        events = TicketEvent.objects.filter(pk__gt=first_event or 0).count()
        load_seconds = time.monotonic() - started
        deadline = time.monotonic() + 60
        while pending and time.monotonic() < deadline:
            time.sleep(0.2)
        done.set()
        with lock:
            pending.clear()
        poller.join()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        connection.close()
    lat = [seen[k] - committed[k] for k in seen]
    show(
        f"actions: {n}, events: {events} in {load_seconds:.1f} s "
        f"({events / load_seconds:.1f} events/s); reflected: {len(lat)}"
    )
    if lat:
        show(
            f"commit -> dashboard: p50 {pct(lat, 0.5):.2f} s  p95 {pct(lat, 0.95):.2f} s  "
            f"max {max(lat):.2f} s   (goal p95 <= 5 s)"
        )


if __name__ == "__main__":
    main()
