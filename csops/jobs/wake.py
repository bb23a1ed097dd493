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
    transaction.on_commit(wake)
