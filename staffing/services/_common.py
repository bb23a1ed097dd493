from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import User
from django.utils import timezone

from csops.permissions import role_of
from csops.roles import Role


def now() -> datetime:
    return timezone.now()


def today() -> date:
    return timezone.localdate()


def role_name(user: User) -> str | None:
    """The person's highest role name (Rep, Manager, ...), for 'required for role' rules."""
    role = role_of(user)
    return role.value if isinstance(role, Role) else None
