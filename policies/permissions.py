"""Scope rules of the policies app: documents, versions, macros, SLA policies, calendars.

Registered from ``PoliciesConfig.ready()``; callers reach them through the one entry point,
``from csops import permissions`` then ``permissions.access_policy_version(...)``.

- Policies: reps read published (and formerly published, retired) versions only; managers
  write and submit drafts and maintain macros; directors (or a document's named approver)
  approve; directors publish and retire; the audit history is for directors and admins.
- SLA policies and business calendars: every staff member reads them; only directors (and
  admins) create and edit them."""

from __future__ import annotations

from django.db.models import QuerySet

from csops.errors import NotAllowed, NotFound
from csops.permissions.roles import AnyUser, has_role, is_staff_member, one_in_scope
from csops.roles import Role
from policies.models import PolicyDocument, PolicyVersion

__all__ = [
    "access_policy_document",
    "access_policy_version",
    "can_approve_version",
    "can_edit_policies",
    "can_manage_macros",
    "can_manage_sla",
    "can_publish_policies",
    "can_read_unpublished",
    "can_view_policy_audit",
    "ensure_can_manage_sla",
    "ensure_policy_role",
    "scope_policy_documents",
    "scope_policy_versions",
]


# Policies, procedures and macros


def can_edit_policies(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def can_read_unpublished(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def can_publish_policies(user: AnyUser) -> bool:
    return has_role(user, Role.DIRECTOR)


def can_approve_version(user: AnyUser, version) -> bool:
    """Directors, or the person the document names as approver (who need not be a director)."""
    if not is_staff_member(user):
        return False
    return has_role(user, Role.DIRECTOR) or version.document.approver_id == user.pk


def can_view_policy_audit(user: AnyUser) -> bool:
    return has_role(user, Role.DIRECTOR)


def can_manage_macros(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def ensure_policy_role(allowed: bool, what: str) -> None:
    if not allowed:
        raise NotAllowed(f"Your role may not {what}.")


def scope_policy_versions(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Restrict a PolicyVersion queryset to what the user may read."""
    if not is_staff_member(user):
        return qs.none()
    if can_read_unpublished(user):
        return qs
    return qs.filter(state__in=("published", "retired"))  # what is or was published


def scope_policy_documents(user: AnyUser, qs: QuerySet) -> QuerySet:
    """Documents the user may see: reps see those with a published version."""
    if not is_staff_member(user):
        return qs.none()
    if can_read_unpublished(user):
        return qs
    return qs.filter(versions__state="published").distinct()


def access_policy_document(user: AnyUser, pk: int) -> PolicyDocument:
    document = scope_policy_documents(user, PolicyDocument.objects.all()).filter(pk=pk).first()
    if document is None:
        raise NotFound(f"Policy #{pk} does not exist or is not published.")
    return document


def access_policy_version(user: AnyUser, pk: int, *, for_update: bool = False) -> PolicyVersion:
    """The version if the user may read it, else NotFound. ``for_update`` locks the row."""
    return one_in_scope(
        scope_policy_versions(user, PolicyVersion.objects.select_related("document")),
        pk,
        lock=("self",) if for_update else None,
        missing=f"Policy version #{pk} does not exist or is not published.",
    )


# SLA policies and business calendars


def can_manage_sla(user: AnyUser) -> bool:
    return has_role(user, Role.DIRECTOR)


def ensure_can_manage_sla(user: AnyUser) -> None:
    if not can_manage_sla(user):
        raise NotAllowed("Only directors may change SLA policies and business calendars.")
