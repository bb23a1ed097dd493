"""Planning settings per team and saved what-if scenarios."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

LIVE_CHANNELS = ("phone", "chat")  # Erlang C; every other channel is deferred (workload)


class PlanningSettings(models.Model):
    """A team's planning targets; the what-if controls start from these."""

    team = models.OneToOneField("staffing.Team", on_delete=models.CASCADE, related_name="planning")
    service_level = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.800"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("0.999"))],
        help_text="Live channels: share of contacts answered within the target time.",
    )
    answer_seconds = models.PositiveIntegerField(default=20)
    shrinkage = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.300"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.95"))],
    )
    max_occupancy = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.850"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("1"))],
    )
    reply_target_hours = models.PositiveIntegerField(
        default=8, help_text="Deferred channels: work is spread over this reply window."
    )
    hours_per_fte = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("40"))
    history_weeks = models.PositiveSmallIntegerField(
        default=8, validators=[MinValueValidator(1), MaxValueValidator(26)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "planning settings"

    def __str__(self) -> str:
        return f"Planning settings of {self.team}"


class Scenario(models.Model):
    """A named set of what-if parameters with the totals they gave when saved."""

    team = models.ForeignKey("staffing.Team", on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(max_length=120)
    params = models.JSONField()
    totals = models.JSONField(help_text="Weekly agent-hours and FTE when saved.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "name"],
                name="scenario_team_name_unique",
                violation_error_message="This team already has a scenario with that name.",
            )
        ]

    def __str__(self) -> str:
        return self.name
