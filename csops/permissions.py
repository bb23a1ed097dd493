"""Who may see and do what: the one place scope rules live.

Views, the API and the admin ask this module; templates only show what it decided.
Roles come from groups (``csops.roles``); object scope comes from teams:

- Rep: tickets of the teams they are a member of.
- Manager: tickets of the teams they manage and the teams they are a member of.
- Director and Admin: every team.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from csops.errors import NotAllowed, NotFound
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


def scope_tickets(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Restrict a Ticket queryset to what the user may see."""
    scope = team_scope(user)
    if scope is None:
        return qs
    return qs.filter(team_id__in=scope)


def scope_teams(user: AnyUser, qs: QuerySet) -> QuerySet:
    scope = team_scope(user)
    return qs if scope is None else qs.filter(pk__in=scope)


def can_work_ticket(user: AnyUser, ticket) -> bool:
    return is_staff_member(user) and in_scope(team_scope(user), ticket.team_id)


def can_work_team(user: AnyUser, team_id: int) -> bool:
    return is_staff_member(user) and in_scope(team_scope(user), team_id)


def ensure_can_work_ticket(user: AnyUser, ticket) -> None:
    if not can_work_ticket(user, ticket):
        raise NotAllowed("You do not work this ticket's team.")


def ensure_can_work_team(user: AnyUser, team_id: int) -> None:
    if not can_work_team(user, team_id):
        raise NotAllowed("You do not work this team's queue.")


def access_ticket(user: AnyUser, pk: int, *, for_update: bool = False):
    """The ticket if the user may see it; otherwise NotFound (its existence is not leaked).

    ``for_update`` locks the row: call it inside ``transaction.atomic``.
    """
    from tickets.models import Ticket

    qs = Ticket.objects.all()
    if for_update:
        qs = qs.select_for_update()
    ticket = scope_tickets(user, qs).filter(pk=pk).first()
    if ticket is None:
        raise NotFound(f"Ticket #{pk} does not exist or is not in your teams.")
    return ticket


def can_use_admin(user: AnyUser) -> bool:
    return role_of(user) is Role.ADMIN
