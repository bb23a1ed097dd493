"""What the workspace asks the knowledge base about a ticket."""

from __future__ import annotations

from policies.knowledge import selectors as knowledge
from tickets.models import Ticket, TicketEvent
from tickets.models.events import ActorRole, EventType


def latest_customer_message(ticket: Ticket) -> str:
    """The customer's last message (the opening description if they wrote nothing since).
    One index range scan backwards over the ticket's log (event_ticket_seq)."""
    body = (
        TicketEvent.objects.filter(
            ticket=ticket,
            actor_role=ActorRole.CUSTOMER,
            type__in=[EventType.CREATED, EventType.PUBLIC_REPLY],
        )
        .exclude(body="")
        .order_by("-pk")
        .values_list("body", flat=True)
        .first()
    )
    return body or ticket.description


def suggested_articles(ticket: Ticket, user, *, limit: int = 5) -> list:
    """Articles the rep may read that share the most telling words with the ticket's subject
    and the customer's latest message."""
    text = f"{ticket.subject}\n{latest_customer_message(ticket)[:2000]}"
    return knowledge.suggest(knowledge.readable_articles(user), text, limit=limit)
