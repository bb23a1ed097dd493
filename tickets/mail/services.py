"""Outbound email of public replies: queue in the reply's transaction, send once, retry.

``queue_replies`` is called by ``tickets.services.actions.record`` for every action's events,
so every door to a public reply (the workspace, macros, incident updates, the API) mails the
requester; internal notes and customers' own messages never are. The row is written and its
job enqueued in the reply's transaction: a reply that committed always has its message.

``send`` locks the row while the mail goes out and marks it sent in the same transaction, so
a retried or duplicated job finds it sent and does nothing. A worker killed between the SMTP
hand-off and the commit leaves the row queued; the job's retry sends it again with the same
Message-ID (at least once, never silently dropped). A failed try records its error and lets
the job runner retry with back-off (``JOB_RETRY_BASE_SECONDS``, doubled per attempt); after
``OUTBOX_MAX_ATTEMPTS`` tries the row is failed, shown in the workspace with a Retry button.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from csops import jobs, permissions
from csops.errors import InvalidTransition, NotFound
from csops.permissions.roles import AnyUser, has_role
from csops.roles import Role
from tickets.mail import compose
from tickets.mail.inbound.models import InboundMessage, InboundState
from tickets.mail.models import MessageKind, OutboundMessage, OutboxState
from tickets.models import Ticket, TicketEvent
from tickets.models.events import ActorRole, EventType

log = logging.getLogger(__name__)

SEND = "tickets.send_outbound_mail"  # job kind: send one outbox row (tickets/mail/jobs.py)


def max_attempts() -> int:
    return jobs.attempts_within(settings.OUTBOX_MAX_ATTEMPTS)


def _is_outgoing(event: TicketEvent) -> bool:
    return event.type == EventType.PUBLIC_REPLY and event.actor_role != ActorRole.CUSTOMER


def enqueue(message: OutboundMessage, *, priority: jobs.Priority = jobs.Priority.NORMAL) -> None:
    jobs.enqueue(
        SEND,
        key=f"outbox-mail:{message.pk}:{message.retries}",
        payload={"message": message.pk},
        priority=priority,
    )


def queue_staff_mail(
    *,
    recipient: str,
    subject: str,
    text: str,
    html: str,
    tag: str,
    files: Iterable[tuple[str, str, str]] = (),
    headers: dict[str, str] | None = None,
) -> OutboundMessage:
    """Queue a mail to a staff member that belongs to no ticket (a KPI digest): its text and
    HTML parts as given, text attachments ``(filename, content, type)``, extra headers. Call
    it in the transaction that records why the mail is sent, so both commit or neither."""
    message = OutboundMessage.objects.create(
        kind=MessageKind.DIGEST,
        recipients=[recipient],
        auto_recipient=recipient.lower(),
        subject=subject[:255],
        body=text,
        html_body=html,
        files=[{"filename": n, "content": c, "content_type": t} for n, c, t in files],
        headers=headers or {},
        message_id=compose.new_staff_message_id(tag),
        created_at=timezone.now(),
    )
    enqueue(message)
    return message


def queue_replies(ticket: Ticket, events: Iterable[TicketEvent]) -> list[OutboundMessage]:
    """One outbox row (and its send job) per public reply by an agent or the system among an
    action's saved events. Call inside the action's transaction, with the ticket row locked
    (the services do), so the thread's order is the replies' order."""
    replies = [e for e in events if _is_outgoing(e)]
    email = ticket.requester.email if replies else ""
    if not email:
        return []
    recipients = list(dict.fromkeys([email, *(a for a in ticket.cc if a != email.lower())]))
    previous = OutboundMessage.objects.filter(ticket=ticket).order_by("-pk").first()
    in_reply_to, references = _thread_after(ticket, previous)
    queued = []
    for event in replies:
        message = OutboundMessage.objects.create(
            ticket=ticket,
            event=event,
            recipients=recipients,
            subject=compose.subject_for(ticket.pk, ticket.subject),
            message_id=compose.new_message_id(ticket.pk, event.pk),
            in_reply_to=in_reply_to,
            references=references,
            created_at=timezone.now(),
        )
        enqueue(message)
        queued.append(message)
        in_reply_to = message.message_id
        references = compose.references_after(message.references, message.message_id)
    return queued


def _thread_after(ticket: Ticket, previous: OutboundMessage | None) -> tuple[str, str]:
    """In-Reply-To and References of the ticket's next message: the customer's latest mail when
    it came after our latest reply, else our latest message (a reply or an acknowledgment)."""
    references = (
        compose.references_after(previous.references, previous.message_id) if previous else ""
    )
    latest_in = (
        InboundMessage.objects.filter(ticket=ticket, state=InboundState.PROCESSED)
        .exclude(message_id="")
        .order_by("-pk")
        .first()
    )
    last_reply = (
        OutboundMessage.objects.filter(ticket=ticket, kind=MessageKind.REPLY)
        .order_by("-pk")
        .first()
    )
    if latest_in is not None and (
        last_reply is None or latest_in.received_at > last_reply.created_at
    ):
        if latest_in.message_id not in references.split():
            references = compose.references_after(references, latest_in.message_id)
        return latest_in.message_id, references
    return (previous.message_id if previous else ""), references


def send(message_id: int) -> bool:
    """Send one queued row (the ``SEND`` job). False when there was nothing to send (already
    sent, failed for good, or gone); raises after a failed try that may be retried."""
    try:
        with transaction.atomic():
            message = (
                OutboundMessage.objects.select_for_update(of=("self",))
                .select_related("event", "ticket")
                .filter(pk=message_id, state=OutboxState.QUEUED)
                .first()
            )
            if message is None:
                return False
            automatic = message.kind != MessageKind.REPLY
            event = message.event
            from_email, reply_to = (
                compose.sender_for(message.ticket.team_id, message.ticket.pk)
                if message.ticket is not None
                else (settings.DEFAULT_FROM_EMAIL, "")
            )
            compose.build(
                subject=message.subject,
                body=message.body if automatic or event is None else event.body,
                recipients=message.recipients,
                message_id=message.message_id,
                in_reply_to=message.in_reply_to,
                references=message.references,
                auto_generated=automatic,
                attachments=files_of(event) if event is not None else staff_files(message),
                from_email=from_email,
                reply_to=reply_to,
                html=message.html_body,
                extra_headers=message.headers,
            ).send()
            message.state, message.sent_at = OutboxState.SENT, timezone.now()
            message.attempts += 1
            message.save(update_fields=["state", "sent_at", "attempts"])
        return True
    except Exception as exc:
        if _record_failure(message_id, exc):
            log.warning("outbound message %s failed for good", message_id, exc_info=True)
            return False
        raise  # the job runner retries with back-off


def files_of(event: TicketEvent) -> list[tuple[str, bytes, str]]:
    """The reply's attachments as (filename, bytes, type), read from their storage."""
    files = []
    for attachment in event.attachments.all():
        with attachment.file.open("rb") as f:
            files.append((attachment.filename, f.read(), attachment.content_type))
    return files


