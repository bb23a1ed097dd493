"""Ask a worker to run due jobs now. Best effort: a broker that is down only delays the work
(beat claims due rows anyway), and never turns a committed write into an error."""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def wake() -> None:
    from csops.tasks import run_due_jobs

    try:
        run_due_jobs.apply_async(retry=False)
    except Exception:  # noqa: BLE001 - any broker failure: beat runs the job later
        log.warning("could not wake a worker; due jobs run at the next beat", exc_info=True)


def wake_on_commit() -> None:
    """One wake-up per transaction, however many jobs it enqueues (a fan-out of hundreds
    would otherwise send hundreds of messages for one worker to drain)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        callback is wake for _, callback, _ in connection.run_on_commit
    ):
        return
    transaction.on_commit(wake)
