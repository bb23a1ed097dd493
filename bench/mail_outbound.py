"""Outbound mail benchmark: reply committed → accepted by a real SMTP server (aiosmtpd).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csops_bench_1m \\
    REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/mail_outbound.py [--replies 300] [--rate 5]

Needs a migrated, seeded database (it adds public replies to its unresolved tickets, whose
requesters get the mail). Starts an aiosmtpd server on a free port of 127.0.0.1 and one worker
(``--pool=solo``, with beat) on a private Redis queue, pointed at it. Sends ``--replies``
public replies through ``tickets.services.reply`` at ``--rate`` per second (each commits its
outbox row and job, and wakes the worker on commit, as the console does) and records when the
server accepted each message (by its Message-ID). Prints p50/p95/max (goal p95 <= 5 s) and
checks that no message arrived twice.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from email import message_from_bytes, policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUEUE = f"mail-out-bench-{os.getpid()}"
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


class Inbox:
    """Each accepted message's Message-ID with the instant the server accepted it."""

    def __init__(self) -> None:
        self.accepted: dict[str, float] = {}
        self.count = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.count += 1
        self.accepted.setdefault(str(message["Message-ID"]).strip(), time.monotonic())
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replies", type=int, default=300)
    parser.add_argument("--rate", type=float, default=5.0, help="Replies per second.")
    args = parser.parse_args()

    import logging

    import django

    django.setup()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-command lines
    from aiosmtpd.controller import Controller
    from django.contrib.auth.models import User
    from django.db import connection

    from csops.celery import app
    from csops.models import Job
    from tickets.mail.models import OutboundMessage
    from tickets.models import Ticket
    from tickets.services import tickets as services

    agent = User.objects.get(username="director")
    pool = list(
        Ticket.objects.filter(status__in=("new", "open", "pending", "on_hold"))
        .exclude(requester__email="")
        .filter(channel__in=("phone", "chat", "web"))  # seeded tickets, not earlier benches'
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    if not pool:
        raise SystemExit("no unresolved ticket with a requester's email: seed the database")
    load = os.getloadavg()
    backlog = Job.objects.filter(state__in=("pending", "running")).count()
    show(
        f"database {connection.settings_dict['NAME']}: {Ticket.objects.count():,} tickets; "
        f"{backlog} unfinished jobs before the run (a backlog delays the measured mail); "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    workdir = tempfile.mkdtemp(prefix="csops-mail-out-bench-")
    app.control.purge()
    env = {
        **os.environ,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "csops",
            "worker",
            "--pool=solo",
            "--beat",
            "--loglevel=WARNING",
            "-Q",
            QUEUE,
            "--without-gossip",
            "--without-mingle",
            "--schedule",
            str(Path(workdir) / "beat-schedule"),
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=open(Path(workdir) / "worker.log", "wb"),  # noqa: SIM115 (closed with the process)
        stderr=subprocess.STDOUT,
    )
    committed: dict[int, float] = {}  # event id -> commit instant
    try:
        # a first reply warms the worker up (imports, connections); it is not measured
        services.reply(pool[0], by=agent, body="Warming up")
        deadline = time.monotonic() + 120
        while inbox.count < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        if inbox.count < 1:
            raise SystemExit(f"the worker never mailed; log in {workdir}/worker.log")
        started = time.monotonic()
        for k in range(args.replies):
            time.sleep(max(0.0, started + k / args.rate - time.monotonic()))
            ticket_id = pool[k % len(pool)]
            services.reply(ticket_id, by=agent, body=f"Bench reply {k}")
            event_id = (
                OutboundMessage.objects.filter(ticket_id=ticket_id)
                .order_by("-pk")
                .values_list("event_id", flat=True)
                .first()
            )
            committed[event_id] = time.monotonic()
        sent = time.monotonic()
        rows = dict(
            OutboundMessage.objects.filter(event_id__in=committed).values_list(
                "event_id", "message_id"
            )
        )
        deadline = sent + 120
        while (
            sum(rows[e] in inbox.accepted for e in committed) < len(committed)
            and time.monotonic() < deadline
        ):
            time.sleep(0.2)
        time.sleep(2)  # a duplicate would arrive in this time
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        controller.stop()
    delays = [
        inbox.accepted[rows[e]] - t for e, t in committed.items() if rows[e] in inbox.accepted
    ]
    show(
        f"{len(committed)} replies at {len(committed) / (sent - started):.1f}/s; "
        f"{len(delays)} accepted by the SMTP server; {inbox.count - 1 - len(delays)} extra "
        f"(duplicates or other mail)"
    )
    if delays:
        show(
            f"reply committed -> SMTP accepted: p50 {pct(delays, 0.5):.2f} s, "
            f"**p95 {pct(delays, 0.95):.2f} s** (goal <= 5), max {max(delays):.2f} s"
        )
    load = os.getloadavg()
    show(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    connection.close()


if __name__ == "__main__":
    main()
