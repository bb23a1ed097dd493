"""Webhook fan-out benchmark: event committed -> delivery received, with a real worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csops_hN \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/N .venv/bin/python bench/webhooks_fanout.py \\
        [--events 1000] [--subscriptions 3] [--rate 0] [--pool solo|prefork] [--concurrency 2]

Needs a migrated database with a ``director`` (seed_demo) that you may write to: it creates
``--events`` tickets (one ``ticket.created`` event each) and ``--subscriptions`` webhook
subscriptions, which it deletes at the end (with their deliveries; the tickets stay). Other
active subscriptions are paused during the run and turned on again after it.

It starts a local HTTP receiver (``http.server`` on a free port of 127.0.0.1, answering 200)
and a Celery worker with beat on a private Redis queue (``--pool solo``, as ``scripts/run``
starts it, or ``prefork`` with ``--concurrency`` processes). The deliveries go out as the
durable jobs of ``csops.jobs``, signed, exactly as in production. After one unmeasured warm-up
event, ``--threads`` threads create the tickets through ``tickets.services`` (``--rate``
events per second in all; 0 = back to back, the hardest case). For each delivery it takes
the time between the ticket's commit and the receiver getting the request (first arrival of
its X-Csops-Delivery id), and prints p50/p95/max (goal p95 <= 5 s), the events' rate, the
deliveries' throughput and the load average before and after. Writes the figures as JSON
under bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUEUE = f"webhook-bench-{os.getpid()}"
os.environ["CELERY_QUEUE"] = QUEUE
os.environ.setdefault("CELERY_BROKER_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csops.settings")
DELIVERY_HEADER = "X-Csops-Delivery"


def show(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    h = (len(s) - 1) * p
    lo = int(h)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (h - lo) * (s[hi] - s[lo])


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


class Receiver:
    """Answers 200 to every POST and keeps when each delivery id first arrived."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.requests = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                at = time.time()
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests += 1
                    receiver.arrived.setdefault(self.headers.get(DELIVERY_HEADER, ""), at)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def count(self) -> int:
        with self.lock:
            return len(self.arrived)


