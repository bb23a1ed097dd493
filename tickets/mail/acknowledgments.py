"""The "we received your request" mail: the requester learns the ticket's reference and gets
a portal link (a magic link bound to their address, opening this request).

``acknowledge(ticket)`` queues it through the outbox (``kind`` ack, no event, its text on the
row) and its send job, in the caller's transaction: call it in the transaction that created
the ticket, so a ticket that committed always has its acknowledgment. It is sent with
``Auto-Submitted: auto-generated``.

**The caller decides whether a message deserves one.** Never call it for an auto-reply, an
out-of-office, a bounce or a mailing-list message (inbound mail classifies those first), nor
for a ticket an agent opened for the customer: an acknowledgment answers a person who wrote.

It returns None, queueing nothing, when the requester has no address, when the ticket already
has its acknowledgment (one per ticket: a retried creation does not mail twice), or when
``ACK_MAX_PER_HOUR`` acknowledgments already went to that address in the last hour (so two
help desks acknowledging each other's mail stop after a few rounds). The cap is counted under
a lock on the requester's row, so concurrent tickets of one address cannot overshoot it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from csops import jobs
from tickets.mail import compose, services
from tickets.mail.models import MessageKind, OutboundMessage
from tickets.models import Customer, Ticket
from tickets.portal import links


def body_for(ticket: Ticket, link: str) -> str:
    name = ticket.requester.name or "there"
    return (
        f"Hello {name},\n\n"
        f'We received your request "{ticket.subject}". Its reference is #{ticket.pk}.\n'
        "A member of our support team will answer you soon.\n\n"
        f"Follow your request and answer us in the customer portal:\n<{link}>\n\n"
        "You can also reply to this email; keep the reference in the subject.\n\n"
        "This message was sent automatically."
    )


@transaction.atomic
def acknowledge(ticket: Ticket, *, in_reply_to: str = "") -> OutboundMessage | None:
    """Queue the acknowledgment of a new ticket (see the module docstring for when not to).
    ``in_reply_to``: the Message-ID of the customer's mail that opened it, if any, so the
    acknowledgment threads under it."""
    address = links.normalize(ticket.requester.email)
    if not address:
        return None
    Customer.objects.select_for_update().filter(pk=ticket.requester_id).first()
    # Under the lock, one query: this ticket's acknowledgment, and the address's last hour.
    since = timezone.now() - timedelta(hours=1)
    this_ticket, last_hour = Q(ticket=ticket), Q(auto_recipient=address, created_at__gte=since)
    sent = OutboundMessage.objects.filter(
        this_ticket | last_hour, kind=MessageKind.ACKNOWLEDGMENT
    ).aggregate(
        this_ticket=Count("pk", filter=this_ticket), last_hour=Count("pk", filter=last_hour)
    )
    if sent["this_ticket"] or sent["last_hour"] >= settings.ACK_MAX_PER_HOUR:
        return None
    link = links.magic_link(address, ticket_id=ticket.pk)
    message = OutboundMessage.objects.create(
        ticket=ticket,
        kind=MessageKind.ACKNOWLEDGMENT,
        recipients=[ticket.requester.email],
        auto_recipient=address,
        subject=compose.subject_for(ticket.pk, f"We received your request: {ticket.subject}"),
        body=body_for(ticket, link),
        message_id=compose.new_auto_message_id(ticket.pk, MessageKind.ACKNOWLEDGMENT),
        in_reply_to=in_reply_to,
        references=in_reply_to,
        created_at=timezone.now(),
    )
    services.enqueue(message, priority=jobs.Priority.BULK)  # a burst's acks go after replies
    return message
