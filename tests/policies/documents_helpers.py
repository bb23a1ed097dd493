"""Builders for policy tests: documents made and moved through the real services."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from policies.models import Category, PolicyVersion
from policies.services import documents as services


def category(name: str = "Refunds") -> Category:
    return Category.objects.get_or_create(slug=name.lower(), defaults={"name": name})[0]


def draft(author, *, title: str = "Refund procedure", effective: date | None = None, **kw):
    kw.setdefault("kind", "procedure")
    kw.setdefault("body", "# Refunds\n\nCheck the order first.")
    kw.setdefault("checklist", ["Verify the order", "Check the refund window"])
    return services.create_document(
        by=author, title=title, effective_date=effective or timezone.localdate(), **kw
    )


def publish(version: PolicyVersion, *, author, approver) -> PolicyVersion:
    services.submit(version.pk, by=author)
    services.approve(version.pk, by=approver)
    return services.publish(version.pk, by=approver)


def published(author, approver, **kw) -> PolicyVersion:
    return publish(draft(author, **kw), author=author, approver=approver)
