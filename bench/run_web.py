"""Web benchmark: latency percentiles and throughput of the hot pages under gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csops_bench_1m \\
        .venv/bin/python bench/run_web.py --label 1m

Starts ``gunicorn csops.wsgi -w 2`` on 127.0.0.1 (CONN_MAX_AGE=60, DEBUG off) against that
database, logs in as the demo ``rep`` through the login form, then for each URL sends
``--warmup`` requests, ``--requests`` timed sequential requests and, with ``--concurrency``,
the same number again from that many threads. It also counts the SQL queries of the API list
(page sizes 10 and 100) and the queue in-process with ``CaptureQueriesContext``. Prints a
table and writes JSON to ``bench/results/``. Only ever talks to 127.0.0.1; bounded in count.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
PASSWORD = "csops-demo"  # noqa: S105 - the published demo password (seed_demo)

# (name, path, goal p95 in ms at 1M or None)
URLS = [
    ("ping (baseline)", "/ping", None),
    ("queue default", "/tickets/", 40),
    ("queue filtered", "/tickets/?status=open&priority=high", 40),
    ("queue page 50", "/tickets/?view=teams&status=any&page=50", 40),
    ("queue any status", "/tickets/?view=teams&status=any", 40),
    ("search refund", "/tickets/?q=refund", 330),
    ("search password", "/tickets/?q=password", 330),
    ("search warranty", "/tickets/?q=warranty", 330),
    ("search refund any", "/tickets/?q=refund&status=any", 330),
    ("api list", "/api/v1/tickets/", 100),
    ("api list 100", "/api/v1/tickets/?page_size=100", 100),
    ("api list any", "/api/v1/tickets/?status=any", 100),
]
# The workspace of one ticket (``workspace_ticket``) and its suggested-articles panel
# (issues 15 and 17).
TICKET_URLS = [
    ("workspace", "/tickets/{ticket}/", 25),
    ("workspace articles", "/tickets/{ticket}/articles/", 50),
]


class Session:
    """A keep-alive HTTP/1.1 connection to 127.0.0.1 carrying the session cookies."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies = dict(cookies or {})
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def request(
        self, method: str, path: str, body: str | None = None, extra: dict | None = None
    ) -> tuple[int, bytes]:
        headers = {"Host": f"{HOST}:{self.port}", **(extra or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # the server closed a kept-alive connection: reconnect once
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def close(self) -> None:
        self.conn.close()


def login(port: int, username: str) -> dict[str, str]:
    session = Session(port)
    status, page = session.request("GET", "/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None:
        raise SystemExit(f"GET /login/ answered {status} without a CSRF token")
    form = urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    )
    status, _ = session.request("POST", "/login/", form)
    session.close()
    if status != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"login as {username} failed ({status}); run seed_demo on this database")
    return session.cookies


def percentile(sorted_ms: list[float], p: float) -> float:
    """percentile_cont: linear interpolation between the closest ranks."""
    h = (len(sorted_ms) - 1) * p
    low = int(h)
    high = min(low + 1, len(sorted_ms) - 1)
    return sorted_ms[low] + (h - low) * (sorted_ms[high] - sorted_ms[low])


def summarize(latencies: list[float], elapsed: float) -> dict:
    ms = sorted(x * 1000 for x in latencies)
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 0.50), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "p99_ms": round(percentile(ms, 0.99), 2),
        "max_ms": round(ms[-1], 2),
        "rps": round(len(ms) / elapsed, 1),
    }


def timed(session: Session, path: str, extra: dict | None = None) -> tuple[float, int, int]:
    start = time.perf_counter()
    status, body = session.request("GET", path, extra=extra)
    return time.perf_counter() - start, status, len(body)


def measure(port: int, cookies: dict, path: str, n: int, warmup: int, concurrency: int) -> dict:
    session = Session(port, cookies)
    for _ in range(warmup):
        _, status, _ = timed(session, path)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
    start = time.perf_counter()
    runs = [timed(session, path) for _ in range(n)]
    result = {"sequential": summarize([r[0] for r in runs], time.perf_counter() - start)}
    result["bytes"] = runs[-1][2]
    session.close()
    if concurrency > 1:
        local = threading.local()

        def one(_: int) -> float:
            if not hasattr(local, "session"):
                local.session = Session(port, cookies)
            return timed(local.session, path)[0]

        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(one, range(concurrency * 2)))  # open the connections
            start = time.perf_counter()
            latencies = list(pool.map(one, range(n)))
        result[f"concurrent_{concurrency}"] = summarize(latencies, time.perf_counter() - start)
    return result


