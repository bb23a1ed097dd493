"""Tickets and team queues: who may see and work which ticket."""

from __future__ import annotations

from django.db.models import QuerySet

from csops.errors import NotAllowed
from csops.permissions.roles import AnyUser, in_scope, is_staff_member, one_in_scope, team_scope


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

    return one_in_scope(
        scope_tickets(user, Ticket.objects.all()),
        pk,
        lock=() if for_update else None,
        missing=f"Ticket #{pk} does not exist or is not in your teams.",
    )
