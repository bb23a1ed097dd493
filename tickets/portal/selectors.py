"""What a portal session may read: the requests of its own address, their public messages.

Every read is filtered by the session's address (case-insensitive), so another customer's
request is simply not found (404), whatever its number."""

from __future__ import annotations

from django.db.models import QuerySet

from tickets.attachments.models import Attachment
from tickets.models import Customer, SurveyInvitation, Ticket, TicketEvent
from tickets.models.events import EventType


def requests_of(email: str) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(requester__in=Customer.objects.with_email(email))
        .select_related("requester", "category")
        .order_by("-updated_at", "-pk")
    )


def request_for(email: str, ticket_id: int) -> Ticket | None:
    return requests_of(email).filter(pk=ticket_id).first()


PUBLIC_TYPES = (EventType.CREATED, EventType.PUBLIC_REPLY)


def public_conversation(ticket: Ticket) -> list[TicketEvent]:
    """The public replies, oldest first, with their files; never internal notes. (The
    opening message is the ticket's description; its files are ``opening_files``.)"""
    return list(
        TicketEvent.objects.filter(ticket=ticket, type=EventType.PUBLIC_REPLY)
        .select_related("actor", "customer")
        .prefetch_related("attachments")
        .order_by("pk")
    )


def opening_files(ticket: Ticket) -> list[Attachment]:
    return list(
        Attachment.objects.filter(ticket=ticket, event__type=EventType.CREATED).order_by("pk")
    )


def attachment_for(email: str, pk: int) -> Attachment | None:
    """A file of one of ``email``'s requests that came with a public message."""
    return (
        Attachment.objects.filter(
            pk=pk,
            ticket__requester__in=Customer.objects.with_email(email),
            event__type__in=PUBLIC_TYPES,
        )
        .select_related("event")
        .first()
    )


def survey_for(ticket: Ticket) -> SurveyInvitation | None:
    return SurveyInvitation.objects.filter(ticket=ticket).order_by("-pk").first()