def start_worker(pool: str, concurrency: int, schedule_dir: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "celery", "-A", "csops", "worker", f"--pool={pool}"]
    if pool == "prefork":
        cmd.append(f"--concurrency={concurrency}")
    cmd += ["--beat", "--schedule", str(Path(schedule_dir) / "beat")]
    cmd += ["--loglevel=WARNING", "-Q", QUEUE]
    cmd += ["--without-gossip", "--without-mingle"]
    return subprocess.Popen(cmd, cwd=ROOT, env=os.environ.copy())


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def main() -> None:  # noqa: PLR0915 - one linear script
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--subscriptions", type=int, default=3)
    parser.add_argument("--rate", type=float, default=0.0, help="Events per second; 0: no pause.")
    parser.add_argument("--threads", type=int, default=2, help="Event generator threads.")
    parser.add_argument("--pool", choices=("solo", "prefork"), default="solo")
    parser.add_argument("--concurrency", type=int, default=2, help="Processes of a prefork pool.")
    parser.add_argument("--timeout", type=float, default=600.0, help="Give up after (s).")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection

    from csops.celery import app
    from staffing.models import Team
    from tickets.models import Customer
    from tickets.services import tickets as services
    from tickets.webhooks import services as webhooks
    from tickets.webhooks.models import WebhookDelivery, WebhookSubscription

    director = User.objects.get(username="director")
    team = Team.objects.order_by("pk").first()
    customers = list(Customer.objects.order_by("pk")[:200])
    if team is None or not customers:
        raise SystemExit("no team or customers: run seed_demo first")
    receiver = Receiver()
    paused = list(WebhookSubscription.objects.filter(active=True).values_list("pk", flat=True))
    WebhookSubscription.objects.filter(pk__in=paused).update(active=False)
    subs = [
        webhooks.create_subscription(
            by=director, name=f"Bench sink {n}", url=receiver.url, events=["ticket.created"]
        )
        for n in range(args.subscriptions)
    ]
    app.control.purge()
    load_before = load_average()
    schedule_dir = tempfile.TemporaryDirectory(prefix="webhook-bench-")  # beat's schedule file
    worker = start_worker(args.pool, args.concurrency, schedule_dir.name)
    committed: dict[int, float] = {}
    lock = threading.Lock()
    try:

        def create(n: int) -> int:
            ticket = services.create_ticket(
                by=None,
                requester=customers[n % len(customers)],
                team=team,
                subject=f"Webhook bench order {n} missing",
                description="Where is my parcel?",
            )
            return ticket.pk

        create(-1)  # warm-up: imports and connections of the worker, not measured
        if not wait_for(lambda: receiver.count() >= args.subscriptions, 120):
            raise SystemExit("the warm-up event was not delivered in 120 s: is the worker up?")
        warm = receiver.count()
        interval = args.threads / args.rate if args.rate > 0 else 0.0

        def generate(offset: int) -> None:
            try:
                for n in range(offset, args.events, args.threads):
                    started = time.monotonic()
                    pk = create(n)
                    with lock:
                        committed[pk] = time.time()
                    if interval:
                        time.sleep(max(0.0, interval - (time.monotonic() - started)))
            finally:
                connection.close()

        load_start = time.time()
        threads = [threading.Thread(target=generate, args=(t,)) for t in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        load_seconds = time.time() - load_start
        total = args.events * args.subscriptions
        ok = wait_for(lambda: receiver.count() >= warm + total, args.timeout)
        drained = time.time()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        schedule_dir.cleanup()
    load_after = load_average()

    latencies = []
    rows = WebhookDelivery.objects.filter(subscription__in=subs).values_list(
        "uuid", "event__payload__ticket__id"
    )
    for uuid, ticket_id in rows:
        if ticket_id in committed and str(uuid) in receiver.arrived:
            latencies.append(receiver.arrived[str(uuid)] - committed[ticket_id])
    WebhookSubscription.objects.filter(pk__in=[s.pk for s in subs]).delete()
    WebhookSubscription.objects.filter(pk__in=paused).update(active=True)
    receiver.server.shutdown()
    if not ok:
        show(f"only {receiver.count() - warm} of {total} deliveries arrived in {args.timeout} s")
    if not latencies:
        raise SystemExit("no delivery measured")
    span = max(receiver.arrived.values()) - load_start if ok else drained - load_start
    figures = {
        "events": args.events,
        "subscriptions": args.subscriptions,
        "pool": args.pool if args.pool == "solo" else f"prefork -c {args.concurrency}",
        "events_per_second": round(args.events / load_seconds, 1),
        "deliveries_measured": len(latencies),
        "requests_received": receiver.requests,
        "p50_s": round(pct(latencies, 0.5), 3),
        "p95_s": round(pct(latencies, 0.95), 3),
        "max_s": round(max(latencies), 3),
        "deliveries_per_second": round(len(latencies) / span, 1),
        "load_before": load_before,
        "load_after": load_after,
    }
    show(
        f"{args.events} events x {args.subscriptions} subscriptions, {figures['pool']}: "
        f"events {figures['events_per_second']}/s over {load_seconds:.1f} s; "
        f"{len(latencies)} deliveries measured ({receiver.requests} requests)"
    )
    show(
        f"event committed -> delivery received: p50 {figures['p50_s']:.2f} s  "
        f"p95 {figures['p95_s']:.2f} s  max {figures['max_s']:.2f} s   (goal p95 <= 5 s)"
    )
    show(
        f"throughput {figures['deliveries_per_second']} deliveries/s; "
        f"load average before {load_before}, after {load_after}"
    )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"webhooks_fanout-{int(time.time())}.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
