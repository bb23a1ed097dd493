"""Macro use cases: managers create and edit macros (applying one is a ticket use case, in
``tickets.services.procedures``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction

from csops import permissions
from csops.clock import now_s
from csops.errors import InvalidInput, NotFound
from policies.markup import unknown_placeholders
from policies.models import Macro, PolicyDocument, Tag
from policies.models.macros import MACRO_PRIORITY_CHOICES, MACRO_STATUS_CHOICES


def _validate(title: str, body: str, set_status: str, set_priority: str) -> None:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Give the macro a title."]
    if not body.strip():
        errors["body"] = ["The body is empty."]
    else:
        unknown = unknown_placeholders(body)
        if unknown:
            errors["body"] = [f"Unknown placeholders: {', '.join(unknown)}."]
    if set_status not in {c for c, _ in MACRO_STATUS_CHOICES}:
        errors["set_status"] = ["Unknown status."]
    if set_priority not in {c for c, _ in MACRO_PRIORITY_CHOICES}:
        errors["set_priority"] = ["Unknown priority."]
    if errors:
        raise InvalidInput("The macro has errors.", fields=errors)


def _write(macro: Macro, by: User, title, body, set_status, set_priority, policy, active, tags):
    _validate(title, body, set_status, set_priority)
    macro.title, macro.body = title.strip(), body.strip()
    macro.set_status, macro.set_priority = set_status, set_priority
    macro.policy, macro.active = policy, active
    macro.updated_at = now_s()
    macro._history_user = by  # type: ignore[attr-defined]
    macro.save()
    macro.add_tags.set(tags)
    return macro


@transaction.atomic
def create_macro(
    *,
    by: User,
    title: str,
    body: str,
    set_status: str = "",
    set_priority: str = "",
    policy: PolicyDocument | None = None,
    active: bool = True,
    add_tags: Iterable[Tag] = (),
) -> Macro:
    permissions.ensure_policy_role(permissions.can_manage_macros(by), "maintain macros")
    at = now_s()
    macro = Macro(created_by=by, created_at=at, updated_at=at)
    return _write(macro, by, title, body, set_status, set_priority, policy, active, add_tags)


@transaction.atomic
def update_macro(
    macro_id: int,
    *,
    by: User,
    title: str,
    body: str,
    set_status: str = "",
    set_priority: str = "",
    policy: PolicyDocument | None = None,
    active: bool = True,
    add_tags: Iterable[Tag] = (),
) -> Macro:
    permissions.ensure_policy_role(permissions.can_manage_macros(by), "maintain macros")
    macro = Macro.objects.select_for_update().filter(pk=macro_id).first()
    if macro is None:
        raise NotFound(f"Macro #{macro_id} does not exist.")
    return _write(macro, by, title, body, set_status, set_priority, policy, active, add_tags)