def workspace_ticket(username: str) -> int:
    """The ticket the workspace rows open: of the user's 1,000 newest tickets, the one with
    the longest log (ties: the newest), so the page shows a long conversation."""
    from django.contrib.auth.models import User
    from django.db.models import Count

    from csops import permissions
    from tickets.models import Ticket

    user = User.objects.get(username=username)
    newest = permissions.scope_tickets(user, Ticket.objects.all()).order_by("-pk")[:1000]
    row = (
        Ticket.objects.filter(pk__in=list(newest.values_list("pk", flat=True)))
        .annotate(n=Count("events"))
        .order_by("-n", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if row is None:
        raise SystemExit(f"{username} sees no ticket; run seed_demo on this database")
    return row


def count_queries(username: str, ticket: int) -> dict[str, int]:
    """SQL queries per request, in-process through the full middleware stack."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(User.objects.get(username=username))
    counts = {}
    paths = {
        "api list page_size=10": "/api/v1/tickets/?page_size=10",
        "api list page_size=100": "/api/v1/tickets/?page_size=100",
        "queue default": "/tickets/",
        "queue search refund": "/tickets/?q=refund",
        "workspace": f"/tickets/{ticket}/",
        "workspace articles": f"/tickets/{ticket}/articles/",
    }
    for name, path in paths.items():
        client.get(path)  # warm caches (content types, sessions) so they do not count
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(ctx.captured_queries)
    return counts


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int, database_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "60",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    cmd = [gunicorn, "csops.wsgi", "-w", "2", "--bind", f"{HOST}:{port}", "--no-control-socket"]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start within 30 s")


def ticket_count(database_url: str) -> int | None:
    try:
        out = subprocess.run(
            ["psql", database_url, "-Atc", "SELECT count(*) FROM tickets_ticket"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return int(out.stdout.strip())
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


def out(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def print_table(label: str, results: dict, concurrency: int, queries: dict) -> None:
    head = f"{'url':<20} {'p50':>8} {'p95':>8} {'p99':>8} {'req/s':>7}"
    if concurrency > 1:
        head += f" | c={concurrency}: {'p50':>7} {'p95':>8} {'req/s':>7}"
    out(f"\n== {label} ==  (milliseconds; sequential, then concurrent)")
    out(head)
    for name, r in results.items():
        s = r["sequential"]
        line = f"{name:<20} {s['p50_ms']:>8.1f} {s['p95_ms']:>8.1f} {s['p99_ms']:>8.1f}"
        line += f" {s['rps']:>7.1f}"
        c = r.get(f"concurrent_{concurrency}")
        if c:
            line += f" | {'':>5}{c['p50_ms']:>7.1f} {c['p95_ms']:>8.1f} {c['rps']:>7.1f}"
        out(line)
    for name, n in queries.items():
        out(f"queries: {name:<24} {n}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="", help="Name of this run (e.g. 10k, 1m).")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=4, help="1 to skip the threaded run")
    parser.add_argument("--only", help="Run only URLs whose name contains this text.")
    parser.add_argument(
        "--user", default="rep", help="Demo login: rep (one team), manager (two), director (all)"
    )
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL") or ""
    if not database_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL database to benchmark.")
    if not 1 <= args.requests <= 5000 or not 1 <= args.concurrency <= 16:
        raise SystemExit("--requests must be 1..5000 and --concurrency 1..16")
    label = args.label or database_url.rsplit("/", 1)[-1]
    if args.user != "rep":
        label += f"-{args.user}"

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csops.settings")
    import django

    django.setup()
    ticket = workspace_ticket(args.user)
    urls = [*URLS, *((n, p.format(ticket=ticket), g) for n, p, g in TICKET_URLS)]
    queries = count_queries(args.user, ticket)
    load_before = os.getloadavg()
    port = free_port()
    server = start_server(port, database_url)
    results: dict[str, dict] = {}
    try:
        cookies = login(port, args.user)
        for name, path, _goal in urls:
            if args.only and args.only not in name:
                continue
            results[name] = {
                "path": path,
                **measure(port, cookies, path, args.requests, args.warmup, args.concurrency),
            }
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    load_after = os.getloadavg()
    print_table(label, results, args.concurrency, queries)
    out(f"load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"web-{label}-{stamp}.json"
    goals = {name: goal for name, _, goal in urls}
    report = {
        "label": label,
        "at": stamp,
        "tickets": ticket_count(database_url),
        "user": args.user,
        # Other work on this machine skews the figures: compare runs with similar load.
        "load_average_1m": {"before": load_before[0], "after": load_after[0]},
        "requests": args.requests,
        "warmup": args.warmup,
        "concurrency": args.concurrency,
        "queries": queries,
        "goals_p95_ms_at_1m": {k: v for k, v in goals.items() if v},
        "results": results,
    }
    path.write_text(json.dumps(report, indent=2))
    out(f"\nwrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
