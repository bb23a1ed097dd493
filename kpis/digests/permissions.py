"""Who subscribes to KPI digests: people who read the dashboard (managers for their teams,
directors and admins for any). Registered from ``KpisConfig.ready()``."""

from __future__ import annotations

from collections.abc import Iterable

from csops.errors import NotAllowed
from csops.permissions.roles import AnyUser, has_role, team_scope
from csops.roles import Role

__all__ = ["can_subscribe_digests", "ensure_can_subscribe_digest"]


def can_subscribe_digests(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def ensure_can_subscribe_digest(user: AnyUser, team_ids: Iterable[int]) -> None:
    """A digest of ``team_ids`` (empty: the whole scope) for ``user``."""
    if not can_subscribe_digests(user):
        raise NotAllowed("KPI digests are for managers and directors.")
    scope = team_scope(user)
    if scope is not None and not set(team_ids) <= scope:
        raise NotAllowed("You can subscribe only to digests of your own teams.")
