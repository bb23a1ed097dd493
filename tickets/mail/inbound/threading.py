"""Which ticket a received message belongs to, in this order (issue 14):

1. In-Reply-To, then References (newest first), matching a Message-ID we sent (the outbox) or
   received (an earlier inbound record with a ticket). A forwarded message is threaded by its
   In-Reply-To only: clients copy the forwarded mail's References into a forward, which is a
   new conversation. A bounce is also matched by the Message-ID of the mail it returns.
2. A signed ticket reference (``tokens``) in a recipient address (our Reply-To) or the subject.
3. Otherwise none: the caller opens a new ticket in the mailbox's team.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tickets.mail.inbound import noise, tokens
from tickets.mail.inbound.models import InboundMessage
from tickets.mail.inbound.parse import ParsedMail
from tickets.mail.models import OutboundMessage
from tickets.models import Ticket


@dataclass(frozen=True)
class Thread:
    ticket_id: int | None
    how: str = ""  # "in_reply_to", "references", "reply_address", "subject", ""


def _by_message_ids(ids: list[str], pending: Mapping[str, int]) -> int | None:
    """The ticket of the first id in ``ids`` that we sent or received (``pending``: received
    earlier in the batch, not yet recorded)."""
    if not ids:
        return None
    known = dict(
        # a staff mail (a digest) has no ticket: an answer to it threads nowhere
        OutboundMessage.objects.filter(message_id__in=ids, ticket__isnull=False).values_list(
            "message_id", "ticket_id"
        )
    )
    known.update(
        InboundMessage.objects.filter(message_id__in=ids, ticket__isnull=False)
        .exclude(message_id="")
        .values_list("message_id", "ticket_id")
    )
    known.update((i, pending[i]) for i in ids if i in pending)
    for message_id in ids:
        if message_id in known:
            return known[message_id]
    return None


def find(mail: ParsedMail, *, kind: str = "", pending: Mapping[str, int] | None = None) -> Thread:
    """The ticket ``mail`` continues. ``pending``: Message-ID → ticket of the messages that
    came earlier in the same batch, whose records are written with the batch's."""
    pending = pending or {}
    in_reply_to = list(reversed(mail.in_reply_to))
    if kind == noise.BOUNCE:
        in_reply_to += noise.bounced_message_ids(mail)
    ticket_id = _by_message_ids(in_reply_to, pending)
    if ticket_id is not None:
        return Thread(ticket_id, "in_reply_to")
    if not mail.forwarded:
        ticket_id = _by_message_ids(list(reversed(mail.references)), pending)
        if ticket_id is not None:
            return Thread(ticket_id, "references")
    for how, ticket_id in (
        ("reply_address", tokens.ticket_from_addresses(mail.recipients)),
        ("subject", tokens.ticket_from_subject(mail.subject)),
    ):
        if ticket_id is not None and Ticket.objects.filter(pk=ticket_id).exists():
            return Thread(ticket_id, how)
    return Thread(None)
