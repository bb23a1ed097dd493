"""Saved views from the queue: save the current filters and columns, delete, and the
sidebar's counts."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from csops import permissions
from csops.errors import InvalidInput
from csops.htmx import domain_errors
from tickets import columns as queue_columns
from tickets.saved_views import selectors, services
from tickets.saved_views.forms import SaveViewForm
from tickets.saved_views.models import SavedView

SIDEBAR = "tickets/saved_views/_sidebar.html"


def view_url(view: SavedView) -> str:
    """The queue showing the view (``saved`` marks it current in the sidebar)."""
    pairs = [(k, v) for k, values in view.query.items() for v in values]
    shown = queue_columns.chosen(view.columns)
    if shown != queue_columns.KEYS:
        pairs += [("columns", c) for c in shown]
    return f"{reverse('tickets:queue')}?{urlencode([*pairs, ('saved', view.pk)])}"


def sidebar_context(request: HttpRequest, *, counts: bool) -> dict:
    views = list(selectors.visible_views(request.user))
    for view in views:
        view.url = view_url(view)
        view.changeable = permissions.can_change_saved_view(request.user, view)
    found = selectors.view_counts(request.user, views) if counts else {}
    for view in views:
        view.count = found.get(view.pk)
    return {
        "saved_views": views,
        "with_counts": counts,
        "current_saved": request.GET.get("saved", ""),
    }


def _filters(request: HttpRequest) -> QueryDict:
    """The queue's filters: the live filter form's values (htmx includes them), else the
    query string the page was rendered with (a form without JS)."""
    if any(name in request.POST for name in (*services.KEPT, "columns")):
        return request.POST
    return QueryDict(request.POST.get("query", "")[:2000])


@require_POST
@domain_errors
def saved_view_create(request: HttpRequest) -> HttpResponse:
    form = SaveViewForm(request.POST, user=request.user)
    if not form.is_valid():
        fields = {k: list(v) for k, v in form.errors.items()}
        raise InvalidInput(
            "Give the view a name (and a team you manage to share it).", fields=fields
        )
    team = form.cleaned_data["team"]
    filters = _filters(request)
    view = services.save_view(
        by=request.user,
        name=form.cleaned_data["name"],
        query=filters,
        team_id=team.pk if team else None,
        # The columns ticked in the filter form (a view saved from an old link: the known ones).
        columns=queue_columns.chosen(filters.getlist("columns")),
    )
    shared = f" and shared with {team.name}" if team else ""
    messages.success(request, f"View “{view.name}” saved{shared}.")
    url = view_url(view)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_POST
@domain_errors
def saved_view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.access_saved_view(request.user, pk)
    services.delete_view(pk, by=request.user)
    messages.success(request, f"View “{view.name}” deleted.")
    url = reverse("tickets:queue")
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_GET
def saved_view_counts(request: HttpRequest) -> HttpResponse:
    """The sidebar with each view's count (the queue page loads it after itself)."""
    response = render(request, SIDEBAR, sidebar_context(request, counts=True))
    response["Vary"] = "HX-Request"
    return response
