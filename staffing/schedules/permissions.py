"""Who sees and edits schedules: a rep their own; a manager the people of the teams they
manage (and their own), editing those teams' shifts; directors and admins everyone."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.db.models import QuerySet

from csops.errors import NotFound
from csops.permissions.roles import AnyUser, has_role, is_staff_member, managed_team_scope
from csops.roles import Role

__all__ = [
    "can_edit_team_schedule",
    "ensure_can_edit_team_schedule",
    "ensure_can_edit_person_schedule",
    "schedule_teams",
    "scope_schedules",
]


def schedule_teams(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Teams whose schedule the user may see and edit (managers theirs, directors all)."""
    if not has_role(user, Role.MANAGER):
        return qs.none()
    scope = managed_team_scope(user)
    return qs if scope is None else qs.filter(pk__in=scope)


def can_edit_team_schedule(user: AnyUser, team_id: int) -> bool:
    if not has_role(user, Role.MANAGER):
        return False
    scope = managed_team_scope(user)
    return scope is None or team_id in scope


def ensure_can_edit_team_schedule(user: AnyUser, team_id: int) -> None:
    if not can_edit_team_schedule(user, team_id):
        raise NotFound(f"Team #{team_id} does not exist or is not one whose schedule you keep.")


def ensure_can_edit_person_schedule(user: AnyUser, person: User) -> None:
    """Blocks (time off, training) of ``person``: their managers and directors."""
    scope = managed_team_scope(user)
    if not has_role(user, Role.MANAGER) or (
        scope is not None and not person.teams.filter(pk__in=scope).exists()
    ):
        raise NotFound(f"Person #{person.pk} is not one whose schedule you keep.")


def scope_schedules(user: AnyUser, qs: QuerySet, field: str = "user") -> QuerySet:
    """Shifts or blocks the user may see: their own, their managed teams' people, or all."""
    if not is_staff_member(user):
        return qs.none()
    me = cast(User, user)
    if not has_role(user, Role.MANAGER):
        return qs.filter(**{field: me.pk})
    scope = managed_team_scope(user)
    if scope is None:
        return qs
    people = User.objects.filter(teams__in=scope).values("pk")
    return qs.filter(**{f"{field}__in": people}) | qs.filter(**{field: me.pk})
