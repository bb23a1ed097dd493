"""Who plans which team: managers their teams, directors and admins every team; reps none.
Registered from StaffingConfig.ready (``permissions.planning_team_ids`` ...)."""

from __future__ import annotations

from django.db.models import QuerySet

from csops.errors import NotFound
from csops.permissions.roles import AnyUser, has_role, managed_team_scope
from csops.roles import Role

__all__ = ["can_plan_team", "ensure_can_plan_team", "planning_teams"]


def planning_teams(user: AnyUser, qs: QuerySet) -> QuerySet:
    """The teams (a Team queryset) whose plan the user may see and change."""
    if not has_role(user, Role.MANAGER):
        return qs.none()
    scope = managed_team_scope(user)
    return qs if scope is None else qs.filter(pk__in=scope)


def can_plan_team(user: AnyUser, team_id: int) -> bool:
    if not has_role(user, Role.MANAGER):
        return False
    scope = managed_team_scope(user)
    return scope is None or team_id in scope


def ensure_can_plan_team(user: AnyUser, team_id: int) -> None:
    if not can_plan_team(user, team_id):
        # Same answer whether the team exists or not: no enumeration of other teams.
        raise NotFound(f"Team #{team_id} does not exist or is not one you plan.")
