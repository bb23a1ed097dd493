"""Roles and team scope: the building blocks every other rule here is made of.

Roles come from groups (``csops.roles``), cached on the user object for the request
(``_cache``); team scope is a frozenset of team ids, or ``None`` for every team."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from csops.errors import NotFound
from csops.roles import ROLE_ORDER, Role

AnyUser = User | AnonymousUser


def _cache(user: AnyUser) -> dict:
    """Per-request memo on the user object (a request has one user instance)."""
    return user.__dict__.setdefault("_csops_permissions", {})


def role_of(user: AnyUser) -> Role | None:
    """The user's highest role, cached on the user object for the request."""
    if not user.is_authenticated or not user.is_active:
        return None
    cache = _cache(user)
    if "role" not in cache:
        if user.is_superuser:
            cache["role"] = Role.ADMIN
        else:
            names = set(user.groups.values_list("name", flat=True))
            cache["role"] = next((r for r in ROLE_ORDER if r.value in names), None)
    return cache["role"]


def is_staff_member(user: AnyUser) -> bool:
    return role_of(user) is not None


def has_role(user: AnyUser, minimum: Role) -> bool:
    """True if the user's role is ``minimum`` or higher."""
    role = role_of(user)
    return role is not None and ROLE_ORDER.index(role) <= ROLE_ORDER.index(minimum)


def team_scope(user: AnyUser) -> frozenset[int] | None:
    """Team ids whose tickets the user may see and work; ``None`` means every team."""
    role = role_of(user)
    if role is None:
        return frozenset()
    if role in (Role.DIRECTOR, Role.ADMIN):
        return None
    cache = _cache(user)
    if "teams" not in cache:
        staff = cast(User, user)  # a role implies an authenticated user
        ids = set(staff.teams.values_list("pk", flat=True))
        if role is Role.MANAGER:
            ids |= set(staff.managed_teams.values_list("pk", flat=True))
        cache["teams"] = frozenset(ids)
    return cache["teams"]


def managed_team_scope(user: AnyUser) -> frozenset[int] | None:
    """Teams the user manages (escalations, records, reviews); ``None`` means every team."""
    role = role_of(user)
    if role in (Role.DIRECTOR, Role.ADMIN):
        return None
    if role is Role.MANAGER:
        return frozenset(cast(User, user).managed_teams.values_list("pk", flat=True))
    return frozenset()


def in_scope(scope: frozenset[int] | None, team_id: int | None) -> bool:
    return scope is None or team_id in scope


def can_use_admin(user: AnyUser) -> bool:
    return role_of(user) is Role.ADMIN


def one_in_scope(scoped: QuerySet, pk: int, *, lock: tuple[str, ...] | None, missing: str):
    """Row ``pk`` of a queryset already scoped to the user, else NotFound(``missing``): a row
    out of scope is not leaked. ``lock`` locks it FOR UPDATE (the ``of`` tables; () = all);
    call it inside ``transaction.atomic`` then."""
    if lock is not None:
        scoped = scoped.select_for_update(of=lock)
    row = scoped.filter(pk=pk).first()
    if row is None:
        raise NotFound(missing)
    return row
