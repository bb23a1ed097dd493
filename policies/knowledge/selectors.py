"""Reads of the knowledge base: the help center's pages, search and related articles, and
the workspace's suggestions. PostgreSQL searches the GIN-indexed ``search_vector``; the
embedded SQLite mode falls back to substring matches."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, F, Prefetch, Q, QuerySet

from csops import permissions
from csops.permissions.roles import AnyUser
from policies.knowledge.models import (
    Article,
    ArticleCategory,
    ArticleSection,
    TicketArticleLink,
    Visibility,
)

_WORD = re.compile(r"[a-z0-9]{3,}")
# Words that say nothing about what a ticket is about (kept short: the ranking does the rest).
_STOP = frozenset(
    (  # noqa: SIM905 - a word list reads better as one string
        "the and for you your with this that have has had was were are not but can could would "
        "please thanks thank hello dear regards from our any all when what why how who into just "
        "about there their been also will get got did does able need want know help"
    ).split()
)
MAX_TERMS = 12
# Ranking reads each matching row's tsvector, so its cost grows with the matches: a word
# found in most articles would rank them all. At most this many matches (found through the
# GIN index, cheap) are ranked; with fewer matches every one is ranked.
RANK_CANDIDATES = 100


def live(qs: QuerySet | None = None) -> QuerySet:
    return (qs if qs is not None else Article.objects.all()).filter(current_version__isnull=False)


def public_articles() -> QuerySet:
    """What anyone may read: live public articles."""
    return live().filter(visibility=Visibility.PUBLIC).select_related("section__category")


def image_is_public(key: object) -> bool:
    """An image is public while a live public article's text shows it
    (``![alt](/help/images/<key>/)``); an image only internal articles, drafts or nothing
    show is for staff."""
    return public_articles().filter(body_text__contains=f"/help/images/{key}/").exists()


def readable_articles(user: AnyUser) -> QuerySet:
    """Staff read live internal and public articles (writers also see the rest); anyone
    else reads the help center's."""
    if permissions.is_staff_member(user):
        return live(permissions.scope_articles(user, Article.objects.all())).select_related(
            "section__category"
        )
    return public_articles()


@dataclass
class CategoryCard:
    category: ArticleCategory
    sections: list[ArticleSection]
    count: int


def help_home() -> list[CategoryCard]:
    """Categories with their sections, each with how many public articles it has; empty
    ones are left out."""
    counted = ArticleSection.objects.annotate(
        n=Count(
            "articles",
            filter=Q(
                articles__visibility=Visibility.PUBLIC, articles__current_version__isnull=False
            ),
        )
    ).filter(n__gt=0)
    categories = ArticleCategory.objects.prefetch_related(
        Prefetch("sections", queryset=counted, to_attr="live_sections")
    )
    cards = []
    for category in categories:
        if category.live_sections:
            total = sum(s.n for s in category.live_sections)
            cards.append(CategoryCard(category, category.live_sections, total))
    return cards


def search(qs: QuerySet, text: str, *, limit: int = 20) -> list[Article]:
    """Articles of ``qs`` matching a person's query (all words, web-search syntax), best
    first."""
    text = " ".join(text.split())[:200]
    if not text:
        return []
    if settings.IS_POSTGRES:
        query = SearchQuery(text, config="english", search_type="websearch")
        return _ranked(qs, query, limit)
    words = text.split()[:MAX_TERMS]
    match = Q()
    for word in words:
        match &= Q(title__icontains=word) | Q(body_text__icontains=word)
    return list(qs.filter(match).order_by("title", "pk")[:limit])


def _ranked(qs: QuerySet, query: SearchQuery, limit: int) -> list[Article]:
    # Two statements: the matches' ids from the GIN index, then those rows by primary key.
    # (As one statement, ``IN (subquery … LIMIT)`` made PostgreSQL scan the whole table.)
    candidates = list(
        qs.filter(search_vector=query).order_by().values_list("pk", flat=True)[:RANK_CANDIDATES]
    )
    if not candidates:
        return []
    return list(
        Article.objects.filter(pk__in=candidates)
        .select_related("section__category")
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "pk")
        .defer("search_vector")[:limit]
    )


def key_terms(text: str) -> list[str]:
    """The distinct telling words of a text, in order (at most ``MAX_TERMS``)."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        if word not in _STOP and not word.isdigit():
            seen.setdefault(word, None)
    return list(seen)[:MAX_TERMS]


def suggest(qs: QuerySet, text: str, *, limit: int = 5) -> list[Article]:
    """Articles of ``qs`` that share the most telling words with a free text (a ticket's
    subject and latest message, a subject being typed): any word may match, the ranking
    prefers articles matching more of them and in the title."""
    terms = key_terms(text)
    if not terms:
        return []
    if settings.IS_POSTGRES:
        # Terms are [a-z0-9] only, so the raw tsquery cannot be malformed; prefix match lets
        # "refund" find "refunds" and "refunded".
        query = SearchQuery(" | ".join(f"{t}:*" for t in terms), config="english",
                            search_type="raw")  # fmt: skip
        return _ranked(qs, query, limit)
    match = Q()
    for term in terms:
        match |= Q(title__icontains=term)
    return list(qs.filter(match).order_by("title", "pk")[:limit])


def related(article: Article, qs: QuerySet, *, limit: int = 5) -> list[Article]:
    """Other articles of the same section, then of the same category."""
    others = qs.exclude(pk=article.pk)
    same_section = list(others.filter(section=article.section_id).order_by("title")[:limit])
    if len(same_section) < limit:
        more = (
            others.filter(section__category=article.section.category_id)
            .exclude(section=article.section_id)
            .order_by("title")[: limit - len(same_section)]
        )
        same_section += list(more)
    return same_section


def linked_articles(ticket_id: int) -> list[Article]:
    """Articles a rep marked as having answered this ticket."""
    ids = TicketArticleLink.objects.filter(ticket_id=ticket_id).values("article_id")
    return list(Article.objects.filter(pk__in=ids).order_by("title"))
