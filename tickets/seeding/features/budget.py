"""Budget demo data: the current fiscal year (it starts three months before the current
month, so three closed months have actuals whatever the day), loaded cost per role, a
salaries line per team (its members × a rep's cost), managers' and the director's salaries,
tools, training, recruiting and other lines, and actuals near plan for the closed months.
Made through the budget services, as the director."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User

from staffing.budget import services
from staffing.budget.models import Budget, CostCategory, CostRole, add_months
from staffing.models import Team

ROLE_COSTS = {CostRole.REP: "5200", CostRole.MANAGER: "7800", CostRole.DIRECTOR: "11500"}
# (category, name, monthly amount) of the department-wide lines
LINES = [
    (CostCategory.TOOLS, "Help desk and telephony seats", "3400"),
    (CostCategory.TRAINING, "Courses and certifications", "1500"),
    (CostCategory.RECRUITING, "Job ads and agency fees", "1200"),
    (CostCategory.OTHER, "Equipment and workspace", "900"),
]
# Actual ÷ planned of the closed months, cycled per line: a little over, a little under.
DRIFT = ["1.00", "1.03", "0.97", "1.06", "0.99", "1.11", "0.94"]
CLOSED_MONTHS = 3


def seed_budget(*, director: User, today: date) -> int:
    first = add_months(today.replace(day=1), -CLOSED_MONTHS)
    fiscal_year = add_months(first, 11).year
    if Budget.objects.filter(fiscal_year=fiscal_year).exists():
        return 0
    budget = services.create_budget(
        by=director, fiscal_year=fiscal_year, first_month=first, note="Demo budget"
    )
    for role, cost in ROLE_COSTS.items():
        services.set_role_cost(budget, by=director, role=role, monthly_cost=Decimal(cost))
    months = budget.months
    closed = months[:CLOSED_MONTHS]
    lines = []
    for team in Team.objects.order_by("tier", "name"):
        heads = Decimal(team.members.filter(is_active=True).count())
        line = services.add_line(
            budget,
            by=director,
            category=CostCategory.SALARIES,
            label=f"Reps · {team.name}",
            team=team,
            role=CostRole.REP,
        )
        lines.append((line, {m: heads for m in months}))
    managers = Decimal(User.objects.filter(managed_teams__isnull=False).distinct().count())
    for role, label, heads in [
        (CostRole.MANAGER, "Team managers", managers),
        (CostRole.DIRECTOR, "Director", Decimal("1")),
    ]:
        line = services.add_line(
            budget, by=director, category=CostCategory.SALARIES, label=label, role=role
        )
        lines.append((line, {m: heads for m in months}))
    for category, label, amount in LINES:
        line = services.add_line(budget, by=director, category=category, label=label)
        lines.append((line, {m: Decimal(amount) for m in months}))
    for i, (line, planned) in enumerate(lines):
        services.plan_line(line, by=director, planned=planned, actual={})
        rows = {m.month: m.planned for m in line.months.filter(month__in=closed)}
        actual = {
            m: (rows[m] * Decimal(DRIFT[(i + j) % len(DRIFT)])).quantize(Decimal("1"))
            for j, m in enumerate(closed)
        }
        services.plan_line(line, by=director, planned={}, actual=actual)
    return len(lines)
