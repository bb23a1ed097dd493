"""Who manages webhooks: directors and admins (subscriptions carry secrets and send ticket
data out of csops). Registered from ``TicketsConfig.ready()``."""

from __future__ import annotations

from csops.errors import NotAllowed
from csops.permissions.roles import AnyUser, has_role
from csops.roles import Role

__all__ = ["can_manage_webhooks", "ensure_can_manage_webhooks"]


def can_manage_webhooks(user: AnyUser) -> bool:
    return has_role(user, Role.DIRECTOR)


def ensure_can_manage_webhooks(user: AnyUser) -> None:
    if not can_manage_webhooks(user):
        raise NotAllowed("Only directors and admins manage webhooks.")
