"""Who sees and changes saved views. Registered from ``TicketsConfig.ready()``.

A personal view: its owner alone. A team's view: seen by whoever works the team's queue
(members, its managers, directors); created, renamed and deleted by the team's managers
and directors."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from csops.errors import NotAllowed
from csops.permissions.roles import (
    AnyUser,
    has_role,
    in_scope,
    is_staff_member,
    managed_team_scope,
    team_scope,
)
from csops.roles import Role

__all__ = ["can_change_saved_view", "ensure_can_share_view", "scope_saved_views"]


def scope_saved_views(user: AnyUser, qs: QuerySet) -> QuerySet:
    if not is_staff_member(user):
        return qs.none()
    scope = team_scope(user)
    shared = Q(team__isnull=False) if scope is None else Q(team__in=scope)
    return qs.filter(Q(team__isnull=True, owner=user.pk) | shared)


def ensure_can_share_view(user: AnyUser, team_id: int) -> None:
    if not has_role(user, Role.MANAGER) or not in_scope(managed_team_scope(user), team_id):
        raise NotAllowed("Only the team's managers or a director may share a view with it.")


def can_change_saved_view(user: AnyUser, view) -> bool:
    if view.team_id is None:
        return view.owner_id == user.pk
    return has_role(user, Role.MANAGER) and in_scope(managed_team_scope(user), view.team_id)
