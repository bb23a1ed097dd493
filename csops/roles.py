"""The four staff roles and the model permissions each group carries.

Groups are created and kept in sync by data migrations that call ``sync_groups``; object
scope (which teams) is decided by ``csops.permissions``, not by these permissions.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    REP = "Rep"
    MANAGER = "Manager"
    DIRECTOR = "Director"
    ADMIN = "Admin"


# Highest first: a user in several groups acts with the highest role.
ROLE_ORDER = (Role.ADMIN, Role.DIRECTOR, Role.MANAGER, Role.REP)

_REP = {
    "tickets": {"ticket": "vac", "ticketevent": "va", "customer": "vac", "organization": "v"},
    "staffing": {"team": "v", "staffprofile": "v"},
    "policies": {"category": "v", "tag": "va"},
}
_MANAGER = {
    **_REP,
    "tickets": {**_REP["tickets"], "customer": "vac", "organization": "vac"},
    "staffing": {"team": "vc", "staffprofile": "vc"},
}
_DIRECTOR = {
    **_MANAGER,
    "staffing": {"team": "vacd", "staffprofile": "vac"},
    "policies": {"category": "vacd", "tag": "vacd"},
}
_ACTIONS = {"v": "view", "a": "add", "c": "change", "d": "delete"}

# app label -> model -> actions, per role. Admin gets every permission instead.
ROLE_PERMISSIONS: dict[Role, dict[str, dict[str, str]]] = {
    Role.REP: _REP,
    Role.MANAGER: _MANAGER,
    Role.DIRECTOR: _DIRECTOR,
}


def codenames(role: Role) -> set[tuple[str, str]]:
    """(app_label, codename) pairs for a role."""
    out: set[tuple[str, str]] = set()
    for app_label, models in ROLE_PERMISSIONS.get(role, {}).items():
        for model, actions in models.items():
            out |= {(app_label, f"{_ACTIONS[a]}_{model}") for a in actions}
    return out


def sync_groups(apps, schema_editor) -> None:
    """Create the role groups and set their permissions (idempotent; used by migrations)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Historical app configs carry no models module; create_permissions skips those.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = original

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role in Role:
        group, _ = group_model.objects.get_or_create(name=role.value)
        if role is Role.ADMIN:
            group.permissions.set(permission_model.objects.all())
            continue
        wanted = codenames(role)
        perms = [
            p
            for p in permission_model.objects.select_related("content_type")
            if (p.content_type.app_label, p.codename) in wanted
        ]
        group.permissions.set(perms)
