"""The workspace's presence poll: a tiny POST every few seconds from each open ticket."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from csops import permissions
from csops.htmx import domain_errors
from tickets import selectors
from tickets.models import Ticket
from tickets.presence import services


def _int(value: str | None) -> int:
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0


def _ticket(request: HttpRequest, pk: int) -> Ticket:
    """``access_ticket`` (same scope rule, same NotFound) reading only what the poll uses: the
    row is fetched every few seconds by every open workspace, so neither the description nor
    the search vector is read, and no sort by the model's default ordering."""
    return permissions.one_in_scope(
        permissions.scope_tickets(
            request.user, Ticket.objects.only("id", "version", "team_id").order_by()
        ),
        pk,
        lock=None,
        missing=f"Ticket #{pk} does not exist or is not in your teams.",
    )


@require_POST
@domain_errors
def ticket_presence(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the person's presence (``typing=1`` while they write) and answer who else is
    here. ``version`` and ``seen`` (the page's ticket version and newest event) let the
    answer say who changed the ticket since the page was loaded."""
    ticket = _ticket(request, pk)
    others = services.beat(ticket.pk, request.user, typing=request.POST.get("typing") == "1")
    version, seen = _int(request.POST.get("version")), _int(request.POST.get("seen"))
    changes = []
    if version and seen and ticket.version != version:
        changes = selectors.changes_since(ticket, seen, limit=3)
    context = {"ticket": ticket, "others": others, "changes": changes}
    # Rendered without the request: no context processors (navigation, unread count) to run.
    return HttpResponse(render_to_string("tickets/presence/_presence.html", context))


@require_POST
@domain_errors
def ticket_presence_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """Sent by the page as it closes (navigator.sendBeacon): drop the person at once."""
    ticket = permissions.access_ticket(request.user, pk)
    services.leave(ticket.pk, request.user)
    return HttpResponse(status=204)
