"""What a portal session may read: the requests of its own address, their public messages.

Every read is filtered by the session's address (case-insensitive), so another customer's
request is simply not found (404), whatever its number."""

from __future__ import annotations

from django.db.models import QuerySet

from tickets.models import SurveyInvitation, Ticket, TicketEvent
from tickets.models.events import EventType


def requests_of(email: str) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(requester__email__iexact=email)
        .select_related("requester", "category")
        .order_by("-updated_at", "-pk")
    )


def request_for(email: str, ticket_id: int) -> Ticket | None:
    return requests_of(email).filter(pk=ticket_id).first()


def public_conversation(ticket: Ticket) -> list[TicketEvent]:
    """The opening message and the public replies, oldest first; never internal notes."""
    return list(
        TicketEvent.objects.filter(ticket=ticket, type=EventType.PUBLIC_REPLY)
        .select_related("actor", "customer")
        .order_by("pk")
    )


def survey_for(ticket: Ticket) -> SurveyInvitation | None:
    return SurveyInvitation.objects.filter(ticket=ticket).order_by("-pk").first()
