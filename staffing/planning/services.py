"""Writes of planning: a team's settings and saved scenarios."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from csops import permissions
from csops.errors import InvalidInput
from staffing.models import Team
from staffing.planning import selectors
from staffing.planning.models import PlanningSettings, Scenario
from staffing.planning.requirement import Params


def save_scenario(team: Team, *, by: User, name: str, params: Params) -> Scenario:
    """Save the what-if parameters under ``name`` with the weekly totals they give now."""
    permissions.ensure_can_plan_team(by, team.pk)
    name = name.strip()
    if not name:
        raise InvalidInput("A scenario needs a name.", fields={"name": ["Give it a name."]})
    result = selectors.team_plan(team, params)
    totals = [
        {
            "week": w.start.isoformat(),
            "agent_hours": w.agent_hours,
            "fte": round(w.fte(params.hours_per_fte), 2),
        }
        for w in result.weeks
    ]
    try:
        with transaction.atomic():
            return Scenario.objects.create(
                team=team,
                name=name,
                params=params.as_json(),
                totals=totals,
                created_by=by,
                created_at=timezone.now(),
            )
    except IntegrityError:
        raise InvalidInput(
            f"{team.name} already has a scenario named {name!r}.",
            fields={"name": ["This name is taken; choose another."]},
        ) from None


def update_settings(team: Team, *, by: User, **values) -> PlanningSettings:
    permissions.ensure_can_plan_team(by, team.pk)
    with transaction.atomic():
        obj, _ = PlanningSettings.objects.select_for_update().get_or_create(team=team)
        for key, value in values.items():
            setattr(obj, key, value)
        obj.full_clean()
        obj.save()
    setattr(team, "_planning_settings", obj)  # noqa: B010 - what selectors.settings_for reads
    return obj
