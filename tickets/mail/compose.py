"""The MIME message of an outbox row: threading headers, a text part and an HTML part.

The text part is the reply as the rep wrote it (Markdown reads as plain text); the HTML part
is that Markdown rendered and sanitized by ``policies.markup.render_markdown``. Agent replies
are written by people, so they carry no ``Auto-Submitted`` header; mails the system writes
itself (acknowledgments) are built with ``auto_generated=True`` and carry
``Auto-Submitted: auto-generated`` (RFC 3834), so well-behaved auto-responders stay quiet.

Mail comes from the ticket team's mailbox (``DEFAULT_FROM_EMAIL`` when the team has none) and
carries the ticket's signed reference (``tickets.mail.inbound.tokens``) in the subject and in a
Reply-To plus-address, so an answer finds its ticket even when the client drops In-Reply-To.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from policies.markup import render_markdown
from tickets.mail.inbound import tokens
from tickets.mail.inbound.models import Mailbox

MAX_REFERENCES = 20  # keep the header short on long threads; the newest ids matter most


def subject_for(ticket_id: int, subject: str) -> str:
    return f"{tokens.subject_reference(ticket_id)} {subject}"[:255]


def sender_for(team_id: int, ticket_id: int) -> tuple[str, str]:
    """(From, Reply-To) of a ticket's mail: the team's first enabled mailbox, and its signed
    plus-address for the ticket."""
    mailbox = Mailbox.objects.filter(team_id=team_id, enabled=True).order_by("pk").first()
    if mailbox is None:
        address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "support@csops.localhost"
        return settings.DEFAULT_FROM_EMAIL, tokens.reply_address(address, ticket_id)
    from_email = (
        formataddr((mailbox.from_name, mailbox.address)) if mailbox.from_name else (mailbox.address)
    )
    return from_email, tokens.reply_address(mailbox.address, ticket_id)


def mail_domain() -> str:
    """The domain of our Message-IDs: the From address's (no DNS lookup, stable per site)."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "csops.localhost"


def new_message_id(ticket_id: int, event_id: int) -> str:
    """Unique (one event, one message) and unguessable, and short enough that its header
    line is not folded: ``<t123.e4567.9f86d081884c@support.example.com>``."""
    return f"<t{ticket_id}.e{event_id}.{secrets.token_hex(6)}@{mail_domain()}>"


def new_auto_message_id(ticket_id: int, kind: str) -> str:
    """The Message-ID of a mail the system writes for a ticket (no event): ``<t123.ack.…@…>``."""
    return f"<t{ticket_id}.{kind}.{secrets.token_hex(6)}@{mail_domain()}>"


def new_staff_message_id(tag: str) -> str:
    """The Message-ID of a mail that belongs to no ticket: ``<digest.12.…@…>`` (a digest),
    ``<i3.f45.…@…>`` (an incident notice to a follower)."""
    return f"<{tag}.{secrets.token_hex(6)}@{mail_domain()}>"


def references_after(previous_references: str, previous_id: str) -> str:
    ids = [*previous_references.split(), previous_id]
    return " ".join(ids[-MAX_REFERENCES:])


def html_document(body: str) -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title></title></head>'
        f"<body>{render_markdown(body)}</body></html>"
    )


def build(
    *,
    subject: str,
    body: str,
    recipients: list[str],
    message_id: str,
    in_reply_to: str = "",
    references: str = "",
    auto_generated: bool = False,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    from_email: str = "",
    reply_to: str = "",
    html: str = "",
    extra_headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """``recipients``: the requester first (To), then the ticket's CC list (Cc). ``html``: the
    HTML part as written (a staff mail's own document); empty: the text rendered as Markdown."""
    headers = {**(extra_headers or {}), "Message-ID": message_id}
    if auto_generated:
        headers["Auto-Submitted"] = "auto-generated"
        headers["X-Auto-Response-Suppress"] = "All"  # Exchange/Outlook: no out-of-office back
    if in_reply_to:
        headers["In-Reply-To"] = in_reply_to
        headers["References"] = references or in_reply_to
    message = EmailMultiAlternatives(
        subject=subject,
        body=f"{body}\n",
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=recipients[:1],
        cc=recipients[1:],
        reply_to=[reply_to] if reply_to else None,
        headers=headers,
    )
    message.attach_alternative(html or html_document(body), "text/html")
    for filename, content, content_type in attachments:  # the rep's files (tickets.attachments)
        message.attach(filename, content, content_type)
    return message
