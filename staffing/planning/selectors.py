"""Reads of planning: a team's settings, its forecast (from kpis) and requirement."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from staffing.models import Team
from staffing.planning import demand, requirement
from staffing.planning.models import PlanningSettings, Scenario
from staffing.planning.requirement import Params, WeekPlan

HORIZON = 12


def settings_for(team: Team) -> PlanningSettings:
    """The team's planning settings, read once per ``team`` instance (a page asks for them
    for the forecast's weeks and again for the default what-if)."""
    found = getattr(team, "_planning_settings", None)
    if found is None:
        found = PlanningSettings.objects.filter(team=team).first() or PlanningSettings(team=team)
        setattr(team, "_planning_settings", found)  # noqa: B010 - not a field of Team
    return found


def default_params(team: Team, measured: dict | None = None) -> Params:
    s = settings_for(team)
    return Params(
        growth_percent=Decimal("0"),
        aht=dict(measured or {}),
        service_level=s.service_level,
        answer_seconds=s.answer_seconds,
        shrinkage=s.shrinkage,
        max_occupancy=s.max_occupancy,
        reply_target_hours=s.reply_target_hours,
        hours_per_fte=s.hours_per_fte,
    )


@dataclass
class TeamPlan:
    team: Team
    demand: dict | None
    params: Params
    weeks: list[WeekPlan]

    @property
    def total_agent_hours(self) -> float:
        return sum(w.agent_hours for w in self.weeks)

    @property
    def average_fte(self) -> float:
        return (
            0.0
            if not self.weeks
            else sum(w.fte(self.params.hours_per_fte) for w in self.weeks) / len(self.weeks)
        )


def team_demand(team: Team) -> dict | None:
    return demand.team_demand(team.pk, weeks=settings_for(team).history_weeks, horizon=HORIZON)


def team_plan(team: Team, params: Params | None = None, figures: dict | None = None) -> TeamPlan:
    figures = figures if figures is not None else team_demand(team)
    if params is None:
        params = default_params(team, _measured(figures))
    weeks = [] if figures is None else _weeks(figures, params)
    return TeamPlan(team, figures, params, weeks)


PLAN_MEMO_SIZE = 64
_plans: OrderedDict[tuple[str, str], list[WeekPlan]] = OrderedDict()
_plans_lock = threading.Lock()


def _weeks(figures: dict, params: Params) -> list[WeekPlan]:
    """``requirement.plan`` memoized per (forecast version, what-if), in this process: the
    page with the team's settings, and a what-if asked again, reuse the weeks computed before
    (read-only). Figures without a version (built by hand) are always computed."""
    version = figures.get("version")
    if not version:
        return requirement.plan(figures, params)
    key = (version, json.dumps(params.as_json(), sort_keys=True))
    with _plans_lock:
        weeks = _plans.get(key)
        if weeks is not None:
            _plans.move_to_end(key)
            return weeks
    weeks = requirement.plan(figures, params)
    with _plans_lock:
        _plans[key] = weeks
        while len(_plans) > PLAN_MEMO_SIZE:
            _plans.popitem(last=False)
    return weeks


def _measured(figures: dict | None) -> dict:
    if not figures:
        return {}
    return {
        ch: requirement.aht_for(ch, Params(), figures.get("aht_seconds", {}))
        for ch in figures["channels"]
    }


def scenarios(team: Team):
    return Scenario.objects.filter(team=team).select_related("created_by")
