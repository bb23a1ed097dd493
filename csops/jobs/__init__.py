"""Durable background work (DESIGN.md, "Background work that survives faults").

An app enqueues a job row inside its own transaction (``enqueue``) and registers a handler for
its kind (``@handler`` in the app's ``jobs.py``, imported at start-up). A beat task claims due
rows with SKIP LOCKED and runs them (``runner.run_due``); the broker message sent on commit
only makes that happen sooner. Handlers must be idempotent: a job whose worker died is run
again once its lease has passed.
"""

from csops.jobs.queue import attempts_within, enqueue, enqueue_recurring, oldest_due_age
from csops.jobs.registry import Again, handler
from csops.jobs.wake import wake
from csops.models import Job

Priority = Job.Priority

__all__ = [
    "Again",
    "Priority",
    "attempts_within",
    "enqueue",
    "enqueue_recurring",
    "handler",
    "oldest_due_age",
    "wake",
]
