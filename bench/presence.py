"""Presence benchmark: 50 people with a ticket open, each polling the presence endpoint.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csops_bench_1m \\
    REDIS_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python bench/presence.py [--people 50] [--seconds 60] [--label 1m]

Issue 15: "50 people with tickets open generate no more than one light request per person
every few seconds, each p95 ≤ 20 ms". Starts gunicorn as ``run_web.py`` does (``-w 2``,
CONN_MAX_AGE=60, DEBUG off) with the given REDIS_URL, where presence lives (the "presence"
cache). Presence is one cache entry per ticket holding one row per person, so the demo
users are reused: person *i* logs in as the *i*-th staff user (cycling through them, one
session each) and opens a ticket of their scope; with ``--share 2`` (default) two people
of different accounts share each ticket where their scopes allow, so the answers name the
other viewer as they do in real use. Each person loads the workspace (for the CSRF token
and the page's ``version``/``seen``), then polls ``POST /tickets/<pk>/presence/`` at the
interval the workspace template's ``hx-trigger`` says ("every 4s"), from a random phase,
for ``--seconds``. Reports requests per person per second, p50/p95/p99 of the poll, the
answer's size, and (in-process, ``CaptureQueriesContext``) the SQL queries of one poll.

Writes only sessions (the logins) to the database and presence keys to Redis. Prints a
summary and writes JSON to ``bench/results/``. Only talks to 127.0.0.1; bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_web import (  # noqa: E402 - the sibling script, imported as a module
    RESULTS,
    ROOT,
    Session,
    free_port,
    login,
    out,
    percentile,
    start_server,
)

GOAL_P95_MS = 20
TEMPLATE = ROOT / "templates" / "tickets" / "workspace.html"


def page_interval() -> float:
    """The polling interval of the workspace's #presence region (``every Ns`` in its hx-trigger)."""
    html = TEMPLATE.read_text()
    region = html[html.index('id="presence"') :]
    found = re.search(r'hx-trigger="[^"]*every (\d+(?:\.\d+)?)(ms|s)', region)
    if found is None:
        raise SystemExit(f"no 'every Ns' trigger on #presence in {TEMPLATE}")
    value = float(found.group(1))
    return value / 1000 if found.group(2) == "ms" else value


def staff_users(limit: int) -> list[str]:
    """Staff accounts that see at least one ticket, in id order."""
    from django.contrib.auth.models import User

    from csops import permissions

    names = []
    for user in User.objects.filter(is_active=True).order_by("pk")[:limit]:
        if permissions.is_staff_member(user):
            names.append(user.username)
    if not names:
        raise SystemExit("no staff users; run seed_demo on this database")
    return names


def assign_tickets(usernames: list[str], people: int, share: int) -> list[tuple[str, int]]:
    """(username, ticket) per person: ``share`` people of different accounts per ticket where
    their scopes overlap, the most recently updated first, every (account, ticket) pair distinct."""
    from django.contrib.auth.models import User

    from csops import permissions
    from tickets.models import Ticket

    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    taken: set[int] = set()
    persons: list[tuple[str, int]] = []
    i = 0
    while len(persons) < people:
        first = users[usernames[i % len(usernames)]]
        scope = permissions.scope_tickets(first, Ticket.objects.all())
        candidates = scope.exclude(pk__in=taken).order_by("-updated_at", "-pk")
        ticket = candidates.values_list("pk", flat=True).first()
        if ticket is None:
            raise SystemExit(f"{first.username} sees no ticket left")
        taken.add(ticket)
        group = [first.username]
        for step in range(1, len(usernames)):
            if len(group) >= share or len(persons) + len(group) >= people:
                break
            other = users[usernames[(i + step) % len(usernames)]]
            if other.username in group:
                continue
            if permissions.scope_tickets(other, Ticket.objects.filter(pk=ticket)).exists():
                group.append(other.username)
        persons.extend((name, ticket) for name in group)
        i += 1
    return persons[:people]


