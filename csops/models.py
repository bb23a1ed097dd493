from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """Last sign of life of a background component (written by a beat-scheduled task)."""

    component = models.CharField(max_length=40, primary_key=True)
    seen_at = models.DateTimeField()
    hostname = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.component} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
