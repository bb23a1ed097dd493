"""Scope rules of the tickets app: tickets and team queues, escalations and incidents.

Registered from ``TicketsConfig.ready()``; callers reach them through the one entry point,
``from csops import permissions`` then ``permissions.access_ticket(...)``.

- Tickets: a person sees and works the tickets of the teams in their ``team_scope``.
- Escalations: reps escalate tickets they work. An escalation is handled by the managers of
  its target team (or directors/admins). Escalation rules are for directors.
- Incidents: declared and handled by managers of the incident's team (or directors/admins);
  a ticket linked to one must be a ticket the manager may see.
- Customers and organizations: reps see the customers of tickets they may see (and the
  organizations of those customers); managers, directors and admins see all. Whoever sees a
  customer may edit their contact details and add notes; merging is for managers and up."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from csops.errors import NotAllowed
from csops.permissions.roles import (
    AnyUser,
    has_role,
    in_scope,
    is_staff_member,
    managed_team_scope,
    one_in_scope,
    team_scope,
)
from csops.roles import Role
from tickets.models import Customer, Escalation, Incident, Organization, Ticket

__all__ = [
    "access_customer",
    "access_organization",
    "can_merge_customers",
    "scope_customers",
    "scope_organizations",
    "access_escalation",
    "access_incident",
    "access_ticket",
    "can_handle_incidents",
    "can_handle_team",
    "can_manage_escalation_rules",
    "can_view_escalation_board",
    "can_work_team",
    "can_work_ticket",
    "ensure_can_handle_team",
    "ensure_can_work_team",
    "ensure_can_work_ticket",
    "scope_escalations",
    "scope_incidents",
    "scope_tickets",
]


# Tickets and team queues


def scope_tickets(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Restrict a Ticket queryset to what the user may see."""
    scope = team_scope(user)
    if scope is None:
        return qs
    return qs.filter(team_id__in=scope)


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


def access_ticket(user: AnyUser, pk: int, *, for_update: bool = False) -> Ticket:
    """The ticket if the user may see it; otherwise NotFound (its existence is not leaked).

    ``for_update`` locks the row: call it inside ``transaction.atomic``.
    """
    return one_in_scope(
        scope_tickets(user, Ticket.objects.all()),
        pk,
        lock=() if for_update else None,
        missing=f"Ticket #{pk} does not exist or is not in your teams.",
    )


# Escalations


def can_handle_team(user: AnyUser, team_id: int | None) -> bool:
    """Manager of the team, or a director/admin."""
    return has_role(user, Role.MANAGER) and in_scope(managed_team_scope(user), team_id)


def ensure_can_handle_team(user: AnyUser, team_id: int | None, what: str) -> None:
    if not can_handle_team(user, team_id):
        raise NotAllowed(f"Only the team's managers or a director may {what}.")


def can_view_escalation_board(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def can_manage_escalation_rules(user: AnyUser) -> bool:
    return has_role(user, Role.DIRECTOR)


def scope_escalations(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Escalations the user handles (target team managed) or whose ticket they work."""
    if not is_staff_member(user):
        return qs.none()
    managed, worked = managed_team_scope(user), team_scope(user)
    if managed is None or worked is None:
        return qs
    return qs.filter(Q(to_team_id__in=managed) | Q(ticket__team_id__in=worked))


def access_escalation(user: AnyUser, pk: int, *, for_update: bool = False) -> Escalation:
    """The escalation if the user may see it, else NotFound. ``for_update`` locks its row."""
    qs = Escalation.objects.select_related("ticket", "to_team", "from_team")
    return one_in_scope(
        scope_escalations(user, qs),
        pk,
        lock=("self",) if for_update else None,
        missing=f"Escalation #{pk} does not exist or is not yours to see.",
    )


# Incidents


def can_handle_incidents(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def scope_incidents(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Incidents of the teams the user manages (every incident for directors/admins)."""
    if not can_handle_incidents(user):
        return qs.none()
    scope = managed_team_scope(user)
    return qs if scope is None else qs.filter(team_id__in=scope)


def access_incident(user: AnyUser, pk: int, *, for_update: bool = False) -> Incident:
    """The incident if the user may handle it; a rep gets NotAllowed, others NotFound."""
    if not can_handle_incidents(user):
        raise NotAllowed("Only managers and directors handle incidents.")
    return one_in_scope(
        scope_incidents(user, Incident.objects.select_related("team")),
        pk,
        lock=("self",) if for_update else None,
        missing=f"Incident #{pk} does not exist or is not in your teams.",
    )


# Customers and organizations


def _sees_every_customer(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def scope_customers(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Customers the user may see: all for managers and up; for a rep, the requesters of
    tickets in their teams (an indexed EXISTS per customer: ticket_requester_created)."""
    if not is_staff_member(user):
        return qs.none()
    if _sees_every_customer(user):
        return qs
    tickets = scope_tickets(user, Ticket.objects.filter(requester_id=OuterRef("pk")))
    return qs.filter(Exists(tickets))


def access_customer(user: AnyUser, pk: int, *, for_update: bool = False) -> Customer:
    return one_in_scope(
        scope_customers(user, Customer.objects.select_related("organization")),
        pk,
        lock=("self",) if for_update else None,
        missing=f"Customer {pk} does not exist or has no ticket in your teams.",
    )


def scope_organizations(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Organizations the user may see: all for managers and up; for a rep, those with a
    customer the rep may see."""
    if not is_staff_member(user):
        return qs.none()
    if _sees_every_customer(user):
        return qs
    people = scope_customers(user, Customer.objects.filter(organization_id=OuterRef("pk")))
    return qs.filter(Exists(people))


def access_organization(user: AnyUser, pk: int) -> Organization:
    return one_in_scope(
        scope_organizations(user, Organization.objects.all()),
        pk,
        lock=None,
        missing=f"Organization {pk} does not exist or has no ticket in your teams.",
    )


def can_merge_customers(user: AnyUser) -> bool:
    return _sees_every_customer(user)
