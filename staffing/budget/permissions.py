"""Who sees and changes budgets: directors and admins manage every budget; a manager reads the
lines and figures of the teams they manage (not the department-wide lines); reps none.
Registered from StaffingConfig.ready (``permissions.ensure_can_manage_budgets`` ...)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from csops.errors import NotAllowed
from csops.permissions.roles import AnyUser, has_role, managed_team_scope
from csops.roles import Role

__all__ = [
    "budget_team_scope",
    "can_manage_budgets",
    "can_read_budgets",
    "ensure_can_manage_budgets",
    "ensure_can_read_budgets",
    "scope_budget_lines",
]


def can_manage_budgets(user: AnyUser) -> bool:
    return has_role(user, Role.DIRECTOR)


def ensure_can_manage_budgets(user: AnyUser) -> None:
    if not can_manage_budgets(user):
        raise NotAllowed("Only directors manage budgets.")


def can_read_budgets(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def ensure_can_read_budgets(user: AnyUser) -> None:
    if not can_read_budgets(user):
        raise NotAllowed("Budgets are for managers (their teams) and directors.")


def budget_team_scope(user: AnyUser) -> frozenset[int] | None:
    """Team ids whose budget figures the user reads; None: every team and the department."""
    if not can_read_budgets(user):
        return frozenset()
    if can_manage_budgets(user):
        return None
    return managed_team_scope(user) or frozenset()


def scope_budget_lines(user: AnyUser, qs: QuerySet, field: str = "team") -> QuerySet:
    """Cost lines (or rows with a ``field`` team) the user reads: a manager their teams'."""
    scope = budget_team_scope(user)
    if scope is None:
        return qs
    return qs.filter(Q(**{f"{field}__in": scope}))
