"""Writes of budgets (directors only, ``permissions.ensure_can_manage_budgets``): the fiscal
year, loaded cost per role, cost lines, each month's plan and actual, and an actuals CSV
import. Salaries lines' planned amounts are always headcount × the role's loaded cost."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from csops import permissions
from csops.errors import InvalidInput, NotFound
from staffing.budget.figures import cents
from staffing.budget.models import (
    Budget,
    CostCategory,
    CostLine,
    CostRole,
    LineMonth,
    RoleCost,
)
from staffing.models import Team

MAX_AMOUNT = Decimal("9999999999.99")  # LineMonth.planned / actual (12 digits)
MAX_ROLE_COST = Decimal("99999999.99")  # RoleCost.monthly_cost (10 digits)
MAX_HEADCOUNT = Decimal("9999.99")  # LineMonth.headcount (6 digits)
ZERO = Decimal("0")


def create_budget(*, by: User, fiscal_year: int, first_month: date, note: str = "") -> Budget:
    permissions.ensure_can_manage_budgets(by)
    if first_month.day != 1:
        raise InvalidInput(
            "A fiscal year starts on the 1st of a month.", fields={"first_month": ["Not a 1st."]}
        )
    try:
        with transaction.atomic():
            return Budget.objects.create(
                fiscal_year=fiscal_year,
                first_month=first_month,
                note=note,
                created_by=by,
                created_at=timezone.now(),
            )
    except IntegrityError:
        raise InvalidInput(
            f"There is already a budget for FY{fiscal_year}.",
            fields={"fiscal_year": ["This fiscal year has a budget."]},
        ) from None


def _role_cost(budget: Budget, role: str) -> Decimal:
    row = RoleCost.objects.filter(budget=budget, role=role).first()
    return row.monthly_cost if row else ZERO


def set_role_cost(budget: Budget, *, by: User, role: str, monthly_cost: Decimal) -> RoleCost:
    """Set a role's loaded monthly cost and re-plan the salaries lines of that role."""
    permissions.ensure_can_manage_budgets(by)
    if role not in CostRole.values:
        raise InvalidInput(f"{role!r} is not a role.", fields={"role": ["Unknown role."]})
    if not monthly_cost.is_finite() or monthly_cost < 0 or monthly_cost > MAX_ROLE_COST:
        raise InvalidInput(
            "A loaded cost is between 0 and 99,999,999.99 a month.",
            fields={"monthly_cost": ["Out of range."]},
        )
    with transaction.atomic():
        row, _ = RoleCost.objects.select_for_update().update_or_create(
            budget=budget, role=role, defaults={"monthly_cost": monthly_cost}
        )
        months = LineMonth.objects.filter(
            line__budget=budget, line__role=role, headcount__isnull=False
        ).order_by("pk")
        for m in months.select_for_update(of=("self",)):
            m.planned = _salaries(m.headcount or ZERO, monthly_cost)
            m.save(update_fields=["planned"])
    return row


def add_line(
    budget: Budget,
    *,
    by: User,
    category: str,
    label: str,
    team: Team | None = None,
    role: str = "",
) -> CostLine:
    """A new line with its twelve months, planned at zero."""
    permissions.ensure_can_manage_budgets(by)
    label = label.strip()
    if category not in CostCategory.values:
        raise InvalidInput(f"{category!r} is not a category.", fields={"category": ["Unknown."]})
    if not label:
        raise InvalidInput("Give the line a name.", fields={"label": ["Give it a name."]})
    salaries = category == CostCategory.SALARIES
    if salaries and role not in CostRole.values:
        raise InvalidInput(
            "A salaries line names the role it pays.", fields={"role": ["Choose a role."]}
        )
    try:
        with transaction.atomic():
            line = CostLine.objects.create(
                budget=budget,
                category=category,
                label=label,
                team=team,
                role=role if salaries else "",
            )
            bulk_create_with_history(
                [
                    LineMonth(line=line, month=m, headcount=ZERO if salaries else None)
                    for m in budget.months
                ],
                LineMonth,
                default_user=by,
            )
    except IntegrityError:
        raise InvalidInput(
            "This budget already has that line.",
            fields={"label": ["A line of this category and team has that name."]},
        ) from None
    return line


def _salaries(headcount: Decimal, cost: Decimal) -> Decimal:
    planned = cents(headcount * cost)
    if planned > MAX_AMOUNT:
        message = f"{headcount} × {cost} is more than a month's line can hold (9,999,999,999.99)."
        raise InvalidInput(message, fields={"planned": [message]})
    return planned


def _amount(value: Decimal | None, field: str) -> Decimal | None:
    if value is None:
        return None
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
        raise InvalidInput(
            "Amounts are between 0 and 9,999,999,999.99.", fields={field: ["Out of range."]}
        )
    return cents(value)