def count_queries(username: str, ticket: int) -> tuple[int, list[str]]:
    """SQL queries of one poll, in-process through the full middleware stack."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(User.objects.get(username=username))
    from tickets.models import Ticket

    current = Ticket.objects.values_list("version", flat=True).get(pk=ticket)
    path = f"/tickets/{ticket}/presence/"
    data = {"typing": "0", "version": str(current), "seen": "1"}
    client.post(path, data, HTTP_HX_REQUEST="true")  # warm: content types, first connection
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(path, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


class Person:
    def __init__(self, port: int, username: str, ticket: int) -> None:
        self.username, self.ticket = username, ticket
        self.session = Session(port, login(port, username))
        status, page = self.session.request("GET", f"/tickets/{ticket}/")
        if status != 200:
            raise SystemExit(f"{username}: GET /tickets/{ticket}/ answered {status}")
        token = re.search(rb'"X-CSRFToken": "([^"]+)"', page)
        vals = re.search(rb'hx-vals=\'\{"version": "(\d+)", "seen": "(\d*)"\}\'', page)
        if token is None or vals is None:
            raise SystemExit(f"{username}: no CSRF token or hx-vals on the workspace page")
        self.token = token.group(1).decode()
        self.body = urlencode(
            {"version": vals.group(1).decode(), "seen": vals.group(2).decode(), "typing": "0"}
        )
        self.latencies: list[float] = []
        self.sizes: list[int] = []
        self.others: list[bool] = []
        self.errors: list[int] = []

    def ping(self) -> None:
        """The floor of any signed-in request at this moment: ``/ping`` with the same session."""
        start = time.perf_counter()
        status, _ = self.session.request("GET", "/ping")
        if status == 200:
            self.latencies.append(time.perf_counter() - start)

    def poll(self) -> None:
        headers = {"HX-Request": "true", "X-CSRFToken": self.token}
        start = time.perf_counter()
        status, data = self.session.request(
            "POST", f"/tickets/{self.ticket}/presence/", self.body, extra=headers
        )
        elapsed = time.perf_counter() - start
        if status != 200:
            self.errors.append(status)
            return
        self.latencies.append(elapsed)
        self.sizes.append(len(data))
        self.others.append(b'data-presence="others"' in data)

    def run(self, interval: float, start: float, stop: float, *, ping: bool = False) -> None:
        """Poll (or ping) at ``start + k * interval`` until ``stop`` (perf_counter times)."""
        due = start
        while due < stop:
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            self.ping() if ping else self.poll()
            due += interval


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="", help="Name of this run (e.g. 1m).")
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--share", type=int, default=2, help="People per ticket (1..5).")
    parser.add_argument("--interval", type=float, help="Override the page's polling interval.")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL") or ""
    if not database_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL database to benchmark.")
    if not (os.environ.get("REDIS_URL") or "").startswith("redis"):
        raise SystemExit("Set REDIS_URL: presence lives in Redis (the 'presence' cache).")
    if not 1 <= args.people <= 200 or not 5 <= args.seconds <= 600 or not 1 <= args.share <= 5:
        raise SystemExit("--people 1..200, --seconds 5..600, --share 1..5")
    label = args.label or database_url.rsplit("/", 1)[-1]
    interval = args.interval or page_interval()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csops.settings")
    import django

    django.setup()
    persons = assign_tickets(staff_users(200), args.people, args.share)
    queries, sql = count_queries(*persons[0])
    port = free_port()
    server = start_server(port, database_url)
    try:
        people = [Person(port, name, ticket) for name, ticket in persons]
        for person in people:  # one beat each so everyone is present before the timing
            person.poll()
            person.latencies.clear(), person.sizes.clear(), person.others.clear()
        rng = random.Random(args.seed)
        load_before = os.getloadavg()
        begin = time.perf_counter() + 0.5
        stop = begin + args.seconds
        threads = [
            threading.Thread(
                target=p.run, args=(interval, begin + rng.uniform(0, interval), stop), daemon=True
            )
            for p in people
        ]
        # One more signed-in session pings at the people's total rate / 10 as a same-load floor.
        baseline = Person(port, persons[0][0], persons[0][1])
        threads.append(
            threading.Thread(
                target=baseline.run,
                args=(interval * 10 / len(people), begin, stop),
                kwargs={"ping": True},
                daemon=True,
            )
        )
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 60)
        elapsed = time.perf_counter() - begin
        load_after = os.getloadavg()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    latencies = sorted(x * 1000 for p in people for x in p.latencies)
    sizes = [s for p in people for s in p.sizes]
    errors = [e for p in people for e in p.errors]
    with_others = sum(o for p in people for o in p.others)
    if not latencies:
        raise SystemExit(f"no successful poll; errors: {errors[:10]}")
    floor = sorted(x * 1000 for x in baseline.latencies) or [0.0]
    result = {
        "label": label,
        "at": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
        "people": len(people),
        "accounts": len({p.username for p in people}),
        "tickets": len({p.ticket for p in people}),
        "interval_s": interval,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "errors": errors,
        "requests_per_person_per_s": round(len(latencies) / len(people) / elapsed, 3),
        "total_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "max_ms": round(latencies[-1], 2),
        "ping_p50_ms": round(percentile(floor, 0.50), 2),
        "ping_p95_ms": round(percentile(floor, 0.95), 2),
        "ping_n": len(baseline.latencies),
        "bytes_min": min(sizes),
        "bytes_max": max(sizes),
        "bytes_mean": round(sum(sizes) / len(sizes)),
        "answers_naming_others": with_others,
        "queries_per_poll": queries,
        "sql": sql,
        # Other work on this machine skews the figures: compare runs with similar load.
        "load_average_1m": {"before": load_before[0], "after": load_after[0]},
        "goal_p95_ms": GOAL_P95_MS,
    }
    out(f"\n== presence {label} ==")
    out(
        f"{result['people']} people ({result['accounts']} accounts) on {result['tickets']} "
        f"tickets, polling every {interval:g} s for {result['seconds']} s"
    )
    out(
        f"requests {result['requests']} ({len(errors)} errors), "
        f"{result['requests_per_person_per_s']} per person per s, {result['total_rps']} req/s"
    )
    out(
        f"poll ms: p50 {result['p50_ms']}  p95 {result['p95_ms']}  p99 {result['p99_ms']}  "
        f"max {result['max_ms']}  (goal p95 ≤ {GOAL_P95_MS})"
    )
    out(
        f"same-load floor, /ping signed in ({result['ping_n']} requests): "
        f"p50 {result['ping_p50_ms']}  p95 {result['ping_p95_ms']}"
    )
    out(
        f"answer bytes: min {result['bytes_min']} mean {result['bytes_mean']} "
        f"max {result['bytes_max']}; {with_others} answers named another viewer"
    )
    out(f"SQL queries per poll: {queries}")
    for statement in sql:
        out(f"  {statement[:150]}")
    out(f"load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"presence-{label}-{result['at']}.json"
    path.write_text(json.dumps(result, indent=2))
    out(f"\nwrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
