from __future__ import annotations

import socket
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from csops.jobs import dispatcher, oldest_due_age, runner, wake
from csops.jobs.queue import purge_finished
from csops.models import Heartbeat


@shared_task(name="csops.tasks.record_heartbeat", ignore_result=True)
def record_heartbeat() -> None:
    Heartbeat.objects.update_or_create(
        component="worker",
        defaults={"seen_at": timezone.now(), "hostname": socket.gethostname()},
    )


@shared_task(name="csops.tasks.run_due_jobs", ignore_result=True)
def run_due_jobs() -> int:
    """Run due job rows (beat every few seconds, and woken on commit); re-wake while more are
    due after this run's time budget. Where this process has job threads, only wake them."""
    if dispatcher.poke():
        return 0
    ran = runner.run_due(threads=settings.JOB_THREADS)
    if ran and oldest_due_age() is not None:
        wake()
    return ran


@shared_task(name="csops.tasks.purge_finished_jobs", ignore_result=True)
def purge_finished_jobs() -> int:
    """Daily: forget finished jobs after ``JOB_RETENTION_DAYS`` (the admin shows the rest)."""
    return purge_finished(timedelta(days=settings.JOB_RETENTION_DAYS))
