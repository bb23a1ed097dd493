"""Who configures chat channels: a team's managers for their teams, directors and admins for
every team. Registered from ``TicketsConfig.ready()``."""

from __future__ import annotations

from django.db.models import QuerySet

from csops.errors import NotAllowed
from csops.permissions.roles import AnyUser, has_role, in_scope, managed_team_scope
from csops.roles import Role

__all__ = ["can_manage_chat", "can_manage_chat_of_team", "scope_chat_channels"]


def can_manage_chat(user: AnyUser) -> bool:
    """May see the chat channels page (managers see their teams' channels only)."""
    return has_role(user, Role.MANAGER)


def can_manage_chat_of_team(user: AnyUser, team_id: int | None) -> bool:
    return can_manage_chat(user) and in_scope(managed_team_scope(user), team_id)


def scope_chat_channels(user: AnyUser, qs: QuerySet) -> QuerySet:
    if not can_manage_chat(user):
        raise NotAllowed("Only managers and directors configure chat channels.")
    scope = managed_team_scope(user)
    return qs if scope is None else qs.filter(team_id__in=scope)
