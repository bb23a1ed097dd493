"""Beat task of the attachments: make the orphaned-file cleanup job due."""

from __future__ import annotations

from celery import shared_task

from tickets.attachments import cleanup


@shared_task(name="tickets.enqueue_orphan_file_cleanup", ignore_result=True)
def enqueue_orphan_file_cleanup() -> bool:
    """Daily: the job row is the truth (a killed worker's run is redone when its lease
    passes); this only makes it due."""
    return cleanup.enqueue()
