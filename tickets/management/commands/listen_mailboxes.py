"""``manage.py listen_mailboxes``: hold IMAP IDLE on every enabled mailbox and make its poll due
the moment new mail arrives (tickets/mail/inbound/listener.py). A long-lived process beside
the worker; beat's polls stay the fallback, so it may be stopped or restarted at any time.
Ends on SIGTERM or Ctrl-C."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from tickets.mail.inbound.listener import Listener


class Command(BaseCommand):
    help = "Listen to every enabled mailbox with IMAP IDLE; new mail makes its poll due now."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--idle-seconds",
            type=float,
            default=300.0,
            help="Renew each IDLE after this long (servers end one after 30 min; default 300).",
        )
        parser.add_argument(
            "--refresh-seconds",
            type=float,
            default=60.0,
            help="Re-read the mailbox list this often (default 60).",
        )

    def handle(self, *args, idle_seconds: float, refresh_seconds: float, **options) -> None:
        if not (1 <= idle_seconds <= 1740):
            raise CommandError("--idle-seconds must be between 1 and 1740 (29 minutes).")
        if not (1 <= refresh_seconds <= 86400):
            raise CommandError("--refresh-seconds must be between 1 and 86400.")
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write("Listening to the enabled mailboxes (IMAP IDLE); Ctrl-C to stop.")
        self.stdout.flush()
        Listener(idle_seconds=idle_seconds, refresh_seconds=refresh_seconds).run(stop)
        self.stdout.write("Stopped.")
