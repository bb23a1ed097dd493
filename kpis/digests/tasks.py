"""The beat task that makes the digest run due (its schedule: csops/celery.py)."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from csops import jobs
from kpis.digests import services


@shared_task(name="kpis.enqueue_digest_run", ignore_result=True)
def enqueue_digest_run() -> bool:
    """Make the one digest-run job due (a run under way is left alone)."""
    with transaction.atomic():
        return jobs.enqueue_recurring(services.RUN, key=services.RUN_KEY)
