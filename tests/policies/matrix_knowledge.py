"""Permission matrix rows: the knowledge base's staff pages and the public help center.

The help center's article and category rows use an *internal* live article: nobody, signed
in or not, reaches it there, and its image only staff (the public cases are in
test_helpcenter.py)."""

from __future__ import annotations

from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile

from policies.knowledge.models import Article, ArticleFeedback, ArticleImage
from tests.factories import UserFactory
from tests.matrix import Row, all_personas, api_staff, staff
from tests.policies.knowledge_helpers import live_article, section

REPS_403 = {"rep": 403, "rep_other_team": 403}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _article(ctx, visibility: str = "public", category: str = "Billing") -> Article:
    author = UserFactory(username="mona", role="Manager")
    article = live_article(
        author, ctx["users"]["director"], visibility=visibility, sec=section("Refunds", category)
    )
    ctx["article"] = article
    return article


def article_pk(ctx) -> dict:
    return {"pk": _article(ctx).pk}


def public_slug(ctx) -> dict:
    caches["ratelimit"].clear()
    return {"slug": _article(ctx).slug}


def internal_slug(ctx) -> dict:
    return {"slug": _article(ctx, "internal", "Staff only").slug}


def internal_category(ctx) -> dict:
    _article(ctx, "internal", "Staff only")
    return {"slug": "staff-only"}


def internal_image_key(ctx) -> dict:
    """An image that only a live internal article shows."""
    author = UserFactory(username="mona", role="Manager")
    image = ArticleImage.objects.create(
        file=_png("m.png"), content_type="image/png", uploaded_by=author,
        uploaded_at="2026-01-01T00:00Z",
    )  # fmt: skip
    live_article(
        author, ctx["users"]["director"], visibility="internal",
        sec=section("Runbooks", "Staff only"), body=f"![map](/help/images/{image.key}/)",
    )  # fmt: skip
    return {"key": image.key}


def _png(name: str):
    return SimpleUploadedFile(name, PNG)


def settings_snapshot(ctx):
    a = Article.objects.get(pk=ctx["article"].pk)
    return (a.visibility, a.section_id)


def versions_snapshot(ctx):
    return ctx["article"].document.versions.count()


def section_pk(ctx) -> dict:
    return {"pk": section().pk}


def feedback_pk(ctx) -> dict:
    return {"pk": ArticleFeedback.objects.create(article=_article(ctx), helpful=True,
                                                 at="2026-01-01T00:00Z").pk}  # fmt: skip


def new_article(ctx) -> dict:
    return {"title": "Gift cards", "section": section().pk, "visibility": "public",
            "body": "Gift cards never expire."}  # fmt: skip


JSON = "application/json"


ROWS: dict[str, Row] = {
    "knowledge:article-list": Row("get", staff(200)),
    "knowledge:article-new": Row("get", staff(200, **REPS_403)),
    "knowledge:article-detail": Row("get", staff(200), kwargs=article_pk),
    "knowledge:article-settings": Row(
        "post", staff(302, **REPS_403), kwargs=article_pk, snapshot=settings_snapshot,
        data=lambda ctx: {"section": ctx["article"].section_id, "visibility": "internal"},
    ),
    "knowledge:article-suggest": Row(
        "post", staff(302), kwargs=article_pk, snapshot=versions_snapshot,
        data=lambda ctx: {"body": "Better text.", "note": "Clearer"},
    ),
    "knowledge:image-upload": Row(
        "post", staff(200, **REPS_403), snapshot=lambda ctx: ArticleImage.objects.count(),
        data=lambda ctx: {"file": _png("x.png"), "alt": "x"},
    ),
    # API
    "knowledge-api:article-list": Row("get", api_staff(200)),
    "knowledge-api:article-detail": Row("get", api_staff(200), kwargs=article_pk),
    "knowledge-api:article-suggest": Row(
        "post", api_staff(201), kwargs=article_pk, snapshot=versions_snapshot, content_type=JSON,
        data=lambda ctx: {"body": "Better.", "note": "Clearer"},
    ),
    "knowledge-api:article-section-list": Row("get", api_staff(200)),
    "knowledge-api:article-section-detail": Row("get", api_staff(200), kwargs=section_pk),
    "knowledge-api:article-feedback-list": Row("get", api_staff(200, **REPS_403)),
    "knowledge-api:article-feedback-detail": Row(
        "get", api_staff(200, **REPS_403), kwargs=feedback_pk
    ),
    # Public help center: open to everyone...
    "help:home": Row("get", all_personas(200)),
    "help:search": Row("get", all_personas(200), data=lambda ctx: {"q": "refund"}),
    "help:suggest": Row("get", all_personas(200), data=lambda ctx: {"subject": "refund"}),
    "help:feedback": Row(
        "post", all_personas(200), kwargs=public_slug, data=lambda ctx: {"helpful": "yes"}
    ),
    # ...but an internal article, a category of internal articles and an image only internal
    # articles show are never there (the image is for staff: a public one is in test_helpcenter).
    "help:image": Row("get", staff(200, no_role=404), kwargs=internal_image_key),
    "help:article": Row("get", all_personas(404), kwargs=internal_slug),
    "help:category": Row("get", all_personas(404), kwargs=internal_category),
}  # fmt: skip
