"""Team membership. Joining a team assigns the courses required for it (and for the role)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction

from csops import permissions
from staffing.models import Team, TrainingRecord
from staffing.services import training


def add_member(team: Team, user: User, *, by: User | None) -> list[TrainingRecord]:
    """Add ``user`` to ``team`` and assign what that requires. ``by=None`` is the system."""
    if by is not None:
        permissions.ensure_can_manage_team(by, team.pk)
    with transaction.atomic():
        team.members.add(user)
        return members_added(team, [user], by=by)


def members_added(team: Team, users: Iterable[User], *, by: User | None) -> list[TrainingRecord]:
    """The hook for any path that adds members (the admin's team form calls it too)."""
    created: list[TrainingRecord] = []
    for user in users:
        created += training.assign_required(user, by=by)
    return created
