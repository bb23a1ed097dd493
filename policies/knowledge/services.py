"""Knowledge-base use cases. The text and its lifecycle go through the document machinery
(``policies.services.documents``); these functions add the article's place, visibility and
help-center snapshot, the rep's suggested edit, images, and what readers do (views,
feedback, searches, deflections, "this answered it" links)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.postgres.search import SearchVector
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from csops import permissions
from csops.clock import now_s
from csops.errors import Conflict, InvalidInput, NotAllowed
from csops.notify import notify
from csops.uploads import check_upload
from policies.knowledge.models import (
    Article,
    ArticleFeedback,
    ArticleImage,
    ArticleSection,
    ArticleViewDay,
    Deflection,
    HelpSearch,
    TicketArticleLink,
    Visibility,
)
from policies.models import Kind, PolicyDocument, PolicyVersion, VersionState
from policies.models.documents import OPEN_STATES
from policies.selectors_documents import current_version_of
from policies.services import documents

COMMENT_MAX = 2000


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:100] or "article"
    slug, n = base, 1
    taken = Article.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_visibility(visibility: str) -> None:
    if visibility not in Visibility.values:
        raise InvalidInput("Unknown visibility.", fields={"visibility": ["Internal or public."]})


@transaction.atomic
def create_article(
    *,
    by: User,
    title: str,
    section: ArticleSection,
    visibility: str,
    body: str,
    approver: User | None = None,
    change_summary: str = "",
) -> PolicyVersion:
    """A new article: a document of kind ``article`` with its first draft. Returns the draft
    (it goes through review and publication like any document version)."""
    permissions.ensure_can_write_articles(by)
    _check_visibility(visibility)
    version = documents.create_document(
        by=by,
        title=title,
        kind=Kind.ARTICLE,
        approver=approver,
        body=body,
        change_summary=change_summary or "First version.",
        effective_date=timezone.localdate(),
        as_article=True,
    )
    Article.objects.create(
        document=version.document,
        section=section,
        visibility=visibility,
        slug=_unique_slug(title),
        title=version.document.title,
    )
    return version


@transaction.atomic
def update_article(
    article_id: int, *, by: User, section: ArticleSection, visibility: str
) -> Article:
    """Move an article to another section or change who may read it."""
    permissions.ensure_can_write_articles(by)
    _check_visibility(visibility)
    article = permissions.access_article(by, article_id, for_update=True)
    article.section = section
    article.visibility = visibility
    article.save(update_fields=["section", "visibility"])
    return article


def sync_article(document_id: int) -> None:
    """Refresh the help-center snapshot of a document's article from the version in force
    (none: the article leaves the help center). Idempotent; a document that is no article
    is ignored. Hooked to publication in ``PoliciesConfig.ready``."""
    article = Article.objects.select_for_update().filter(document_id=document_id).first()
    if article is None:
        return
    document = PolicyDocument.objects.get(pk=document_id)
    current = current_version_of(document)
    article.title = document.title
    if current is None:
        article.current_version = None
        article.body_text = article.body_html = ""
        article.published_at = None
    else:
        article.current_version = current
        article.body_text = current.body
        article.body_html = current.body_html
        article.published_at = current.published_at
    article.save()
    if settings.IS_POSTGRES:
        Article.objects.filter(pk=article.pk).update(
            search_vector=SearchVector("title", weight="A", config="english")
            + SearchVector("body_text", weight="B", config="english")
        )


@transaction.atomic
def suggest_edit(article_id: int, *, by: User, body: str, note: str) -> PolicyVersion:
    """A rep's suggested change becomes a draft of the article (authored by them) that a
    manager reviews and submits; refused while another version is on its way."""
    if not permissions.can_suggest_article_edit(by):
        raise NotAllowed("Only staff may suggest edits.")
    article = permissions.access_article(by, article_id)
    if not body.strip():
        raise InvalidInput("The text is empty.", fields={"body": ["Write the suggested text."]})
    if not note.strip():
        raise InvalidInput("Say why.", fields={"note": ["Say what is wrong or missing."]})
    document = PolicyDocument.objects.select_for_update().get(pk=article.document_id)
    open_version = document.versions.filter(state__in=OPEN_STATES).first()
    if open_version is not None:
        raise Conflict(
            f"Version {open_version.number} of this article is already"
            f" {open_version.get_state_display().lower()}: add your note to it or wait."
        )
    at = now_s()
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PolicyVersion(
        document=document, number=number, author=by, created_at=at, updated_at=at
    )
    documents._fill(version, by, body, [], f"Suggested: {note.strip()}"[:300],
                    timezone.localdate(), False, [], [], 7)  # fmt: skip
    documents._record(version, "", VersionState.DRAFT, by, at, f"Suggested edit: {note.strip()}")
    name = by.get_full_name() or by.get_username()
    notify(
        [u for u in [document.owner] if u.pk != by.pk],
        key=f"article-suggestion:{version.pk}",
        text=f"{name} suggested an edit to “{document.title}”.",
        url=reverse("policies:version-detail", args=[version.pk]),
    )
    return version


@transaction.atomic
def upload_image(*, by: User, upload: UploadedFile, alt: str = "") -> ArticleImage:
    permissions.ensure_can_write_articles(by)
    mime = check_upload(upload, field="file")
    if not mime.startswith("image/"):
        raise InvalidInput("Not an image.", fields={"file": ["Upload a PNG, JPEG or WebP."]})
    return ArticleImage.objects.create(
        file=upload, content_type=mime, alt=alt.strip()[:200], uploaded_by=by, uploaded_at=now_s()
    )


def record_view(article: Article, day: date | None = None) -> None:
    """Count one view (an upsert on (article, day))."""
    day = day or timezone.localdate()
    if ArticleViewDay.objects.filter(article=article, day=day).update(views=F("views") + 1):
        return
    try:
        with transaction.atomic():
            ArticleViewDay.objects.create(article=article, day=day, views=1)
    except IntegrityError:  # created by a concurrent view in between
        ArticleViewDay.objects.filter(article=article, day=day).update(views=F("views") + 1)


def add_feedback(article: Article, *, helpful: bool, comment: str = "") -> ArticleFeedback:
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(
            "The comment is too long.",
            fields={"comment": [f"Keep it under {COMMENT_MAX} characters."]},
        )
    return ArticleFeedback.objects.create(
        article=article, helpful=helpful, comment=comment, at=now_s()
    )


def log_search(query: str, results: int, source: str) -> None:
    query = " ".join(query.split())[:200]
    if query:
        HelpSearch.objects.create(query=query, results=results, source=source, at=now_s())


def record_deflection_read(visit: str, article: Article) -> None:
    """A customer who was typing a contact request opened this suggested article."""
    visit = visit[:40]
    if visit:
        Deflection.objects.get_or_create(
            visit=visit, article=article, defaults={"read_at": now_s()}
        )


def mark_visit_submitted(visit: str) -> int:
    """The contact form calls this when the visit sends its request after all: its reads no
    longer count as deflected. Returns how many reads it marked."""
    if not visit:
        return 0
    return Deflection.objects.filter(visit=visit[:40], submitted_at__isnull=True).update(
        submitted_at=now_s()
    )


@transaction.atomic
def link_to_ticket(article_id: int, *, ticket_id: int, by: User) -> TicketArticleLink:
    """ "This answered it". The caller (the ticket workspace) has checked ``by`` may work on
    the ticket; this checks they may read the article. Linking twice keeps the first link."""
    article = permissions.access_article(by, article_id)
    link, _ = TicketArticleLink.objects.get_or_create(
        article=article, ticket_id=ticket_id, defaults={"by": by, "at": now_s()}
    )
    return link
