"""Builders for knowledge-base tests: articles made and published through the real services
(the shared document lifecycle)."""

from __future__ import annotations

from django.utils.text import slugify

from policies.knowledge import services
from policies.knowledge.models import Article, ArticleCategory, ArticleSection
from policies.services import documents


def section(name: str = "Refunds", category: str = "Billing") -> ArticleSection:
    cat = ArticleCategory.objects.get_or_create(
        slug=slugify(category), defaults={"name": category}
    )[0]
    return ArticleSection.objects.get_or_create(
        category=cat, slug=slugify(name), defaults={"name": name}
    )[0]


def draft_article(author, *, title="How refunds work", visibility="public", body=None, sec=None):
    return services.create_article(
        by=author,
        title=title,
        section=sec or section(),
        visibility=visibility,
        body=body or "# Refunds\n\nRefunds reach your card within 5 business days.",
    )


def publish_version(version, *, author, approver):
    documents.submit(version.pk, by=author)
    documents.approve(version.pk, by=approver)
    return documents.publish(version.pk, by=approver)


def live_article(author, approver, **kw) -> Article:
    version = publish_version(draft_article(author, **kw), author=author, approver=approver)
    return Article.objects.get(document_id=version.document_id)
