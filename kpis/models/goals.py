"""Targets a director sets per metric, team (or all teams) and period (``kpis.goals``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Hours(models.TextChoices):
    BUSINESS = "business", "Business hours"
    CALENDAR = "calendar", "Calendar hours"


class Goal(models.Model):
    # A key of kpis.definitions.METRICS (validated by kpis.goals; no DB choices, so adding a
    # metric needs no migration).
    metric = models.CharField(max_length=40)
    # Null: the whole department (every team).
    team = models.ForeignKey(
        "staffing.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="goals"
    )
    # Durations are measured in these hours; ignored for counts and rates.
    hours = models.CharField(max_length=10, choices=Hours.choices, default=Hours.BUSINESS)
    target = models.DecimalField(max_digits=12, decimal_places=2)
    # Inclusive reporting-zone dates.
    period_start = models.DateField()
    period_end = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-period_end", "metric", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="goal_period_ordered",
                violation_error_message="The period must end on or after its start.",
            ),
            models.UniqueConstraint(
                fields=["metric", "team", "hours", "period_start", "period_end"],
                name="goal_unique_per_scope",
                nulls_distinct=False,
                violation_error_message="A goal for this metric, team and period exists.",
            ),
        ]
        indexes = [
            # Tiles: the goals of a metric whose period covers a day.
            models.Index(fields=["metric", "period_end"], name="goal_metric_end"),
        ]

    def __str__(self) -> str:
        scope = self.team.name if self.team is not None else "All teams"
        return f"{self.metric} {scope} {self.period_start}–{self.period_end}"
