"""Enqueue jobs and read the queue's state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from csops.jobs.wake import wake_on_commit
from csops.models import Job

UNFINISHED = (Job.State.PENDING, Job.State.RUNNING)


def enqueue(
    kind: str, *, key: str, payload: dict[str, Any] | None = None, due_at: datetime | None = None
) -> Job:
    """Record a job in the caller's transaction (once per ``key``: a second call returns the
    existing row). A job due now wakes a worker when the transaction commits."""
    now = timezone.now()
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind, key=key, payload=payload or {}, due_at=due_at or now, created_at=now
            )
    except IntegrityError:
        return Job.objects.get(key=key)
    if job.due_at <= now:
        wake_on_commit()
    return job


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
