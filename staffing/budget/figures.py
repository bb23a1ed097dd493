"""Budget arithmetic on plain data (no ORM): variance, cost per resolved ticket and per contact,
training spend per person and the staffing plan's cost. Money is Decimal, rounded to cents
only at the end.

- Variance of a line and month = actual − planned (positive: over budget), and that as a
  percentage of planned (none when nothing was planned).
- Cost per unit: a team's actual spend plus a share of the department-wide spend (lines
  without a team) in proportion to the team's contacts; a team's cost is split between its
  channels in proportion to their contacts. Cost per resolved ticket = cost ÷ resolved
  tickets; cost per contact = cost ÷ contacts (tickets created + customer messages).
- Training spend per person: the training lines' actual spend split between the people who
  completed courses, in proportion to their completed hours.
- The staffing plan's cost per month: required FTE (the planning requirement's weeks that
  start in the month, averaged) × the rep's loaded monthly cost; the budget's rep headcount
  plus any extra hires from a month, × the same cost, with the team's other planned costs,
  over the forecast tickets (forecast contacts × the team's resolved tickets per contact).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def variance(planned: Decimal, actual: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    """(actual − planned, that in percent of planned); (None, None) without an actual."""
    if actual is None:
        return None, None
    diff = actual - planned
    pct = None if planned == 0 else (diff * 100 / planned).quantize(TENTH)
    return diff, pct


def per(cost: Decimal, n: Decimal | float | int) -> Decimal | None:
    return cents(cost / Decimal(str(n))) if n else None


@dataclass(frozen=True)
class UnitCost:
    team_id: int | None  # None: every team
    channel: str  # "": every channel of the team
    cost: Decimal
    resolved: int
    contacts: int

    @property
    def per_resolved(self) -> Decimal | None:
        return per(self.cost, self.resolved)

    @property
    def per_contact(self) -> Decimal | None:
        return per(self.cost, self.contacts)


def unit_costs(
    costs: dict[int | None, Decimal], volumes: dict[int, dict[str, dict[str, int]]]
) -> list[UnitCost]:
    """Per team (channel "") then its channels, and a last all-teams row. ``costs``: actual
    spend per team id (None: department-wide); ``volumes``: per team id, per channel,
    ``{"resolved": n, "contacts": n}`` over the same months."""
    shared = costs.get(None, Decimal("0"))
    team_contacts = {t: sum(c["contacts"] for c in chs.values()) for t, chs in volumes.items()}
    all_contacts = sum(team_contacts.values())
    rows: list[UnitCost] = []
    teams = sorted({t for t in costs if t is not None} | set(volumes))
    total_cost = Decimal("0")
    for team in teams:
        channels = volumes.get(team, {})
        share = shared * team_contacts.get(team, 0) / all_contacts if all_contacts else 0
        cost = costs.get(team, Decimal("0")) + share
        total_cost += cost
        contacts = team_contacts.get(team, 0)
        resolved = sum(c["resolved"] for c in channels.values())
        rows.append(UnitCost(team, "", cents(cost), resolved, contacts))
        for ch in sorted(channels):
            c = channels[ch]
            part = cost * c["contacts"] / contacts if contacts else Decimal("0")
            rows.append(UnitCost(team, ch, cents(part), c["resolved"], c["contacts"]))
    if not all_contacts:
        total_cost += shared  # nobody to share it with: it stays in the department total
    resolved = sum(c["resolved"] for chs in volumes.values() for c in chs.values())
    rows.append(UnitCost(None, "", cents(total_cost), resolved, all_contacts))
    return rows


def training_per_person(spend: Decimal, hours: dict[int, Decimal]) -> dict[int, Decimal]:
    """Each person's part of ``spend`` by their completed training hours."""
    total = sum(hours.values(), Decimal("0"))
    if not total:
        return {}
    return {person: cents(spend * h / total) for person, h in hours.items()}


@dataclass(frozen=True)
class PlanMonth:
    month: date
    weeks: int  # forecast weeks starting in the month
    required_fte: Decimal
    budget_headcount: Decimal  # reps the budget plans for the team
    hires: int  # extra reps of the what-if from their month on
    loaded_cost: Decimal  # a rep's loaded monthly cost
    other_cost: Decimal  # the team's other planned costs (and its share of shared ones)
    contacts: Decimal  # forecast for the month
    tickets: Decimal  # forecast contacts × resolved tickets per contact

    @property
    def required_cost(self) -> Decimal:
        return cents(self.required_fte * self.loaded_cost)

    @property
    def budget_cost(self) -> Decimal:
        return cents(self.budget_headcount * self.loaded_cost + self.other_cost)

    @property
    def with_hires_cost(self) -> Decimal:
        return cents((self.budget_headcount + self.hires) * self.loaded_cost + self.other_cost)

    @property
    def gap_fte(self) -> Decimal:
        """Reps short (negative) or spare (positive) against the requirement, with hires."""
        return self.budget_headcount + self.hires - self.required_fte

    @property
    def per_ticket_budget(self) -> Decimal | None:
        return per(self.budget_cost, self.tickets)

    @property
    def per_ticket_with_hires(self) -> Decimal | None:
        return per(self.with_hires_cost, self.tickets)


def plan_months(
    weeks: Iterable[tuple[date, float, float]],
    *,
    loaded_cost: Decimal,
    headcount: dict[date, Decimal],
    other_cost: dict[date, Decimal],
    tickets_per_contact: Decimal,
    hires: int = 0,
    hires_from: date | None = None,
) -> list[PlanMonth]:
    """One ``PlanMonth`` per month that a forecast week starts in. ``weeks``: (Monday, FTE
    required, contacts forecast); a month's FTE is its weeks' average, its contacts their
    weekly average × days in the month ÷ 7."""
    by_month: dict[date, list[tuple[float, float]]] = {}
    for start, week_fte, week_contacts in weeks:
        by_month.setdefault(start.replace(day=1), []).append((week_fte, week_contacts))
    out = []
    for month, rows in sorted(by_month.items()):
        n = len(rows)
        fte = (Decimal(str(sum(f for f, _ in rows))) / n).quantize(CENT)
        days = calendar.monthrange(month.year, month.month)[1]
        contacts = (Decimal(str(sum(c for _, c in rows))) / n * days / 7).quantize(TENTH)
        out.append(
            PlanMonth(
                month=month,
                weeks=n,
                required_fte=fte,
                budget_headcount=headcount.get(month, Decimal("0")),
                hires=hires if hires_from is not None and month >= hires_from else 0,
                loaded_cost=loaded_cost,
                other_cost=other_cost.get(month, Decimal("0")),
                contacts=contacts,
                tickets=(contacts * tickets_per_contact).quantize(TENTH),
            )
        )
    return out
