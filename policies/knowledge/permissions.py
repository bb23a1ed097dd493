"""Scope rules of the knowledge base (registered with ``csops.permissions``).

- Every staff member reads articles that are live (internal or public); managers and above
  also read articles that were never published or are retired, and write them (the document
  lifecycle: directors or a document's named approver approve, directors publish).
- Any staff member may suggest an edit from the workspace: it becomes a draft for a manager.
- The help center (anonymous) reads only live public articles: ``knowledge.selectors``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from csops.errors import NotAllowed
from csops.permissions.roles import AnyUser, has_role, is_staff_member, one_in_scope
from csops.roles import Role
from policies.knowledge.models import Article

__all__ = [
    "access_article",
    "can_suggest_article_edit",
    "can_write_articles",
    "ensure_can_write_articles",
    "scope_articles",
]


def can_write_articles(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER)


def ensure_can_write_articles(user: AnyUser) -> None:
    if not can_write_articles(user):
        raise NotAllowed("Only managers, directors and admins write knowledge-base articles.")


def can_suggest_article_edit(user: AnyUser) -> bool:
    return is_staff_member(user)


def scope_articles(user: AnyUser, qs: QuerySet) -> QuerySet:
    if not is_staff_member(user):
        return qs.none()
    if can_write_articles(user):
        return qs
    return qs.filter(current_version__isnull=False)


def access_article(user: AnyUser, pk: int, *, for_update: bool = False) -> Article:
    return one_in_scope(
        scope_articles(user, Article.objects.select_related("document", "section__category")),
        pk,
        lock=("self",) if for_update else None,
        missing=f"Article #{pk} does not exist or is not published.",
    )
