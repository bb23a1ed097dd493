"""Bookkeeping of the KPI worker: dirty rollup buckets, rebuild progress, heartbeat."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DirtyBucket(models.Model):
    """A (kind, day) whose rollup rows must be refolded. ``claimed_at`` is set by the fold
    that owns it (claims older than a few minutes are retaken: a killed worker). Every mark
    bumps ``generation``: the fold forgets the bucket only if it is still the generation it
    claimed, and un-claims it otherwise (a change marked during the fold)."""

    kind = models.CharField(max_length=20)
    day = models.DateField()
    marked_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    generation = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "day"], name="dirty_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.day}"


class RebuildJob(models.Model):
    """A full rebuild of the tickets up to ``max_ticket_id``, split into :class:`RebuildChunk`
    rows that workers claim in parallel. ``total``/``done``: tickets planned / in done chunks
    (the progress bar); ``heartbeat_at``: the last chunk committed (a stalled job is resumed)."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    max_ticket_id = models.BigIntegerField(default=0)
    total = models.IntegerField(default=0)
    done = models.IntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"rebuild {self.pk} ({self.state})"


class RebuildChunk(models.Model):
    """The tickets with ids in ``[lo, hi]`` of a rebuild. A worker claims an undone chunk
    (``FOR UPDATE SKIP LOCKED``), and computes, writes and sets ``done_at`` in that same
    transaction: a killed worker's chunk is simply undone again."""

    job = models.ForeignKey(RebuildJob, on_delete=models.CASCADE, related_name="chunks")
    lo = models.BigIntegerField()
    hi = models.BigIntegerField()
    tickets = models.IntegerField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Also the claim's index: (job, lo) walks a job's chunks in order.
            models.UniqueConstraint(fields=["job", "lo"], name="rebuild_chunk_unique"),
            models.CheckConstraint(
                condition=models.Q(lo__lte=models.F("hi")),
                name="rebuild_chunk_range",
                violation_error_message="A chunk's first ticket id must not exceed its last.",
            ),
        ]

    def __str__(self) -> str:
        return f"rebuild {self.job_id} tickets {self.lo}-{self.hi}"


class KpiHeartbeat(models.Model):
    """Singleton-ish rows ("refresh", "fold", "sweep"): when each loop last finished."""

    name = models.CharField(max_length=20, primary_key=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.at:%H:%M:%S}"
