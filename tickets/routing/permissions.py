"""Who sees and changes routing. Registered from ``TicketsConfig.ready()``.

The routing page and settings: managers for the teams they manage, directors and admins for
every team. Availability: every staff member sets their own. Required skills of a ticket:
whoever may work the ticket (``tickets.permissions``)."""

from __future__ import annotations

from csops.errors import NotAllowed
from csops.permissions.roles import AnyUser, has_role, in_scope, managed_team_scope
from csops.roles import Role

__all__ = ["can_view_routing", "ensure_can_manage_routing", "ensure_can_view_routing"]


def can_view_routing(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def ensure_can_view_routing(user: AnyUser) -> None:
    if not can_view_routing(user):
        raise NotAllowed("Only managers and directors see routing.")


def ensure_can_manage_routing(user: AnyUser, team_id: int | None) -> None:
    """``team_id`` None: something for every team (directors and admins only)."""
    if not can_view_routing(user) or not in_scope(managed_team_scope(user), team_id):
        raise NotAllowed("You do not manage this team's routing.")
