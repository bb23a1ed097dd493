from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """Last sign of life of a background component (written by a beat-scheduled task)."""

    component = models.CharField(max_length=40, primary_key=True)
    seen_at = models.DateTimeField()
    hostname = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.component} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class Notification(models.Model):
    """An in-app notice for one staff member (SLA alerts, reminders, reviews to acknowledge).

    ``key`` makes a notice idempotent: the same key for the same user is stored once, so a
    periodic task that runs twice (or two workers at once) never notifies twice.
    """

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=200)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key"),
        ]
        indexes = [
            # The header badge and the notification list: a user's unread notices.
            models.Index(
                fields=["user", "read_at", "-created_at"], name="notification_user_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.text}"


# Tries before a job is failed for good; a domain row retried by a job (an outbox message, a
# webhook delivery) must give up within this (csops.jobs.attempts_within).
JOB_MAX_ATTEMPTS = 8


class Job(models.Model):
    """One unit of background work; the row is the truth, a broker message only wakes a worker.

    ``due_at`` is when it may run next: the claim moves it to the end of the lease, so a job
    whose worker died is claimed again once the lease has passed (csops.jobs.runner).
    ``key`` makes enqueueing idempotent (one job per key).
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Priority(models.IntegerChoices):
        """What a person waits for (a rep's reply mail, a webhook) goes before automatic
        bulk work (acknowledgments of a mail burst, an incident update's fan-out)."""

        NORMAL = 0, "Normal"
        BULK = 1, "Bulk"

    kind = models.CharField(max_length=80)
    key = models.CharField(max_length=200, unique=True)
    payload = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    due_at = models.DateTimeField()
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=JOB_MAX_ATTEMPTS)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # /healthz: what is due among the unfinished jobs, oldest first.
            models.Index(
                fields=["due_at"],
                name="job_unfinished_due",
                condition=models.Q(state__in=["pending", "running"]),
            ),
            # The claim: the same, by priority first.
            models.Index(
                fields=["priority", "due_at"],
                name="job_unfinished_claim",
                condition=models.Q(state__in=["pending", "running"]),
            ),
            # /healthz's count of given-up jobs, and the purge of old finished ones.
            models.Index(
                fields=["finished_at"], name="job_failed", condition=models.Q(state="failed")
            ),
            models.Index(fields=["finished_at"], name="job_done", condition=models.Q(state="done")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.state})"
