"""Reads of budgets, scoped to the user (``permissions.budget_team_scope``): the line × month
grid with variance, cost per resolved ticket and per contact (volumes from kpis through
``volumes``), training spend per person, and the staffing plan's cost."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import cast

from django.contrib.auth.models import User
from django.db.models import Case, DecimalField, F, QuerySet, Sum, When
from django.db.models.functions import Coalesce

from csops import permissions
from csops.errors import NotFound
from staffing.budget import figures, volumes
from staffing.budget.figures import PlanMonth, UnitCost
from staffing.budget.models import Budget, CostCategory, CostLine, CostRole, LineMonth, RoleCost
from staffing.models import Team, TrainingRecord
from staffing.planning import selectors as planning

ZERO = Decimal("0")


def budgets_for(user: User) -> QuerySet[Budget]:
    permissions.ensure_can_read_budgets(user)
    return Budget.objects.order_by("-fiscal_year")


def budget_for(user: User, pk: int) -> Budget:
    budget = budgets_for(user).filter(pk=pk).first()
    if budget is None:
        raise NotFound(f"Budget #{pk} does not exist.")
    return budget


def budget_covering(day: date) -> Budget | None:
    for b in Budget.objects.filter(first_month__lte=day).order_by("-first_month")[:1]:
        if day < b.end:
            return b
    return None


def lines_for(user: User, budget: Budget) -> QuerySet[CostLine]:
    return permissions.scope_budget_lines(user, budget.lines.select_related("team")).order_by(
        "category", "team__tier", "team__name", "label"
    )


@dataclass
class Cell:
    """Planned, actual and their variance. A total's variance compares its actual with the
    plan of the cells whose actual is known (``compared``), not with the whole plan."""

    planned: Decimal = ZERO
    actual: Decimal | None = None
    headcount: Decimal | None = None
    compared: Decimal = ZERO

    @classmethod
    def of(cls, m: LineMonth) -> Cell:
        compared = m.planned if m.actual is not None else ZERO
        return cls(m.planned, m.actual, m.headcount, compared)

    @property
    def variance(self) -> Decimal | None:
        return figures.variance(self.compared, self.actual)[0]

    @property
    def variance_pct(self) -> Decimal | None:
        return figures.variance(self.compared, self.actual)[1]

    def add(self, other: Cell) -> None:
        self.planned += other.planned
        self.compared += other.compared
        if other.actual is not None:
            self.actual = (self.actual or ZERO) + other.actual


@dataclass
class LineRow:
    line: CostLine
    cells: list[Cell]
    total: Cell = field(default_factory=Cell)


@dataclass
class Grid:
    months: list[date]
    rows: list[LineRow]
    totals: list[Cell]  # per month
    total: Cell
    categories: list[tuple[str, Cell]]


def grid(user: User, budget: Budget) -> Grid:
    """Every line the user reads × the twelve months, with totals per line, month and
    category (two queries)."""
    months = budget.months
    index = {m: i for i, m in enumerate(months)}
    rows, totals, total = [], [Cell() for _ in months], Cell()
    by_category: dict[str, Cell] = {c.value: Cell() for c in CostCategory}
    for line in lines_for(user, budget).prefetch_related("months"):
        cells = [Cell() for _ in months]
        for m in line.months.all():
            cells[index[m.month]] = Cell.of(m)
        row = LineRow(line, cells)
        for i, cell in enumerate(cells):
            row.total.add(cell)
            totals[i].add(cell)
        by_category[line.category].add(row.total)
        total.add(row.total)
        rows.append(row)
    categories = [(CostCategory(c).label, cell) for c, cell in by_category.items()]
    return Grid(months, rows, totals, total, categories)


def months_with_actuals(budget: Budget) -> list[date]:
    return sorted(
        set(
            LineMonth.objects.filter(line__budget=budget, actual__isnull=False).values_list(
                "month", flat=True
            )
        )
    )


def actual_by_team(budget: Budget, months: list[date]) -> dict[int | None, Decimal]:
    rows = (
        LineMonth.objects.filter(line__budget=budget, month__in=months, actual__isnull=False)
        .values("line__team_id")
        .annotate(total=Sum("actual"))
    )
    return {r["line__team_id"]: r["total"] for r in rows}


def _volumes_in(months: list[date]) -> dict[int, dict[str, dict[str, int]]] | None:
    """The provider's volumes summed over ``months`` per team and channel."""
    if not months:
        return {}
    data = volumes.monthly_volumes(months[0], _next(months[-1]))
    if data is None:
        return None
    keys = {f"{m:%Y-%m}" for m in months}
    out: dict[int, dict[str, dict[str, int]]] = {}
    for team, by_month in data.items():
        for key, channels in by_month.items():
            if key not in keys:
                continue
            for ch, v in channels.items():
                cell = out.setdefault(int(team), {}).setdefault(ch, {"resolved": 0, "contacts": 0})
                cell["resolved"] += v["resolved"]
                cell["contacts"] += v["contacts"]
    return out


