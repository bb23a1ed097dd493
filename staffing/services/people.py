"""A person's role. Roles are groups (``csops.roles``); a superuser acts as an Admin and an
inactive person has none (``csops.permissions.role_of``). Only the admin's user form changes
them (``staffing.admin.UserAdmin``), and it ends in the hook ``role_changed``.

Joining the new role assigns the courses it requires, as joining a team does
(``staffing.services.teams``). Apps above staffing react without staffing importing them, by
registering a listener from their ``AppConfig.ready()``::

    # policies/apps.py: someone is asked to acknowledge what is published to their new
    # role, and stops being asked by what only their old role was asked.
    from staffing.services import people
    people.on_role_change(acknowledgments.follow_role_change)

A listener is called as ``listener(user, by=by)`` inside the transaction that changed the
role, after the change; ``by=None`` is the system.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.db import transaction

from staffing.models import TrainingRecord
from staffing.services import training

RoleListener = Callable[..., object]

_role_listeners: list[RoleListener] = []


def on_role_change(listener: RoleListener) -> None:
    if listener not in _role_listeners:
        _role_listeners.append(listener)


def role_changed(user: User, *, by: User | None) -> list[TrainingRecord]:
    """The hook for any path that changes someone's groups, superuser or active flag."""
    with transaction.atomic():
        # A fresh instance: ``role_of`` caches the role on the instance it was asked about.
        person = User.objects.get(pk=user.pk)
        created = training.assign_required(person, by=by) if person.is_active else []
        for listener in _role_listeners:
            listener(person, by=by)
    return created
