"""Performance reviews: a periodic review of one rep with a snapshot of their figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class PerformanceReview(models.Model):
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="performance_reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="performance_reviews_given"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    summary = models.TextField()
    goals = models.TextField(blank=True, help_text="Goals for the next period.")
    # Figures for the period, frozen when the review is written (see services.reviews).
    snapshot = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="perf_review_period_order",
                violation_error_message="The period must end on or after its start.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rep} {self.period_start}–{self.period_end}"
