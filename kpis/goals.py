"""Goals: directors set targets per metric, team (or all) and period; tiles show their status.

Status rule (documented for directors on the goals page):
- The value to date is the metric over [period start, min(today, period end)] for the goal's
  team (all teams when none), measured in the goal's hours for durations.
- Projection to the period end: volumes (tickets created, resolved) are extrapolated linearly,
  value × days in period ÷ days elapsed; every other metric is a level (median, p90, mean, a
  rate, a backlog count) and projects as its value to date.
- ``on_track``: the projection meets the target (≤ for lower-is-better metrics, ≥ otherwise).
  ``at_risk``: the period is still running and the projection misses by at most 10 % of the
  target (at least 1 point for percentages and NPS). ``off_track``: it misses by more, or the
  period has ended and the value misses. ``no_data``: no value yet; ``not_started``: the period
  starts after today.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from csops import permissions
from csops.errors import Conflict, InvalidInput, NotFound
from kpis.definitions import METRICS
from kpis.models import Goal, Hours
from staffing.models import Team

VOLUME_METRICS = frozenset({"created", "resolved"})
AT_RISK_FRACTION = Decimal("0.10")

ValueFn = Callable[[User, Goal, date, date], float | None]


@dataclass(frozen=True)
class GoalStatus:
    status: str  # on_track | at_risk | off_track | no_data | not_started
    value: float | None
    projection: float | None
    days_elapsed: int
    days_total: int

    @property
    def label(self) -> str:
        return self.status.replace("_", " ")


def goal_status(
    *,
    metric: str,
    target: Decimal,
    value: float | None,
    period_start: date,
    period_end: date,
    today: date,
) -> GoalStatus:
    """The pure status rule (see the module docstring)."""
    total = (period_end - period_start).days + 1
    elapsed = max(0, min(total, (today - period_start).days + 1))
    if elapsed == 0:
        return GoalStatus("not_started", None, None, 0, total)
    if value is None:
        return GoalStatus("no_data", None, None, elapsed, total)
    projection = value * total / elapsed if metric in VOLUME_METRICS else value
    definition = METRICS[metric]
    gap = (
        Decimal(str(projection)) - target
        if definition.lower_is_better
        else target - Decimal(str(projection))
    )
    tolerance = abs(target) * AT_RISK_FRACTION
    if definition.unit in ("percent", "score"):
        tolerance = max(tolerance, Decimal(1))
    if gap <= 0:
        status = "on_track"
    elif elapsed < total and gap <= tolerance:
        status = "at_risk"
    else:
        status = "off_track"
    return GoalStatus(status, value, round(projection, 2), elapsed, total)


# --- Reads ---------------------------------------------------------------------------------


def goals_for(user: User) -> QuerySet[Goal]:
    return permissions.scope_goals(user, Goal.objects.select_related("team", "created_by"))


def access_goal(user: User, pk: int) -> Goal:
    goal = goals_for(user).filter(pk=pk).first()
    if goal is None:
        raise NotFound(f"Goal #{pk} does not exist or is not in your teams.")
    return goal


def goals_for_tiles(user: User, team_id: int | None, day: date) -> dict[str, Goal]:
    """The goal each tile shows (one query): the goal of the tile's metric for the filtered
    team (department-wide when no team is filtered) whose period covers ``day``; of several,
    the one ending first."""
    out: dict[str, Goal] = {}
    qs = goals_for(user).filter(period_start__lte=day, period_end__gte=day)
    qs = qs.filter(team__isnull=True) if team_id is None else qs.filter(team_id=team_id)
    for goal in qs.order_by("-period_end", "-pk"):
        out[goal.metric] = goal
    return out


def evaluate(user: User, goal: Goal, value_fn: ValueFn, *, today: date) -> GoalStatus:
    end = min(today, goal.period_end)
    value = value_fn(user, goal, goal.period_start, end) if today >= goal.period_start else None
    return goal_status(
        metric=goal.metric,
        target=goal.target,
        value=value,
        period_start=goal.period_start,
        period_end=goal.period_end,
        today=today,
    )


# --- Writes --------------------------------------------------------------------------------


def _validate(metric: str, target: Decimal, start: date, end: date, hours: str) -> None:
    fields: dict[str, list[str]] = {}
    if metric not in METRICS or not METRICS[metric].goal:
        fields["metric"] = ["Choose a metric."]
    if end < start:
        fields["period_end"] = ["The period must end on or after its start."]
    if hours not in Hours.values:
        fields["hours"] = ["Choose business or calendar hours."]
    if metric in METRICS:
        unit = METRICS[metric].unit
        if unit == "percent" and not 0 <= target <= 100:
            fields["target"] = ["A percentage target lies between 0 and 100."]
        elif unit == "score" and not -100 <= target <= 100:
            fields["target"] = ["An NPS target lies between −100 and 100."]
        elif unit not in ("percent", "score") and target < 0:
            fields["target"] = ["The target cannot be negative."]
    if fields:
        raise InvalidInput("Please correct the goal.", fields=fields)


@transaction.atomic
def create_goal(
    *,
    by: User,
    metric: str,
    target: Decimal,
    period_start: date,
    period_end: date,
    team: Team | None = None,
    hours: str = Hours.BUSINESS,
    note: str = "",
) -> Goal:
    permissions.ensure_can_set_goals(by)
    _validate(metric, target, period_start, period_end, hours)
    now = timezone.now()
    try:
        with transaction.atomic():
            return Goal.objects.create(
                metric=metric,
                team=team,
                hours=hours,
                target=target,
                period_start=period_start,
                period_end=period_end,
                note=note,
                created_by=by,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:
        raise Conflict("A goal for this metric, team, hours and period already exists.") from None


@transaction.atomic
def update_goal(goal_id: int, *, by: User, target: Decimal, note: str | None = None) -> Goal:
    permissions.ensure_can_set_goals(by)
    goal = goals_for(by).select_for_update(of=("self",)).filter(pk=goal_id).first()
    if goal is None:
        raise NotFound(f"Goal #{goal_id} does not exist.")
    _validate(goal.metric, target, goal.period_start, goal.period_end, goal.hours)
    goal.target = target
    if note is not None:
        goal.note = note
    goal.updated_at = timezone.now()
    goal.save(update_fields=["target", "note", "updated_at"])
    return goal


@transaction.atomic
def delete_goal(goal_id: int, *, by: User) -> None:
    permissions.ensure_can_set_goals(by)
    deleted, _ = goals_for(by).filter(pk=goal_id).delete()
    if not deleted:
        raise NotFound(f"Goal #{goal_id} does not exist.")
