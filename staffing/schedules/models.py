"""Weekly shift patterns and time-off / training blocks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday")]
WEEKDAYS += [(5, "Saturday"), (6, "Sunday")]


class Shift(models.Model):
    """One shift of a person's weekly pattern, working ``team``'s queue. Several shifts on a
    day make a split shift; ``end`` at or before ``start`` runs past midnight (overnight)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("staffing.Team", on_delete=models.CASCADE, related_name="shifts")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    start = models.TimeField()
    end = models.TimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "user", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="shift_weekday_range"),
            models.UniqueConstraint(
                fields=["user", "team", "weekday", "start"],
                name="shift_unique_start",
                violation_error_message="This person already has a shift starting then.",
            ),
        ]
        indexes = [
            # Scheduled agents per interval: a team's pattern.
            models.Index(fields=["team", "weekday"], name="shift_team_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def overnight(self) -> bool:
        return self.end <= self.start


class BlockKind(models.TextChoices):
    TIME_OFF = "time_off", "Time off"
    TRAINING = "training", "Training"


class Block(models.Model):
    """Time a person is off the queue: leave, or a scheduled course."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=BlockKind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="block_ends_after_start",
                violation_error_message="A block must end after it starts.",
            )
        ]
        indexes = [models.Index(fields=["user", "starts_at"], name="block_user_start")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"
