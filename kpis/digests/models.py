"""KPI digest subscriptions and their deliveries (``kpis.digests``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


class DigestSubscription(models.Model):
    """A person's weekly or monthly digest (one per person and cadence). ``teams`` empty: the
    whole of their scope in one section (every team for a director, their teams for a
    manager); else one section per chosen team. ``since``: when it was (re)activated; the
    first digest covers the period in which that falls."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kpi_digests"
    )
    cadence = models.CharField(max_length=10, choices=Cadence.choices)
    teams = models.ManyToManyField("staffing.Team", blank=True, related_name="+")
    business_hours = models.BooleanField(default=False)  # durations in business hours
    active = models.BooleanField(default=True)
    since = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "cadence"], name="digest_one_per_cadence"),
        ]
        indexes = [
            # The recurring job: active subscriptions of a cadence.
            models.Index(
                fields=["cadence", "since"], name="digest_active", condition=models.Q(active=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_cadence_display()} digest of {self.user}"


class DigestDelivery(models.Model):
    """One digest of one subscription for one period, written in the transaction that queues
    its mail: the unique (subscription, period) is what sends it once. ``skipped``: nothing
    was sent (the person no longer reads dashboards or has no address), and ``note`` says why."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued in the outbox"
        SKIPPED = "skipped", "Skipped"

    subscription = models.ForeignKey(
        DigestSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices)
    note = models.CharField(max_length=200, blank=True)
    as_of = models.DateTimeField()  # the instant the figures were read (the live backlog's)
    message = models.ForeignKey(
        "tickets.OutboundMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period_start"], name="digest_once_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscription} {self.period_start}–{self.period_end} ({self.state})"
