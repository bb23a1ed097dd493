"""Who hires: the managers of a requisition's team see and work its requisitions and
candidates (the hiring team); directors and admins every team's, and only they approve
requisitions. Reps and other teams' managers see nothing of hiring (404, no enumeration).
Registered from StaffingConfig.ready (``permissions.access_candidate`` ...)."""

from __future__ import annotations

from django.db.models import QuerySet

from csops.errors import NotAllowed, NotFound
from csops.permissions.roles import AnyUser, has_role, managed_team_scope
from csops.roles import Role

__all__ = [
    "access_candidate",
    "access_requisition",
    "can_approve_requisitions",
    "can_hire_for_team",
    "ensure_can_approve_requisitions",
    "ensure_can_hire_for_team",
    "hiring_teams",
    "scope_candidates",
    "scope_requisitions",
]


def can_hire_for_team(user: AnyUser, team_id: int) -> bool:
    if not has_role(user, Role.MANAGER):
        return False
    scope = managed_team_scope(user)
    return scope is None or team_id in scope


def ensure_can_hire_for_team(user: AnyUser, team_id: int) -> None:
    if not can_hire_for_team(user, team_id):
        raise NotFound(f"Team #{team_id} does not exist or is not one you hire for.")


def hiring_teams(user: AnyUser, qs: QuerySet) -> QuerySet:
    """The teams (a Team queryset) the user may open requisitions for."""
    if not has_role(user, Role.MANAGER):
        return qs.none()
    scope = managed_team_scope(user)
    return qs if scope is None else qs.filter(pk__in=scope)


def scope_requisitions(user: AnyUser, qs: QuerySet) -> QuerySet:
    if not has_role(user, Role.MANAGER):
        return qs.none()
    scope = managed_team_scope(user)
    return qs if scope is None else qs.filter(team_id__in=scope)


def scope_candidates(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Candidates (and their personal data) of the requisitions the user hires for."""
    if not has_role(user, Role.MANAGER):
        return qs.none()
    scope = managed_team_scope(user)
    return qs if scope is None else qs.filter(requisition__team_id__in=scope)


def access_requisition(user: AnyUser, qs: QuerySet, pk: int):
    row = scope_requisitions(user, qs).filter(pk=pk).first()
    if row is None:
        raise NotFound(f"Requisition #{pk} does not exist or is not one you hire for.")
    return row


def access_candidate(user: AnyUser, qs: QuerySet, pk: int):
    row = scope_candidates(user, qs).filter(pk=pk).first()
    if row is None:
        raise NotFound(f"Candidate #{pk} does not exist or is not one you hire for.")
    return row


def can_approve_requisitions(user: AnyUser) -> bool:
    return has_role(user, Role.DIRECTOR)


def ensure_can_approve_requisitions(user: AnyUser) -> None:
    if not can_approve_requisitions(user):
        raise NotAllowed("Only a director approves requisitions.")