def _next(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


@dataclass
class UnitCostTable:
    months: list[date]  # the months with actuals (fiscal year to date)
    rows: list[tuple[str, str, UnitCost]]  # (team name, channel label, figures)
    connected: bool  # False: no KPI engine handed volumes over


def unit_cost_table(user: User, budget: Budget) -> UnitCostTable:
    """Cost per resolved ticket and per contact by team and channel over the months with
    actuals. Shared costs are split over every team (see ``figures``); a manager then sees
    their teams' rows only."""
    months = months_with_actuals(budget)
    vols = _volumes_in(months)
    if vols is None:
        return UnitCostTable(months, [], False)
    rows = figures.unit_costs(actual_by_team(budget, months), vols) if months else []
    scope = permissions.budget_team_scope(user)
    names = dict(Team.objects.values_list("pk", "name"))
    out = []
    for r in rows:
        if scope is not None and (r.team_id is None or r.team_id not in scope):
            continue
        team = names.get(r.team_id, f"Team #{r.team_id}") if r.team_id else "All teams"
        out.append((team, channel_label(r.channel), r))
    return UnitCostTable(months, out, True)


def channel_label(channel: str) -> str:
    return {"": "All channels", "api": "API", "web": "Web form"}.get(
        channel, channel.replace("_", " ").capitalize()
    )


@dataclass
class TrainingSpend:
    spend: Decimal
    people: list[tuple[User, Decimal, Decimal]]  # (person, completed hours, their part)
    per_person: Decimal | None  # spend ÷ people trained


def training_spend(user: User, budget: Budget) -> TrainingSpend:
    """The training lines' actual spend this fiscal year, split between the people who
    completed courses in it by their hours (the record's hours, else the course's)."""
    spend = LineMonth.objects.filter(
        line__budget=budget, line__category=CostCategory.TRAINING, actual__isnull=False
    ).aggregate(s=Coalesce(Sum("actual"), ZERO))["s"]
    hours_of = (
        TrainingRecord.objects.filter(
            completed_on__gte=budget.first_month, completed_on__lt=budget.end
        )
        .values("user_id")
        .annotate(
            h=Sum(
                Coalesce("hours", "course__hours"),
                output_field=DecimalField(max_digits=10, decimal_places=2),
            )
        )
    )
    hours = {r["user_id"]: r["h"] for r in hours_of if r["h"]}
    parts = figures.training_per_person(spend, hours)
    scope = permissions.budget_team_scope(user)
    people = User.objects.filter(pk__in=parts).order_by("first_name", "last_name", "username")
    if scope is not None:
        people = people.filter(teams__in=scope).distinct()
    rows = [(p, hours[p.pk], parts[p.pk]) for p in people]
    return TrainingSpend(spend, rows, figures.per(spend, len(parts)) if parts else None)


@dataclass
class PlanCost:
    team: Team
    months: list[PlanMonth]
    tickets_per_contact: Decimal
    has_forecast: bool
    loaded_cost_missing: bool


def _recent_months(today: date, n: int = 3) -> list[date]:
    first = today.replace(day=1)
    out = []
    for _ in range(n):
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
        out.append(first)
    return sorted(out)


def plan_cost(
    team: Team, *, today: date, hires: int = 0, hires_from: date | None = None
) -> PlanCost:
    """The team's forecast months (the planning requirement, 12 weeks ahead) priced with the
    budgets covering them: required FTE × a rep's loaded cost, the budget's rep headcount
    (plus ``hires`` extra reps from ``hires_from``, else from the first month) and the team's
    other planned costs with its contact share of department-wide ones, over the forecast
    tickets."""
    plan = planning.team_plan(team)
    weeks: list[tuple[date, float, float]] = [
        (cast(date, w.start), w.fte(plan.params.hours_per_fte), float(sum(w.contacts.values())))
        for w in plan.weeks
    ]
    recent = _volumes_in(_recent_months(today)) or {}
    mine = recent.get(team.pk, {})
    contacts = sum(c["contacts"] for c in mine.values())
    resolved = sum(c["resolved"] for c in mine.values())
    all_contacts = sum(c["contacts"] for chs in recent.values() for c in chs.values())
    ratio = Decimal(resolved) / contacts if contacts else Decimal("1")
    share = Decimal(contacts) / all_contacts if all_contacts else ZERO
    months = sorted({start.replace(day=1) for start, _, _ in weeks})
    if hires and hires_from is None and months:
        hires_from = months[0]  # no month given: hired now
    headcount: dict[date, Decimal] = defaultdict(lambda: ZERO)
    other: dict[date, Decimal] = defaultdict(lambda: ZERO)
    rows = LineMonth.objects.filter(month__in=months).filter(
        line__team__isnull=True
    ) | LineMonth.objects.filter(month__in=months, line__team=team)
    rep_salaries = Case(When(line__role=CostRole.REP, line__team=team, then=1), default=0)
    for r in rows.annotate(rep=rep_salaries).values(
        "month", "rep", "headcount", "planned", team_id=F("line__team_id")
    ):
        if r["rep"]:
            headcount[r["month"]] += r["headcount"] or ZERO
        elif r["team_id"] is None:
            other[r["month"]] += r["planned"] * share
        else:
            other[r["month"]] += r["planned"]
    costs = {}
    missing = False
    for m in months:
        b = budget_covering(m)
        row = RoleCost.objects.filter(budget=b, role=CostRole.REP).first() if b else None
        costs[m] = row.monthly_cost if row else ZERO
        missing = missing or row is None
    out = []
    for m in months:
        out += figures.plan_months(
            [w for w in weeks if w[0].replace(day=1) == m],
            loaded_cost=costs[m],
            headcount=headcount,
            other_cost={k: figures.cents(v) for k, v in other.items()},
            tickets_per_contact=ratio,
            hires=hires,
            hires_from=hires_from,
        )
    return PlanCost(team, out, ratio.quantize(Decimal("0.001")), bool(weeks), missing)