def plan_line(
    line: CostLine,
    *,
    by: User,
    planned: dict[date, Decimal | None],
    actual: dict[date, Decimal | None],
) -> CostLine:
    """Set a line's months: ``planned`` holds amounts, or headcount (FTE) for a salaries
    line; ``actual`` the spend (None: not known yet). Months not given are unchanged."""
    permissions.ensure_can_manage_budgets(by)
    cost = _role_cost(line.budget, line.role) if line.is_salaries else ZERO
    with transaction.atomic():
        months = {m.month: m for m in line.months.order_by("pk").select_for_update()}
        unknown = (set(planned) | set(actual)) - set(months)
        if unknown:
            raise InvalidInput(
                f"{min(unknown):%B %Y} is not in FY{line.budget.fiscal_year}.",
                fields={"month": ["Outside the fiscal year."]},
            )
        for month, row in months.items():
            if month in planned and planned[month] is not None:
                value = _amount(planned[month], "planned") or ZERO
                if line.is_salaries:
                    if value > MAX_HEADCOUNT:
                        message = "Headcount is at most 9,999.99."
                        raise InvalidInput(message, fields={"planned": [message]})
                    row.headcount = value
                    row.planned = _salaries(value, cost)
                else:
                    row.planned = value
            if month in actual:
                row.actual = _amount(actual[month], "actual")
            row.save(update_fields=["headcount", "planned", "actual"])
    return line


def delete_line(line_id: int, *, by: User) -> None:
    permissions.ensure_can_manage_budgets(by)
    deleted, _ = CostLine.objects.filter(pk=line_id).delete()
    if not deleted:
        raise NotFound(f"Cost line #{line_id} does not exist.")


IMPORT_HEADER = ["month", "category", "line", "team", "actual"]
MAX_IMPORT_ERRORS = 20


def import_actuals(budget: Budget, *, by: User, text: str) -> int:
    """Record actuals from CSV: ``month,category,line,team,actual`` (month YYYY-MM in the
    fiscal year; category as on the page; line: its name; team: its name, or empty for a
    department-wide line; actual: an amount, empty to clear it). All or nothing: any bad row
    refuses the whole file, naming each row's problem. Returns the rows recorded."""
    permissions.ensure_can_manage_budgets(by)
    lines = {
        (line.category, line.label.lower(), (line.team.name.lower() if line.team else "")): line
        for line in budget.lines.select_related("team")
    }
    categories = {c.value: c.value for c in CostCategory} | {
        c.label.lower(): c.value for c in CostCategory
    }
    months = set(budget.months)
    found: dict[tuple[int, date], Decimal | None] = {}
    errors: list[str] = []
    for n, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or all(not c.strip() for c in row):
            continue
        if n == 1 and [c.strip().lower() for c in row] == IMPORT_HEADER:
            continue
        if len(row) != 5:
            errors.append(f"Row {n}: expected 5 columns (month,category,line,team,actual).")
            continue
        month_s, category_s, label, team, amount_s = (c.strip() for c in row)
        try:
            month = date.fromisoformat(f"{month_s}-01")
        except ValueError:
            errors.append(f"Row {n}: {month_s!r} is not a month (YYYY-MM).")
            continue
        if month not in months:
            errors.append(f"Row {n}: {month_s} is not in FY{budget.fiscal_year}.")
            continue
        category = categories.get(category_s.lower())
        line = lines.get((category or "", label.lower(), team.lower()))
        if line is None:
            where = f" of {team}" if team else " (department-wide)"
            errors.append(f"Row {n}: no {category_s or '?'} line {label!r}{where} in the budget.")
            continue
        amount: Decimal | None = None
        if amount_s:
            try:
                amount = Decimal(amount_s.replace(",", ""))
            except InvalidOperation:
                errors.append(f"Row {n}: {amount_s!r} is not an amount.")
                continue
            if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
                errors.append(f"Row {n}: the amount must be between 0 and 9,999,999,999.99.")
                continue
        if (line.pk, month) in found:
            errors.append(f"Row {n}: {label} for {month_s} is listed twice.")
            continue
        found[(line.pk, month)] = None if amount is None else cents(amount)
    if errors:
        shown = errors[:MAX_IMPORT_ERRORS]
        if len(errors) > MAX_IMPORT_ERRORS:
            shown.append(f"… and {len(errors) - MAX_IMPORT_ERRORS} more rows with problems.")
        raise InvalidInput("The actuals were not imported.", fields={"file": shown})
    if not found:
        raise InvalidInput("The file has no actuals.", fields={"file": ["No rows."]})
    with transaction.atomic():
        rows = (
            LineMonth.objects.filter(line_id__in={pk for pk, _ in found})
            .order_by("pk")
            .select_for_update()
        )
        for m in rows:
            if (m.line_id, m.month) in found:
                m.actual = found[(m.line_id, m.month)]
                m.save(update_fields=["actual"])
    return len(found)
