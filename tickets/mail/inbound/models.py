"""Mailboxes and the inbound record of each message (tickets.mail.inbound)."""

from __future__ import annotations

from django.db import models


class ImapSecurity(models.TextChoices):
    TLS = "tls", "TLS (IMAPS, usually port 993)"
    STARTTLS = "starttls", "STARTTLS (usually port 143)"
    NONE = "none", "None (tests and local servers only)"


class Mailbox(models.Model):
    """A team's support address and the IMAP account that receives it. The password is never
    stored here: ``password_env`` names the environment variable that holds it. Poll state
    (``uidvalidity``, ``last_uid``) is kept by the poller; a changed UIDVALIDITY means the
    folder's UIDs start over."""

    team = models.ForeignKey("staffing.Team", on_delete=models.PROTECT, related_name="mailboxes")
    address = models.EmailField(unique=True)
    from_name = models.CharField(
        max_length=120, blank=True, help_text="Display name on outgoing mail, e.g. 'Acme Support'."
    )
    imap_host = models.CharField(max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(default=993)
    imap_security = models.CharField(
        max_length=10, choices=ImapSecurity.choices, default=ImapSecurity.TLS
    )
    imap_folder = models.CharField(max_length=255, default="INBOX")
    imap_processed_folder = models.CharField(
        max_length=255,
        blank=True,
        help_text="Move each processed message to this folder (created when missing); empty: "
        "leave it in the folder, marked as read.",
    )
    imap_username = models.CharField(max_length=255, blank=True)
    password_env = models.CharField(
        max_length=100,
        blank=True,
        help_text="Name of the environment variable holding the IMAP password (never the "
        "password itself).",
    )
    enabled = models.BooleanField(default=True)
    # Poll state, written by the poller.
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["address"]
        verbose_name_plural = "mailboxes"

    def __str__(self) -> str:
        return self.address


class InboundSource(models.TextChoices):
    IMAP = "imap", "IMAP"
    WEBHOOK = "webhook", "Raw-MIME webhook"
    PIPE = "pipe", "MTA pipe (ingest_email)"


class InboundState(models.TextChoices):
    PROCESSED = "processed", "Processed"
    IGNORED = "ignored", "Ignored"
    FAILED = "failed", "Failed"
    REFUSED = "refused", "Refused"


class InboundMessage(models.Model):
    """One received message, written in the same transaction as the ticket change it made, so
    a message is processed exactly once: a second delivery (the poller after a crash, a
    provider's retried webhook, the same mail piped twice) finds this row by its IMAP key,
    Message-ID or content hash and changes nothing.

    ``state``: processed (a ticket or event came of it), ignored (recorded, no ticket: e.g. a
    bounce with no ticket to attach to), failed (kept with ``raw`` and ``reason`` so an admin can
    retry) or refused (too large; the raw message is not kept). ``outcome`` says what
    happened: new_ticket, reply, follow_up, auto_reply, bounce, ..."""

    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    source = models.CharField(max_length=10, choices=InboundSource.choices)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    uid = models.CharField(max_length=32, blank=True)
    message_id = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    from_address = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    state = models.CharField(max_length=10, choices=InboundState.choices)
    outcome = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
    )
    event = models.ForeignKey(
        "tickets.TicketEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
    )
    raw = models.FileField(upload_to="mail/inbound/%Y/%m/", max_length=255, blank=True)
    attempts = models.PositiveIntegerField(default=1)
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "uidvalidity", "uid"],
                condition=~models.Q(uid=""),
                name="inbound_unique_imap_uid",
            ),
            models.UniqueConstraint(
                fields=["message_id"],
                condition=~models.Q(message_id=""),
                name="inbound_unique_message_id",
            ),
            models.UniqueConstraint(fields=["sha256"], name="inbound_unique_sha256"),
        ]
        indexes = [
            # Admin: what failed and waits for a retry.
            models.Index(
                fields=["state"],
                name="inbound_not_processed",
                condition=~models.Q(state="processed"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id or self.sha256[:12]} from {self.from_address} ({self.state})"
