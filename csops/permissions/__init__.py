"""Who may see and do what: the one entry point to every scope rule.

Views, the API and the admin ask this package; templates only show what it decided.
Roles come from groups (``csops.roles``); object scope comes from teams:

- Rep: tickets of the teams they are a member of.
- Manager: tickets of the teams they manage and the teams they are a member of.
- Director and Admin: every team.

Callers write ``from csops import permissions`` and ``permissions.access_ticket(...)``.

- ``roles`` (here): role of a user, team scope (``team_scope``, ``managed_team_scope``),
  ``one_in_scope``, the admin: the building blocks every rule is made of.
- Each app holds the rules about its own objects and registers them from its
  ``AppConfig.ready()`` with ``permissions.register(module)`` (every name in the module's
  ``__all__``): ``staffing/permissions.py`` (teams, staff records, catalogs),
  ``policies/permissions.py`` (documents, versions, macros, SLA policies, calendars),
  ``tickets/permissions.py`` (tickets, queues, escalations, incidents) and
  ``kpis/permissions.py`` (dashboards, goals).

So csops imports no app (DESIGN.md: dependencies point one way), yet there is still one
place to ask. A registered rule is looked up here by name (module ``__getattr__``); a name
no app registered raises AttributeError naming the registration step.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from csops.permissions.roles import (
    AnyUser,
    can_use_admin,
    has_role,
    in_scope,
    is_staff_member,
    managed_team_scope,
    one_in_scope,
    role_of,
    team_scope,
)

__all__ = [
    "AnyUser",
    "can_use_admin",
    "has_role",
    "in_scope",
    "is_staff_member",
    "managed_team_scope",
    "one_in_scope",
    "register",
    "registered",
    "role_of",
    "team_scope",
]

_rules: dict[str, Callable[..., Any]] = {}


def register(module: ModuleType) -> None:
    """Make every name in ``module.__all__`` a rule reachable as ``permissions.<name>``.

    Idempotent for the same module; a name already taken by another module (or by the
    building blocks here) is a configuration error, so no rule silently shadows another."""
    names = getattr(module, "__all__", None)
    if not names:
        raise ImproperlyConfigured(f"{module.__name__} lists no rules in __all__.")
    rules = {name: getattr(module, name) for name in names}
    for name, rule in rules.items():
        taken = globals().get(name) if name in __all__ else _rules.get(name)
        if taken is not None and taken is not rule:
            raise ImproperlyConfigured(
                f"Permission rule {name!r} of {module.__name__} is already defined by "
                f"{getattr(taken, '__module__', __name__)}."
            )
    _rules.update(rules)


def registered() -> dict[str, str]:
    """Each registered rule's name and the module that defines it (for checks and tests)."""
    return {name: rule.__module__ for name, rule in sorted(_rules.items())}


def __getattr__(name: str) -> Callable[..., Any]:
    try:
        return _rules[name]
    except KeyError:
        raise AttributeError(
            f"csops.permissions has no rule {name!r}: the app that owns it defines it in its "
            "permissions.py and registers it from AppConfig.ready() (permissions.register)."
        ) from None


def __dir__() -> list[str]:
    return sorted({*globals(), *_rules})
