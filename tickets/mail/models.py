"""The outbox: one row per outgoing message, written in the same transaction as its reply."""

from __future__ import annotations

from django.db import models


class OutboxState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class MessageKind(models.TextChoices):
    REPLY = "reply", "Public reply"
    ACKNOWLEDGMENT = "ack", "Acknowledgment"
    DIGEST = "digest", "KPI digest"
    INCIDENT_NOTICE = "notice", "Incident notice to a follower"


class OutboundMessage(models.Model):
    """A public reply's email to the requester (``kind`` reply, one per event), or a mail the
    system writes itself (``kind`` ack: "we received your request", no event, its text in
    ``body``, sent with ``Auto-Submitted: auto-generated``). ``message_id`` is fixed when the
    row is made, so a resend after a crash carries the same Message-ID; ``in_reply_to`` /
    ``references`` thread it under the ticket's earlier messages. ``attempts`` counts failed
    and successful sending tries since the last manual retry; ``retries`` counts manual
    retries (each one a new job key).

    A mail to staff that belongs to no ticket (``kind`` digest: a KPI digest, written by
    ``kpis.digests``) has no ticket, its own HTML part in ``html_body``, text attachments in
    ``files`` and extra headers (List-Unsubscribe) in ``headers``; it goes out from
    ``DEFAULT_FROM_EMAIL`` through the same send job. So does a mail to a customer that
    belongs to no ticket (``kind`` notice: an incident's confirmation or update to a follower,
    ``tickets.followers``), its text in ``body``."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="outbox", null=True, blank=True
    )
    event = models.OneToOneField(
        "tickets.TicketEvent",
        on_delete=models.CASCADE,
        related_name="outbound",
        null=True,
        blank=True,
    )
    kind = models.CharField(max_length=8, choices=MessageKind.choices, default=MessageKind.REPLY)
    # The text of a message with no event (an acknowledgment); a reply's text is its event's.
    body = models.TextField(blank=True)
    # The HTML part of a staff mail (a digest); empty: rendered from the text (Markdown).
    html_body = models.TextField(blank=True)
    # Attachments a staff mail carries: [{"filename", "content_type", "content" (text)}].
    files = models.JSONField(default=list, blank=True)
    # Extra headers of a staff mail, e.g. {"List-Unsubscribe": "<https://…>"}.
    headers = models.JSONField(default=dict, blank=True)
    # The lower-cased address an automatic message went to: the per-hour cap counts on it.
    auto_recipient = models.CharField(max_length=254, blank=True)
    recipients = models.JSONField(default=list)
    subject = models.CharField(max_length=255)
    message_id = models.CharField(max_length=255, unique=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=OutboxState.choices, default=OutboxState.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    retries = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # Threading: the ticket's latest message when the next one is queued.
            models.Index(fields=["ticket", "-id"], name="outbox_ticket_latest"),
            # Admin and health: what is not sent yet.
            models.Index(fields=["state"], name="outbox_unsent", condition=~models.Q(state="sent")),
            # The acknowledgment cap: automatic mails to one address in the last hour.
            models.Index(
                fields=["auto_recipient", "created_at"],
                name="outbox_auto_recipient",
                condition=~models.Q(auto_recipient=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["ack", "digest", "notice"])
                | models.Q(event__isnull=False),
                name="outbox_reply_has_event",
                violation_error_message="A reply's message belongs to its event.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["digest", "notice"]) | models.Q(ticket__isnull=False),
                name="outbox_ticket_unless_staff_mail",
                violation_error_message="Only a digest or an incident notice has no ticket.",
            ),
            # One acknowledgment per ticket, however often its creation is retried.
            models.UniqueConstraint(
                fields=["ticket"],
                condition=models.Q(kind="ack"),
                name="outbox_one_ack_per_ticket",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} to {', '.join(self.recipients)} ({self.state})"
