"""Abstract bases of an outgoing endpoint and of one of its deliveries: the columns both
apps' tables have alike (each app's migrations keep them; nothing here is a table)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class Endpoint(models.Model):
    """An URL that csops posts to. ``failure_streak`` counts deliveries in a row that failed
    for good; at ``WEBHOOK_PAUSE_AFTER`` the endpoint is paused (``active`` off, ``paused_at``
    set) and someone told (``streak``)."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    active = models.BooleanField(default=True)
    failure_streak = models.PositiveIntegerField(default=0)
    paused_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        abstract = True


class Delivery(models.Model):
    """One message to one endpoint and the log of its tries. A subclass gives ``state`` its
    choices (pending, delivered, failed, cancelled) with its own labels."""

    state = models.CharField(max_length=10, default="pending")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def finish(self, state: str) -> None:
        self.state, self.finished_at = state, timezone.now()
