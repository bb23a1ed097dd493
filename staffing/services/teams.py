"""Team membership. Joining a team assigns the courses required for it (and for the role).

Every path that changes who is on a team (``add_member``/``remove_member`` for the pages and
the API, the admin's team form) ends in the hooks ``members_added``, ``managers_added`` and
``people_left``. Apps above staffing react to joins and departures without staffing importing
them, by registering a listener from their ``AppConfig.ready()``::

    # policies/apps.py: a newcomer is asked to acknowledge the published versions addressed
    # to the team; someone who leaves it stops being asked by them.
    from staffing.services import teams
    teams.on_join(acknowledgments.request_for_joiners)
    teams.on_leave(acknowledgments.withdraw_for_leavers)

A listener is called as ``listener(team, users, by=by)`` inside the transaction that changed
the membership, after the change; ``by=None`` is the system.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.auth.models import User
from django.db import transaction

from csops import permissions
from staffing.models import Team, TrainingRecord
from staffing.services import training

MembershipListener = Callable[..., object]

_join_listeners: list[MembershipListener] = []
_leave_listeners: list[MembershipListener] = []


def on_join(listener: MembershipListener) -> None:
    if listener not in _join_listeners:
        _join_listeners.append(listener)


def on_leave(listener: MembershipListener) -> None:
    if listener not in _leave_listeners:
        _leave_listeners.append(listener)


def add_member(team: Team, user: User, *, by: User | None) -> list[TrainingRecord]:
    """Add ``user`` to ``team`` and assign what that requires. ``by=None`` is the system."""
    if by is not None:
        permissions.ensure_can_manage_team(by, team.pk)
    with transaction.atomic():
        team.members.add(user)
        return members_added(team, [user], by=by)


def remove_member(team: Team, user: User, *, by: User | None) -> None:
    """Take ``user`` off ``team``; what the team alone asked of them is withdrawn."""
    if by is not None:
        permissions.ensure_can_manage_team(by, team.pk)
    with transaction.atomic():
        team.members.remove(user)
        people_left(team, [user], by=by)


def members_added(team: Team, users: Iterable[User], *, by: User | None) -> list[TrainingRecord]:
    """The hook for any path that adds members (the admin's team form calls it too)."""
    users = list(users)
    created: list[TrainingRecord] = []
    for user in users:
        created += training.assign_required(user, by=by)
    _call(_join_listeners, team, users, by)
    return created


def managers_added(team: Team, users: Iterable[User], *, by: User | None) -> None:
    """The hook for paths that add managers (the admin): a team's audience includes them."""
    _call(_join_listeners, team, list(users), by)


def people_left(team: Team, users: Iterable[User], *, by: User | None) -> None:
    """The hook for any path that takes members or managers off a team."""
    _call(_leave_listeners, team, list(users), by)


def _call(listeners: list[MembershipListener], team: Team, users: list[User], by) -> None:
    if users:
        for listener in listeners:
            listener(team, users, by=by)
