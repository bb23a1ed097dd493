"""A fiscal year's budget: loaded cost per role, cost lines, and each line's months."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class CostCategory(models.TextChoices):
    SALARIES = "salaries", "Salaries"
    TOOLS = "tools", "Tools"
    TRAINING = "training", "Training"
    RECRUITING = "recruiting", "Recruiting"
    OTHER = "other", "Other"


class CostRole(models.TextChoices):
    """Whose salaries a line holds; the staffing plan's required FTE are reps."""

    REP = "Rep", "Support rep"
    MANAGER = "Manager", "Team manager"
    DIRECTOR = "Director", "Director"


def add_months(first: date, n: int) -> date:
    """The 1st of the month ``n`` months after ``first``'s (n may be negative)."""
    y, m = divmod(first.month - 1 + n, 12)
    return date(first.year + y, m + 1, 1)


class Budget(models.Model):
    """One fiscal year of twelve months from ``first_month`` (the 1st of a month)."""

    fiscal_year = models.PositiveSmallIntegerField(
        unique=True, help_text="The year the fiscal year ends in (FY2026 may start in 2025)."
    )
    first_month = models.DateField(help_text="The first day of the fiscal year's first month.")
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-fiscal_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_month__day=1),
                name="budget_first_month_starts_on_the_1st",
                violation_error_message="A fiscal year starts on the 1st of a month.",
            )
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year}"

    @property
    def months(self) -> list[date]:
        return [add_months(self.first_month, i) for i in range(12)]

    @property
    def end(self) -> date:
        """The day after the fiscal year."""
        return add_months(self.first_month, 12)


class RoleCost(models.Model):
    """Loaded monthly cost of one full-time person in a role (salary, taxes, benefits)."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="role_costs")
    role = models.CharField(max_length=10, choices=CostRole.choices)
    monthly_cost = models.DecimalField(max_digits=10, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["budget", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "role"],
                name="role_cost_unique",
                violation_error_message="This budget already has a cost for that role.",
            ),
            models.CheckConstraint(
                condition=Q(monthly_cost__gte=0),
                name="role_cost_not_negative",
                violation_error_message="A loaded cost cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.monthly_cost}/month"


class CostLine(models.Model):
    """A line of the budget, for one team or (team empty) the whole department. A salaries
    line names a role; its planned amounts are headcount × the role's loaded cost."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(max_length=10, choices=CostCategory.choices)
    label = models.CharField(max_length=120)
    team = models.ForeignKey(
        "staffing.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=10, choices=CostRole.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["budget", "category", "team", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "category", "label", "team"],
                nulls_distinct=False,
                name="cost_line_unique",
                violation_error_message="This budget already has that line.",
            ),
            models.CheckConstraint(
                condition=Q(category="salaries", role__gt="")
                | (~Q(category="salaries") & Q(role="")),
                name="cost_line_role_iff_salaries",
                violation_error_message="Salaries lines name a role; other lines none.",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_salaries(self) -> bool:
        return self.category == CostCategory.SALARIES


class LineMonth(models.Model):
    """A line's plan and actual for one month (``month`` = its 1st day)."""

    line = models.ForeignKey(CostLine, on_delete=models.CASCADE, related_name="months")
    month = models.DateField()
    headcount = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, help_text="Salaries lines: FTE."
    )
    planned = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    actual = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "month"],
                name="line_month_unique",
                violation_error_message="This line already has that month.",
            ),
            models.CheckConstraint(
                condition=Q(planned__gte=0)
                & (Q(actual__isnull=True) | Q(actual__gte=0))
                & (Q(headcount__isnull=True) | Q(headcount__gte=0)),
                name="line_month_not_negative",
                violation_error_message="Amounts and headcount cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.month:%Y-%m}"

    @property
    def variance(self) -> Decimal | None:
        """Actual − planned (positive: over budget); None before the actual is known."""
        return None if self.actual is None else self.actual - self.planned
