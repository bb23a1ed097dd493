"""Incident tasks (thin): deliver an update to its linked tickets; detect volume spikes."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from tickets.models import IncidentUpdate
from tickets.services import incidents, spikes

MAX_INVOCATIONS = 1000  # cap on self re-enqueues of one update (50 tickets each)


@shared_task(
    name="tickets.deliver_incident_update",
    acks_late=True,  # idempotent: each delivery row is claimed and marked once
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=5,
)
def deliver_incident_update(update_id: int, invocation: int = 1) -> int:
    """Deliver one batch; re-enqueue while deliveries remain. Returns how many remain."""
    if not IncidentUpdate.objects.filter(pk=update_id).exists():
        return 0
    remaining = incidents.deliver_batch(update_id)
    if remaining and invocation < MAX_INVOCATIONS:
        deliver_incident_update.delay(update_id, invocation + 1)
    return remaining


@shared_task(name="tickets.detect_ticket_spikes")
def detect_ticket_spikes() -> int:
    """Check the last complete hour (beat runs it a few minutes past each hour)."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    return len(spikes.detect_spikes(hour))
