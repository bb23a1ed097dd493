"""Scope rules of the kpis app: KPI dashboards and goals.

Registered from ``KpisConfig.ready()``; callers reach them through the one entry point,
``from csops import permissions`` then ``permissions.ensure_can_view_dashboard(...)``.

Managers read the dashboards of the teams they work (team_scope), directors and admins of
every team; reps have no dashboard. Only directors (and admins) set goals and rebuild KPIs."""

from __future__ import annotations

from django.db.models import QuerySet

from csops.errors import NotAllowed
from csops.permissions.roles import AnyUser, has_role, team_scope
from csops.roles import Role

__all__ = [
    "can_set_goals",
    "can_view_dashboard",
    "ensure_can_set_goals",
    "ensure_can_view_dashboard",
    "scope_goals",
]


def can_view_dashboard(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def can_set_goals(user: AnyUser) -> bool:
    return has_role(user, Role.DIRECTOR)


def ensure_can_view_dashboard(user: AnyUser) -> None:
    if not can_view_dashboard(user):
        raise NotAllowed("The KPI dashboards are for managers and directors.")


def ensure_can_set_goals(user: AnyUser) -> None:
    if not can_set_goals(user):
        raise NotAllowed("Only directors set goals.")


def scope_goals(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Goals the user may read: directors all; managers their teams' and department-wide."""
    if not can_view_dashboard(user):
        return qs.none()
    scope = team_scope(user)
    if scope is None:
        return qs
    return qs.filter(team__isnull=True) | qs.filter(team_id__in=scope)
