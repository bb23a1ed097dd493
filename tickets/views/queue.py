from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from csops import permissions
from csops.roles import Role
from tickets import selectors
from tickets.filters import VIEW_CHOICES, TicketFilter


def _page_number(request: HttpRequest) -> int:
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        return 1


def default_view(user) -> str:
    """A rep lands on their own unsolved tickets (as Zendesk's "Your unsolved tickets");
    managers and directors on all their teams."""
    return "mine" if permissions.role_of(user) == Role.REP else "teams"


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if not data.get("view"):
        data["view"] = default_view(request.user)
    filterset = TicketFilter(data, request=request)
    valid = filterset.is_valid()
    page = selectors.queue_page(filterset.qs, _page_number(request)) if valid else None
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "views": VIEW_CHOICES,
        "current_view": filterset.form.data["view"],
        "query_without_page": params.urlencode(),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "tickets/queue.html#results" if partial else "tickets/queue.html"
    response = render(request, template, context, status=200 if valid else 400)
    response["Vary"] = "HX-Request"
    return response
