"""Claim due jobs and run them.

A claim (SKIP LOCKED) marks the row running and moves ``due_at`` to the end of its lease, in a
transaction of its own: if the worker dies, the row becomes due again when the lease passes
and any worker's next run claims it (the re-driver is the claim itself). Completion is
written only if the row still carries this claim's attempt number.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from csops.jobs.queue import UNFINISHED
from csops.jobs.registry import Again, lookup
from csops.models import Job

log = logging.getLogger(__name__)


def _lease() -> timedelta:
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(settings.JOB_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 3600))


def claim() -> Job | None:
    now = timezone.now()
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(skip_locked=True)
            .filter(state__in=UNFINISHED, due_at__lte=now)
            .order_by("priority", "due_at")
            .first()
        )
        if job is None:
            return None
        job.state, job.due_at, job.attempts = Job.State.RUNNING, now + _lease(), job.attempts + 1
        job.save(update_fields=["state", "due_at", "attempts"])
    return job


def _finish(job: Job, **fields) -> None:
    Job.objects.filter(pk=job.pk, attempts=job.attempts).update(**fields)


def run_one(job: Job) -> None:
    fn = lookup(job.kind)
    now = timezone.now
    if fn is None:
        _finish(job, state=Job.State.FAILED, last_error=f"no handler for {job.kind!r}")
        return
    try:
        outcome = fn(job.payload)
    except Exception as exc:  # noqa: BLE001 - recorded on the row, retried with back-off
        log.warning("job %s (%s) failed, attempt %s", job.pk, job.kind, job.attempts, exc_info=True)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if job.attempts >= job.max_attempts:
            _finish(job, state=Job.State.FAILED, last_error=error, finished_at=now())
        else:
            due = now() + _retry_delay(job.attempts)
            _finish(job, state=Job.State.PENDING, due_at=due, last_error=error)
        return
    if isinstance(outcome, Again):
        # Progress, not failure: the attempt is given back.
        due = now() + timedelta(seconds=outcome.seconds)
        _finish(job, state=Job.State.PENDING, due_at=due, attempts=job.attempts - 1)
    else:
        _finish(job, state=Job.State.DONE, finished_at=now(), last_error="")


def _drain(deadline: float) -> int:
    ran = 0
    while time.monotonic() < deadline:
        job = claim()
        if job is None:
            break
        run_one(job)
        ran += 1
    return ran


def _drain_in_thread(deadline: float) -> int:
    try:
        return _drain(deadline)
    finally:
        connection.close()  # this thread's own connection


def run_due(*, budget_seconds: float = 20.0, threads: int = 1) -> int:
    """Run due jobs until none is left or the budget is spent; returns how many ran.

    ``threads`` > 1 drains with that many threads, each claiming its own jobs on its own
    connection (SKIP LOCKED, as between workers): jobs that mostly wait (a webhook's HTTP
    answer, an SMTP server) overlap instead of queueing behind each other. Inside a
    transaction (a test's) it runs alone, so the jobs see the caller's rows; so it does on a
    database without SKIP LOCKED (the embedded SQLite, whose writers would lock each other out)."""
    deadline = time.monotonic() + budget_seconds
    skip_locked = connection.features.has_select_for_update_skip_locked
    if threads <= 1 or connection.in_atomic_block or not skip_locked:
        return _drain(deadline)
    with ThreadPoolExecutor(threads, thread_name_prefix="csops-jobs") as pool:
        return sum(pool.map(_drain_in_thread, [deadline] * threads))
