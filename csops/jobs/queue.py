"""Enqueue jobs and read the queue's state."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from csops.jobs.wake import wake_on_commit
from csops.models import JOB_MAX_ATTEMPTS, Job

UNFINISHED = (Job.State.PENDING, Job.State.RUNNING)


def enqueue(
    kind: str,
    *,
    key: str,
    payload: dict[str, Any] | None = None,
    due_at: datetime | None = None,
    priority: int = Job.Priority.NORMAL,
) -> Job:
    """Record a job in the caller's transaction (once per ``key``: a second call returns the
    existing row). A job due now wakes a worker when the transaction commits. Due jobs are
    claimed by ``priority``, then oldest first."""
    now = timezone.now()
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                key=key,
                payload=payload or {},
                due_at=due_at or now,
                priority=priority,
                created_at=now,
            )
    except IntegrityError:
        return Job.objects.get(key=key)
    if job.due_at <= now:
        wake_on_commit()
    return job


def enqueue_recurring(kind: str, *, key: str, payload: dict[str, Any] | None = None) -> bool:
    """Make the one job of ``key`` due now (work that recurs, such as a mailbox's poll): create
    it, or make it pending again when it has finished. A pending or running one is left as it
    is, so at most one run per key is under way. True when the job was made due."""
    now = timezone.now()
    again = Job.objects.filter(key=key, state__in=(Job.State.DONE, Job.State.FAILED)).update(
        kind=kind,
        payload=payload or {},
        state=Job.State.PENDING,
        due_at=now,
        attempts=0,
        last_error="",
        finished_at=None,
    )
    if not again:
        if Job.objects.filter(key=key).exists():
            return False
        enqueue(kind, key=key, payload=payload)
        return True
    wake_on_commit()
    return True


def purge_finished(older_than: timedelta, *, batch: int = 10_000) -> int:
    """Delete done and failed jobs finished before ``now - older_than`` (their effects live in
    their own rows: a delivered update, a sent mail); returns how many went."""
    cutoff = timezone.now() - older_than
    gone = 0
    for state in (Job.State.DONE, Job.State.FAILED):
        while True:
            ids = list(
                Job.objects.filter(state=state, finished_at__lt=cutoff).values_list(
                    "pk", flat=True
                )[:batch]
            )
            if not ids:
                break
            gone += Job.objects.filter(pk__in=ids).delete()[0]
    return gone


def attempts_within(limit: int) -> int:
    """``limit``, at most a job's own attempts: a domain row that counts its tries must give
    up no later than the job that retries it, or it would stay pending for ever."""
    return min(limit, JOB_MAX_ATTEMPTS)


def oldest_due_age(now: datetime | None = None) -> float | None:
    """Seconds since the longest-waiting unfinished job fell due (None when nothing is due)."""
    now = now or timezone.now()
    due = (
        Job.objects.filter(state__in=UNFINISHED, due_at__lte=now)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    return None if due is None else (now - due).total_seconds()
