"""Policies, procedures and macros (policies app).

Reps read published (and formerly published, retired) versions only; managers write and
submit drafts and maintain macros; directors (or a document's named approver) approve;
directors publish and retire; the audit history is for directors and admins."""

from __future__ import annotations

from django.db.models import QuerySet

from csops.errors import NotAllowed, NotFound
from csops.permissions.roles import AnyUser, has_role, is_staff_member, one_in_scope
from csops.roles import Role


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


def access_policy_document(user: AnyUser, pk: int):
    from policies.models import PolicyDocument

    document = scope_policy_documents(user, PolicyDocument.objects.all()).filter(pk=pk).first()
    if document is None:
        raise NotFound(f"Policy #{pk} does not exist or is not published.")
    return document


def access_policy_version(user: AnyUser, pk: int, *, for_update: bool = False):
    """The version if the user may read it, else NotFound. ``for_update`` locks the row."""
    from policies.models import PolicyVersion

    return one_in_scope(
        scope_policy_versions(user, PolicyVersion.objects.select_related("document")),
        pk,
        lock=("self",) if for_update else None,
        missing=f"Policy version #{pk} does not exist or is not published.",
    )