def staff_files(message: OutboundMessage) -> list[tuple[str, bytes, str]]:
    """A staff mail's text attachments (a digest's CSV) as (filename, bytes, type)."""
    return [(f["filename"], f["content"].encode(), f["content_type"]) for f in message.files]


@transaction.atomic
def _record_failure(message_id: int, exc: Exception) -> bool:
    """Count a failed try; True when it was the last one (the row is now failed)."""
    message = (
        OutboundMessage.objects.select_for_update()
        .filter(pk=message_id, state=OutboxState.QUEUED)
        .first()
    )
    if message is None:
        return True
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if message.attempts >= max_attempts():
        message.state = OutboxState.FAILED
    message.save(update_fields=["attempts", "last_error", "state"])
    return message.state == OutboxState.FAILED


@transaction.atomic
def retry(message_id: int, *, by: AnyUser) -> OutboundMessage:
    """Queue a failed message again (the workspace's Retry button): anyone who may reply on
    its ticket may; a staff mail with no ticket, admins (the admin's action). Its Message-ID
    and threading stay the same."""
    row = OutboundMessage.objects.filter(pk=message_id).values_list("ticket_id", "kind").first()
    try:
        if row is None:
            raise NotFound("")
        if row[0] is not None:
            permissions.access_ticket(by, row[0], for_update=True)
        elif not has_role(by, Role.ADMIN):  # a staff mail (a digest): admins retry it
            raise NotFound("")
    except NotFound:
        raise NotFound(f"Message {message_id} does not exist or is not in your teams.") from None
    message = OutboundMessage.objects.select_for_update().get(pk=message_id)
    if message.state != OutboxState.FAILED:
        raise InvalidTransition(f"This message is {message.get_state_display().lower()}.")
    message.state, message.attempts, message.retries = OutboxState.QUEUED, 0, message.retries + 1
    message.save(update_fields=["state", "attempts", "retries"])
    enqueue(message)
    return message
