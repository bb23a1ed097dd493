"""Job threads that live as long as their worker process (PostgreSQL).

A Celery pool runs one task at a time per process: a wake-up queued behind a KPI sweep or a
long poll waited for it, so a mail or a webhook due now went out seconds late. Instead, each
worker process (the solo worker, or each prefork child) keeps ``JOB_THREADS`` threads that
claim and run due jobs themselves (``runner.claim``/``run_one``, SKIP LOCKED, leases as
before), and one listener thread that wakes them: PostgreSQL delivers ``NOTIFY csops_jobs``
(sent by ``wake()`` after a commit) at once, and every ``JOB_POLL_SECONDS`` the threads look
anyway, for retries coming due and for a notification lost with a dropped connection. The
row stays the truth; killing the process leaves claimed jobs to their lease, as before.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import connection

from csops.jobs import runner

log = logging.getLogger(__name__)

CHANNEL = "csops_jobs"
_ERROR_PAUSE_SECONDS = 2.0


def available() -> bool:
    """Whether job threads can run here: PostgreSQL (SKIP LOCKED, LISTEN) and not turned off."""
    return settings.JOB_DISPATCHER and connection.vendor == "postgresql"


class Dispatcher:
    def __init__(self, threads: int, poll_seconds: float) -> None:
        self.poll_seconds = poll_seconds
        self._due = threading.Event()  # set: a job may be due, look now
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self._work, name=f"csops-jobs-{n}", daemon=True)
            for n in range(max(1, threads))
        ]
        self._threads.append(
            threading.Thread(target=self._listen, name="csops-jobs-listen", daemon=True)
        )

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def poke(self) -> None:
        self._due.set()

    def alive(self) -> bool:
        return not self._stopping.is_set() and all(t.is_alive() for t in self._threads)

    def stop(self, timeout: float = 10.0) -> None:
        """Let running jobs finish (up to ``timeout``); unfinished ones go back at their lease."""
        self._stopping.set()
        self._due.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _work(self) -> None:
        while not self._stopping.is_set():
            try:
                # Cleared before looking, so a notification that arrives after the look
                # finds the event set and the wait below returns at once.
                self._due.clear()
                job = runner.claim()
                if job is None:
                    self._due.wait(self.poll_seconds)
                    continue
                self._due.set()  # there may be more: let the other threads look too
                runner.run_one(job)
            except Exception:  # noqa: BLE001 - a database gone away: pause, reconnect, go on
                log.warning("job thread: error, retrying", exc_info=True)
                connection.close()
                self._stopping.wait(_ERROR_PAUSE_SECONDS)
        connection.close()

    def _listen(self) -> None:
        while not self._stopping.is_set():
            try:
                connection.ensure_connection()
                pg = connection.connection
                pg.execute(f"LISTEN {CHANNEL}")
                polled = time.monotonic()
                while not self._stopping.is_set():
                    # Short waits, so that stop() is heard within a second.
                    heard = any(True for _ in pg.notifies(timeout=1.0, stop_after=1))
                    if heard or time.monotonic() - polled >= self.poll_seconds:
                        polled = time.monotonic()
                        self._due.set()
            except Exception:  # noqa: BLE001 - reconnect; the threads still poll meanwhile
                log.warning("job listener: connection lost, reconnecting", exc_info=True)
                connection.close()
                self._due.set()
                self._stopping.wait(_ERROR_PAUSE_SECONDS)
        connection.close()


_current: Dispatcher | None = None


def start() -> bool:
    """Start this process's job threads (once); False where they cannot run."""
    global _current
    if _current is not None or not available():
        return _current is not None
    _current = Dispatcher(settings.JOB_THREADS, float(settings.JOB_POLL_SECONDS))
    _current.start()
    log.info("job threads started: %s", settings.JOB_THREADS)
    return True


def stop() -> None:
    global _current
    if _current is not None:
        _current.stop()
        _current = None


def poke() -> bool:
    """Wake this process's job threads; False if it has none running (then run jobs inline)."""
    if _current is None or not _current.alive():
        return False
    _current.poke()
    return True


def notify() -> None:
    """Tell every listening job thread that jobs are due (delivered when this commits)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL])
