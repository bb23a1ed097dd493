"""The knowledge base: articles in categories and sections, internal (staff) or public.

An article *is* a versioned, approved document: its text, drafts, review, publication,
retirement, version history, diff and audit are the ``PolicyDocument``/``PolicyVersion``
machinery (kind ``article``). This module holds only what a document lacks: where the article
sits (section), who may read it (visibility), its public address (slug), and a snapshot of
the version in force that the help center reads and searches (kept by
``knowledge.services.sync_article`` whenever a version is published or retired).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from csops.uploads import validate_upload


class Visibility(models.TextChoices):
    INTERNAL = "internal", "Internal (staff only)"
    PUBLIC = "public", "Public (help center)"


class ArticleCategory(models.Model):
    """A top-level group of the help center ("Billing", "Orders and delivery")."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "article categories"

    def __str__(self) -> str:
        return self.name


class ArticleSection(models.Model):
    category = models.ForeignKey(ArticleCategory, on_delete=models.PROTECT, related_name="sections")
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["category__position", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["category", "slug"], name="articlesection_slug_once")
        ]

    def __str__(self) -> str:
        return f"{self.category} › {self.name}"


class Article(models.Model):
    document = models.OneToOneField(
        "policies.PolicyDocument", on_delete=models.CASCADE, related_name="article"
    )
    section = models.ForeignKey(ArticleSection, on_delete=models.PROTECT, related_name="articles")
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    slug = models.SlugField(max_length=120, unique=True)
    # Snapshot of the version in force (None: nothing published yet, or retired).
    current_version = models.ForeignKey(
        "policies.PolicyVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200, blank=True)
    body_text = models.TextField(blank=True, help_text="Markdown source of the version in force.")
    body_html = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # PostgreSQL only (GIN index article_search_gin, migration 0004); SQLite searches with LIKE.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["section", "title", "pk"]
        indexes = [
            # The help center's category and section pages: live public articles of a section.
            models.Index(fields=["visibility", "section"], name="article_visible_section"),
        ]

    def __str__(self) -> str:
        return self.title or self.document.title

    @property
    def is_live(self) -> bool:
        return self.current_version_id is not None


class ArticleImage(models.Model):
    """An image an article's Markdown shows as ``![alt](/help/images/<key>/)``."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to="knowledge/%Y/%m/", validators=[validate_upload])
    content_type = models.CharField(max_length=60)
    alt = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.alt or str(self.key)


class ArticleFeedback(models.Model):
    """One "was this helpful?" answer from the help center."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=2000)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["article", "at"], name="articlefeedback_article_at")]

    def __str__(self) -> str:
        return f"{'helpful' if self.helpful else 'not helpful'}: {self.article_id}"


class ArticleViewDay(models.Model):
    """Views of one article on one day (an upsert per view; the KPI tiles sum these)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="view_days")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="articleviewday_once")
        ]
        indexes = [models.Index(fields=["day"], name="articleviewday_day")]

    def __str__(self) -> str:
        return f"{self.article_id} on {self.day}: {self.views}"


class HelpSearch(models.Model):
    """A search someone ran (help center, deflection, workspace) and how many it found;
    those that found nothing are the articles to write next."""

    class Source(models.TextChoices):
        HELP_CENTER = "help", "Help center"
        DEFLECTION = "deflect", "Contact form"
        WORKSPACE = "workspace", "Workspace"

    query = models.CharField(max_length=200)
    results = models.PositiveIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["at", "results"], name="helpsearch_at_results")]

    def __str__(self) -> str:
        return f"{self.query} ({self.results})"


class Deflection(models.Model):
    """A customer on the contact form (or portal) opened a suggested article. ``submitted_at``
    is set if the same visit then sent a request anyway; otherwise it counts as deflected."""

    visit = models.CharField(max_length=40, db_index=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="deflections")
    read_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "article"], name="deflection_once")]
        indexes = [models.Index(fields=["read_at"], name="deflection_read_at")]

    def __str__(self) -> str:
        return f"visit {self.visit} read {self.article_id}"


class TicketArticleLink(models.Model):
    """ "This answered it": a rep links an article to a ticket. The ticket is a plain id
    (policies sits below tickets and does not import it)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="ticket_links")
    ticket_id = models.BigIntegerField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "ticket_id"], name="ticketarticle_once")
        ]
        indexes = [models.Index(fields=["ticket_id"], name="ticketarticle_ticket")]

    def __str__(self) -> str:
        return f"article {self.article_id} answered ticket {self.ticket_id}"
