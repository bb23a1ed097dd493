"""Inbound mail benchmark: a real IMAP server (dovecot) → one Celery worker → tickets.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csops_bench_1m \\
    REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/mail_inbound.py [--messages 10000] [--rate 40] [--steady 2000]

Needs a migrated, seeded database (``seed_demo --tickets 1000000`` for the issue's figures;
it writes the bench's tickets into it, so use a database of its own). Starts a private
dovecot (tests/dovecot.py), a mailbox of the first team that reads it, and one worker
(``--pool solo`` as ``scripts/run`` starts it, or ``--pool prefork --concurrency 2`` as
docker-compose does; with beat, the default ``MAILBOX_POLL_SECONDS``) on a private Redis queue.
Outgoing mail (acknowledgments) goes to Django's dummy backend.

Two phases, each with its own IMAP account:

1. **Throughput.** ``--messages`` messages (a ``--replies`` share answers an earlier message
   of the phase, a ``--attachments`` share carries a ~100 KB PDF) are APPENDed while the
   mailbox is disabled; then it is enabled and the worker drains it. Prints messages/s from
   the first record to the last.
2. **Delivery → visible.** ``--steady`` messages APPENDed at ``--rate`` per second while the
   worker polls. For each, the delay from the APPEND's answer (the mailbox holds it) to its
   inbound record being visible to another connection (its ticket change committed with it):
   p50/p95/max, and how long after the last APPEND the last message was visible.

A watcher thread reads new inbound records every 0.1 s; delays are measured with its clock,
so they are at most ~0.1 s late. Every loop is bounded; the worker and dovecot are stopped.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUEUE = f"mail-bench-{os.getpid()}"
PASSWORD_ENV = "CSOPS_BENCH_IMAP_PASSWORD"
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


PDF = b"%PDF-1.4\n" + bytes(random.Random(7).getrandbits(8) for _ in range(100_000)) + b"\n%%EOF\n"


def messages(n: int, *, tag: str, replies: float, attachments: float, seed: int) -> list[bytes]:
    """``n`` customers' messages; a share answer an earlier one (In-Reply-To), a share carry
    a PDF."""
    rng = random.Random(seed)
    sent: list[tuple[str, str, str]] = []  # (Message-ID, sender, subject)
    out = []
    for k in range(n):
        message = EmailMessage()
        if sent and rng.random() < replies:
            parent_id, sender, subject = rng.choice(sent)
            message["Subject"] = f"Re: {subject}"
            message["In-Reply-To"] = parent_id
            message["References"] = parent_id
            body = "Thanks, but it still does not work.\n\n> earlier text\n"
        else:
            sender = f"Customer {k} <bench.{tag}.{k}@customer.test>"
            subject = f"Bench {tag} {k}: my order did not arrive"
            message["Subject"] = subject
            body = f"Hello,\n\norder {k} did not arrive. Please help.\n\nRegards\n"
        message["From"] = sender
        message["To"] = f"bench-{tag}@acme.test"  # the mailbox's address (not a CC)
        message["Message-ID"] = make_msgid(domain="customer.test")
        message.set_content(body)
        if rng.random() < attachments:
            message.add_attachment(PDF, maintype="application", subtype="pdf", filename="a.pdf")
        sent.append((message["Message-ID"], sender, subject))
        out.append(message.as_bytes())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=10_000, help="Throughput phase.")
    parser.add_argument("--steady", type=int, default=2_000, help="Delay phase (0: skip).")
    parser.add_argument("--rate", type=float, default=40.0, help="Delay phase, messages/s.")
    parser.add_argument("--replies", type=float, default=0.3)
    parser.add_argument("--attachments", type=float, default=0.1)
    parser.add_argument("--timeout", type=float, default=1800.0, help="Per phase, seconds.")
    parser.add_argument("--pool", choices=("solo", "prefork"), default="solo")
    parser.add_argument("--concurrency", type=int, default=2, help="Processes of a prefork pool.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count

    from csops.celery import app
    from staffing.models import Team
    from tests.dovecot import Dovecot, available
    from tickets.mail.inbound.models import InboundMessage, Mailbox
    from tickets.models import Ticket

    if not available():
        raise SystemExit("dovecot is not installed (apt-get install -y dovecot-imapd)")
    team = Team.objects.order_by("pk").first()
    if team is None:
        raise SystemExit("no team: seed the database first (manage.py seed_demo)")
    load = os.getloadavg()
    show(
        f"database {connection.settings_dict['NAME']}: {Ticket.objects.count():,} tickets; "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; "
        f"MAILBOX_POLL_SECONDS={settings.MAILBOX_POLL_SECONDS}; worker --pool={args.pool}"
        + (f" --concurrency={args.concurrency}" if args.pool == "prefork" else "")
    )
    server = Dovecot({"drain": "secret", "steady": "secret"}).start()
    workdir = tempfile.mkdtemp(prefix="csops-mail-bench-")
    app.control.purge()
    env = {
        **os.environ,
        PASSWORD_ENV: "secret",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT", str(Path(workdir) / "media")),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "csops",
            "worker",
            f"--pool={args.pool}",
            *([f"--concurrency={args.concurrency}"] if args.pool == "prefork" else []),
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
    mailboxes: list[Mailbox] = []
    try:

        def mailbox_for(user: str, *, enabled: bool) -> Mailbox:
            Mailbox.objects.filter(address=f"bench-{user}@acme.test").delete()
            box = Mailbox.objects.create(
                team=team,
                address=f"bench-{user}@acme.test",
                imap_host=server.host,
                imap_port=server.port,
                imap_security="none",
                imap_username=user,
                password_env=PASSWORD_ENV,
                enabled=enabled,
            )
            mailboxes.append(box)
            return box

        def watch(box: Mailbox, total: int, seen: dict[int, float], stop: threading.Event):
            last_pk = 0
            while len(seen) < total and not stop.is_set():
                rows = list(
                    InboundMessage.objects.filter(mailbox=box, pk__gt=last_pk)
                    .order_by("pk")
                    .values_list("pk", "uid")
                )
                now = time.monotonic()
                for pk, uid in rows:
                    seen.setdefault(int(uid), now)
                    last_pk = pk
                time.sleep(0.1)
            connection.close()

        # --- 1. throughput --------------------------------------------------------------
        if args.messages:
            raws = messages(
                args.messages, tag="drain", replies=args.replies,
                attachments=args.attachments, seed=1,
            )  # fmt: skip
            box = mailbox_for("drain", enabled=False)
            started = time.monotonic()
            server.deliver(*raws, user="drain")
            show(
                f"1. {len(raws):,} messages ({sum(map(len, raws)) / 1e6:.1f} MB) appended in "
                f"{time.monotonic() - started:.1f} s; enabling the mailbox"
            )
            seen: dict[int, float] = {}
            stop = threading.Event()
            watcher = threading.Thread(target=watch, args=(box, len(raws), seen, stop))
            watcher.start()
            enabled = time.monotonic()
            Mailbox.objects.filter(pk=box.pk).update(enabled=True)
            deadline = enabled + args.timeout
            while len(seen) < len(raws) and time.monotonic() < deadline and worker.poll() is None:
                time.sleep(1)
            stop.set()
            watcher.join()
            if seen:
                first, last = min(seen.values()), max(seen.values())
                rate = (len(seen) - 1) / (last - first) if last > first else float("nan")
                outcomes = dict(
                    InboundMessage.objects.filter(mailbox=box)
                    .values_list("outcome")
                    .annotate(n=Count("pk"))
                )
                show(
                    f"   {len(seen):,} of {len(raws):,} recorded; first {first - enabled:.1f} s "
                    f"after enabling, last {last - enabled:.1f} s; "
                    f"**{rate:.1f} messages/s** (goal >= 50); outcomes {outcomes}"
                )
            load = os.getloadavg()
            show(f"   load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")

        # --- 2. delivery -> visible at a steady rate ----------------------------------------
        if args.steady:
            raws = messages(
                args.steady, tag="steady", replies=args.replies,
                attachments=args.attachments, seed=2,
            )  # fmt: skip
            box = mailbox_for("steady", enabled=True)
            deadline = time.monotonic() + 120
            while (
                not Mailbox.objects.filter(pk=box.pk, last_polled_at__isnull=False).exists()
                and time.monotonic() < deadline
            ):
                time.sleep(0.2)
            seen = {}
            delivered: dict[int, float] = {}
            stop = threading.Event()
            watcher = threading.Thread(target=watch, args=(box, len(raws), seen, stop))
            watcher.start()
            started = time.monotonic()
            with server.client("steady") as conn:
                for k, raw in enumerate(raws, start=1):
                    time.sleep(max(0.0, started + (k - 1) / args.rate - time.monotonic()))
                    typ, _ = conn.append("INBOX", "", None, raw)
                    delivered[k] = time.monotonic()  # UIDs are 1, 2, ... in a new account
            held = time.monotonic()
            show(
                f"2. {len(raws):,} messages appended at {len(raws) / (held - started):.1f}/s "
                f"(asked {args.rate:g}/s)"
            )
            deadline = held + args.timeout
            while len(seen) < len(raws) and time.monotonic() < deadline and worker.poll() is None:
                time.sleep(0.5)
            stop.set()
            watcher.join()
            delays = [seen[uid] - delivered[uid] for uid in seen if uid in delivered]
            if delays:
                show(
                    f"   {len(seen):,} of {len(raws):,} visible; delivery -> visible: "
                    f"p50 {pct(delays, 0.5):.2f} s, **p95 {pct(delays, 0.95):.2f} s** "
                    f"(goal <= 15), max {max(delays):.2f} s; the last message visible "
                    f"**{max(seen.values()) - held:.2f} s** after the mailbox held it (goal <= 10)"
                )
            load = os.getloadavg()
            show(f"   load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    finally:
        Mailbox.objects.filter(pk__in=[b.pk for b in mailboxes]).update(enabled=False)
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        server.stop()
        if worker.returncode not in (0, -15, None):
            show(f"worker exited with {worker.returncode}; log in {workdir}/worker.log")
        connection.close()


if __name__ == "__main__":
    main()
