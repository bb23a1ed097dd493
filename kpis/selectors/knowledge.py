"""Knowledge KPIs (issue 17): article views, the helpful ratio, tickets linked to each
article, help-center searches that found nothing (the articles to write next) and deflected
contacts, over a date range. Read from the knowledge base's own tables (``policies``): each
is one indexed aggregate over the range, whatever the number of tickets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, Sum

from kpis.zone import day_start
from policies.knowledge.models import (
    ArticleFeedback,
    ArticleViewDay,
    Deflection,
    HelpSearch,
    TicketArticleLink,
)

TOP = 10


@dataclass
class KnowledgeFigures:
    views: int = 0
    helpful: int = 0
    rated: int = 0
    deflected: int = 0
    searches: int = 0
    searches_empty: int = 0
    top_viewed: list[tuple[str, int]] = field(default_factory=list)
    most_linked: list[tuple[str, int]] = field(default_factory=list)
    gaps: list[tuple[str, int]] = field(default_factory=list)

    @property
    def helpful_ratio(self) -> float | None:
        return None if not self.rated else self.helpful / self.rated


def knowledge_figures(start: date, end: date) -> KnowledgeFigures:
    """``start`` and ``end`` are days of the reporting zone, ``end`` included."""
    since, until = day_start(start), day_start(end + timedelta(days=1))
    in_range = Q(at__gte=since, at__lt=until)
    views = ArticleViewDay.objects.filter(day__range=(start, end))
    figures = KnowledgeFigures(views=views.aggregate(n=Sum("views", default=0))["n"])
    rated = ArticleFeedback.objects.filter(in_range).aggregate(
        n=Count("pk"), yes=Count("pk", filter=Q(helpful=True))
    )
    figures.rated, figures.helpful = rated["n"], rated["yes"]
    searches = HelpSearch.objects.filter(in_range)
    counts = searches.aggregate(n=Count("pk"), empty=Count("pk", filter=Q(results=0)))
    figures.searches, figures.searches_empty = counts["n"], counts["empty"]
    figures.gaps = list(
        searches.filter(results=0)
        .values("query")
        .annotate(n=Count("pk"))
        .order_by("-n", "query")
        .values_list("query", "n")[:TOP]
    )
    figures.top_viewed = list(
        views.values("article__title")
        .annotate(n=Sum("views"))
        .order_by("-n", "article__title")
        .values_list("article__title", "n")[:TOP]
    )
    figures.most_linked = list(
        TicketArticleLink.objects.filter(in_range)
        .values("article__title")
        .annotate(n=Count("pk"))
        .order_by("-n", "article__title")
        .values_list("article__title", "n")[:TOP]
    )
    figures.deflected = (
        Deflection.objects.filter(read_at__gte=since, read_at__lt=until, submitted_at__isnull=True)
        .values("visit")
        .distinct()
        .count()
    )
    return figures
