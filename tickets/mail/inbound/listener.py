"""The IMAP IDLE listener (``manage.py listen_mailboxes``): a faster wake-up for mailbox polls.

One thread per enabled mailbox holds IDLE on its folder (``imap.Session.wait_for_mail``). When
the server reports new mail the thread tells the main loop, which makes that mailbox's poll
job due now and wakes a worker (``poll.poll_now``). The job row stays the truth and the poll
does the reading, exactly once (poll.py); beat's poll every ``MAILBOX_POLL_SECONDS`` remains
the fallback, so a listener that is down or slow makes mail later, never lost or doubled.

A dropped connection is opened again after 1, 2, 4 ... s (at most ``MAX_BACKOFF_SECONDS``);
each (re)connection asks for a poll too, for mail that came while nobody listened. The main
loop re-reads the mailbox list every ``refresh_seconds``: a new or changed mailbox gets a
listener, a disabled or deleted one's listener stops. Only the main loop uses the database.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field

from django.db import close_old_connections, connection

from tickets.mail.inbound import imap, poll
from tickets.mail.inbound.models import Mailbox

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 60.0


@dataclass(frozen=True)
class Target:
    """What one thread listens to; a change of any field restarts it."""

    mailbox_id: int
    address: str
    folder: str
    account: imap.Account = field(repr=False)  # holds the password


def targets() -> dict[int, Target]:
    """The enabled mailboxes that have an IMAP server, by id. One whose password variable is
    missing is left out (its poll records why on the mailbox)."""
    found = {}
    for mailbox in Mailbox.objects.filter(enabled=True).exclude(imap_host=""):
        try:
            account = poll.account_for(mailbox)
        except imap.ImapError as exc:
            log.warning("mailbox %s is not listened to: %s", mailbox.address, exc)
            continue
        found[mailbox.pk] = Target(mailbox.pk, mailbox.address, mailbox.imap_folder, account)
    return found


class Watcher(threading.Thread):
    """Holds IDLE on one mailbox's folder, reconnecting with back-off; puts the mailbox's id
    on ``news`` at each connection and each report of new mail."""

    def __init__(self, target: Target, news: queue.Queue[int], *, idle_seconds: float) -> None:
        super().__init__(name=f"idle-{target.address}", daemon=True)
        self.target = target
        self.news = news
        self.idle_seconds = idle_seconds
        self.halt = threading.Event()
        self.connections = 0  # sessions opened so far (read by tests)

    def run(self) -> None:
        failures = 0
        while not self.halt.is_set():
            try:
                with imap.connect(self.target.account) as session:
                    session.watch(self.target.folder)
                    self.connections += 1
                    failures = 0
                    self.news.put(self.target.mailbox_id)  # mail that came while away
                    while not self.halt.is_set():
                        if session.wait_for_mail(self.idle_seconds, self.halt):
                            self.news.put(self.target.mailbox_id)
            except Exception as exc:  # noqa: BLE001 - any failure: reconnect after a pause
                failures += 1
                delay = min(2.0 ** (failures - 1), MAX_BACKOFF_SECONDS)
                if isinstance(exc, imap.ImapError):
                    log.warning("listener of %s: %s", self.target.address, exc)
                else:
                    log.exception("listener of %s failed", self.target.address)
                log.info("listener of %s reconnects in %g s", self.target.address, delay)
                self.halt.wait(delay)


class Listener:
    """The main loop: keeps one ``Watcher`` per target and turns their news into due polls."""

    def __init__(self, *, idle_seconds: float = 300, refresh_seconds: float = 60) -> None:
        self.idle_seconds = idle_seconds
        self.refresh_seconds = refresh_seconds
        self.news: queue.Queue[int] = queue.Queue()
        self.watchers: dict[int, Watcher] = {}

    def run(self, stop: threading.Event) -> None:
        owed: set[int] = set()  # mailboxes whose poll could not be made due yet
        next_refresh = 0.0
        try:
            while not stop.is_set():
                if time.monotonic() >= next_refresh:
                    next_refresh = time.monotonic() + self._refresh()
                try:
                    owed.add(self.news.get(timeout=1.0))
                    while True:
                        owed.add(self.news.get_nowait())
                except queue.Empty:
                    pass
                owed = self._poll_now(owed & self.watchers.keys())
        finally:
            self.stop_all()
            connection.close()

    def _refresh(self) -> float:
        """Start, restart or stop watchers as the mailbox list says; returns the seconds until
        the next refresh (sooner after a database error)."""
        try:
            close_old_connections()
            wanted = targets()
        except Exception:  # noqa: BLE001 - the database is away: keep listening, retry soon
            log.exception("mailbox list could not be read")
            connection.close()
            return min(5.0, self.refresh_seconds)
        for pk, watcher in list(self.watchers.items()):
            if wanted.get(pk) != watcher.target:
                self._stop(pk)
        for pk, target in wanted.items():
            if pk not in self.watchers:
                watcher = Watcher(target, self.news, idle_seconds=self.idle_seconds)
                self.watchers[pk] = watcher
                watcher.start()
                log.info("listening to %s (%s)", target.address, target.folder)
        return self.refresh_seconds

    def _poll_now(self, mailbox_ids: set[int]) -> set[int]:
        left = set()
        for pk in mailbox_ids:
            try:
                if not poll.poll_now(pk):
                    left.add(pk)
            except Exception:  # noqa: BLE001 - the database is away: ask again next round
                log.exception("poll of mailbox %s could not be made due", pk)
                connection.close()
                left.add(pk)
        return left

    def _stop(self, pk: int) -> None:
        watcher = self.watchers.pop(pk)
        watcher.halt.set()
        log.info("no longer listening to %s", watcher.target.address)

    def stop_all(self, timeout: float = 10.0) -> None:
        stopping = list(self.watchers.values())
        for pk in list(self.watchers):
            self._stop(pk)
        deadline = time.monotonic() + timeout
        for watcher in stopping:
            watcher.join(max(0.0, deadline - time.monotonic()))
