"""Incident tasks (thin): detect volume spikes. Update deliveries are jobs (tickets/jobs.py)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from tickets.services import spikes


@shared_task(name="tickets.detect_ticket_spikes")
def detect_ticket_spikes() -> int:
    """Check the last complete hour (beat runs it a few minutes past each hour)."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    return len(spikes.detect_spikes(hour))
