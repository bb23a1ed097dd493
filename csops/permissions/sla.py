"""SLA policies and business calendars (policies app).

Every staff member reads them; only directors (and admins) create and edit them."""

from __future__ import annotations

from csops.errors import NotAllowed
from csops.permissions.roles import AnyUser, has_role
from csops.roles import Role


def can_manage_sla(user: AnyUser) -> bool:
    return has_role(user, Role.DIRECTOR)


def ensure_can_manage_sla(user: AnyUser) -> None:
    if not can_manage_sla(user):
        raise NotAllowed("Only directors may change SLA policies and business calendars.")
