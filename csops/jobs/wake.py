"""Ask a worker to run due jobs now. Best effort: a broker that is down only delays the work
(beat claims due rows anyway), and never turns a committed write into an error."""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction

log = logging.getLogger(__name__)


def publish(task, *args, fallback: str) -> bool:
    """Send ``task(*args)`` once, without the publish retries; on any broker failure log
    ``fallback`` (who does the work instead) and return False. For wake-ups whose work is
    recorded elsewhere (a job row, the event log, a rebuild row)."""
    try:
        task.apply_async(args, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure
        log.warning("could not send %s; %s", task.name, fallback, exc_info=True)
        return False
    return True


def wake() -> None:
    """Job threads listening on PostgreSQL hear a NOTIFY; elsewhere a worker gets a message."""
    from csops.jobs import dispatcher
    from csops.tasks import run_due_jobs

    if dispatcher.available():
        try:
            dispatcher.notify()
        except DatabaseError:
            log.warning("could not notify job threads; they look at their next poll", exc_info=True)
        return
    publish(run_due_jobs, fallback="due jobs run at the next beat")


def wake_on_commit() -> None:
    """One wake-up per transaction, however many jobs it enqueues (a fan-out of hundreds
    would otherwise send hundreds of messages for one worker to drain)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        callback is wake for _, callback, _ in connection.run_on_commit
    ):
        return
    transaction.on_commit(wake)
