"""Reads of saved views: the ones a person sees, and the number of tickets in each."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.auth.models import User
from django.db.models import F, QuerySet
from django.http import QueryDict

from csops import permissions
from csops.errors import NotFound
from tickets.filters import TicketFilter
from tickets.saved_views.models import SavedView
from tickets.selectors import COUNT_CAP


def visible_views(user: User) -> QuerySet[SavedView]:
    """Personal views first, then the teams' views, each by name."""
    qs = permissions.scope_saved_views(user, SavedView.objects.select_related("team"))
    return qs.order_by(F("team__name").asc(nulls_first=True), "name", "pk")


def access_saved_view(user: User, pk: int) -> SavedView:
    view = visible_views(user).filter(pk=pk).first()
    if view is None:
        raise NotFound(f"View #{pk} does not exist or is not yours.")
    return view


def as_query_dict(query: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in query.items():
        data.setlist(name, [str(v) for v in values])
    return data


def filterset_for(user: User, query: dict) -> TicketFilter:
    """The queue's own FilterSet over the view's parameters, scoped to ``user``."""
    return TicketFilter(as_query_dict(query), request=SimpleNamespace(user=user))


@dataclass(frozen=True)
class ViewCount:
    count: int
    capped: bool  # more than ``count``: the sidebar shows "1000+"

    def __str__(self) -> str:
        return f"{self.count:,}+" if self.capped else f"{self.count:,}"


def view_counts(user: User, views: list[SavedView]) -> dict[int, ViewCount]:
    """Tickets in each view for ``user`` (a "My tickets" view counts each person's own),
    counted up to ``COUNT_CAP`` like the queue's total: one bounded query per view."""
    out = {}
    for view in views:
        filterset = filterset_for(user, view.query)
        if not filterset.is_valid():  # a tag or person removed since: nothing matches
            out[view.pk] = ViewCount(0, False)
            continue
        n = filterset.qs.order_by().values("pk")[: COUNT_CAP + 1].count()
        out[view.pk] = ViewCount(min(n, COUNT_CAP), n > COUNT_CAP)
    return out
