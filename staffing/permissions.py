"""Scope rules of the staffing app: teams and staff development (training, certifications,
onboarding, QA, reviews).

Registered from ``StaffingConfig.ready()``; callers reach them through the one entry point,
``from csops import permissions`` then ``permissions.scope_staff_records(...)``.

Teams: a person sees the teams in their ``team_scope`` (directors and admins every team).
A rep sees their own records and reviews; a manager those of the members of the teams they
manage (and their own); directors and admins everyone's. Writing a person's records (assign,
verify, certify, review) is for the managers of one of that person's teams, and directors.
The catalogs (courses, certifications, scorecards, onboarding templates) are read by every
staff member and edited by managers and up."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.db.models import QuerySet

from csops.errors import NotAllowed
from csops.permissions.roles import (
    AnyUser,
    _cache,
    has_role,
    in_scope,
    is_staff_member,
    managed_team_scope,
    role_of,
    team_scope,
)
from csops.roles import Role

__all__ = [
    "can_edit_staff_catalog",
    "can_manage_person",
    "ensure_can_edit_staff_catalog",
    "ensure_can_manage_person",
    "ensure_can_manage_team",
    "managed_member_ids",
    "scope_staff_records",
    "scope_teams",
    "staff_member_ids",
]


def scope_teams(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Restrict a Team queryset to the teams whose tickets the user may see."""
    scope = team_scope(user)
    return qs if scope is None else qs.filter(pk__in=scope)


def staff_member_ids(user: AnyUser) -> frozenset[int] | None:
    """Ids of the people whose development records the user may see; ``None`` means all."""
    role = role_of(user)
    if role is None:
        return frozenset()
    if role in (Role.DIRECTOR, Role.ADMIN):
        return None
    ids: set[int] = {cast(User, user).pk}
    if role is Role.MANAGER:
        ids |= set(managed_member_ids(user) or ())
    return frozenset(ids)


def managed_member_ids(user: AnyUser) -> frozenset[int] | None:
    """Ids of the people whose records the user may write; ``None`` means everyone."""
    scope = managed_team_scope(user)
    if scope is None:
        return None
    cache = _cache(user)
    if "managed_members" not in cache:
        cache["managed_members"] = frozenset(
            User.objects.filter(teams__in=scope).values_list("pk", flat=True)
        )
    return cache["managed_members"]


def scope_staff_records(user: AnyUser, qs: QuerySet, field: str = "user") -> QuerySet:
    """Restrict a queryset of per-person records (``field`` names the person) to the user's."""
    ids = staff_member_ids(user)
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def can_manage_person(user: AnyUser, person_id: int) -> bool:
    ids = managed_member_ids(user)
    return is_staff_member(user) and (ids is None or person_id in ids)


def ensure_can_manage_person(user: AnyUser, person_id: int) -> None:
    if not can_manage_person(user, person_id):
        raise NotAllowed("You do not manage this person's team.")


def ensure_can_manage_team(user: AnyUser, team_id: int) -> None:
    if not in_scope(managed_team_scope(user), team_id) or not is_staff_member(user):
        raise NotAllowed("You do not manage this team.")


def can_edit_staff_catalog(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def ensure_can_edit_staff_catalog(user: AnyUser) -> None:
    if not can_edit_staff_catalog(user):
        raise NotAllowed("Only managers and directors edit the training catalog.")
