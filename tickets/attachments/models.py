"""One file attached to one ticket message."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils import timezone


def attachment_storage() -> Storage:
    """The ``attachments`` storage of settings.STORAGES (filesystem or S3-compatible)."""
    return storages["attachments"]


def attachment_path(instance: Attachment, filename: str) -> str:
    """Where the bytes go: a random name under the month, never the client's filename (which
    is kept only for display, in ``filename``)."""
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="attachments"
    )
    # The message (reply, note, customer message) it came with; null only while a channel
    # stores files before it writes the event (then ``attach`` links them).
    event = models.ForeignKey(
        "tickets.TicketEvent",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(storage=attachment_storage, upload_to=attachment_path, max_length=200)
    # The sender's name for the file, cleaned for display and the download's filename.
    filename = models.CharField(max_length=200)
    # The type read from the content (puremagic), never the sender's claim.
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # Inline images of mail (cid: references in the HTML part).
    content_id = models.CharField(max_length=255, blank=True)
    inline = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        indexes = [
            # The workspace conversation and the outbox: one event's files.
            models.Index(fields=["event", "id"], name="attachment_event"),
            # A ticket's files (API, the customer page, merges).
            models.Index(fields=["ticket", "id"], name="attachment_ticket"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(size__gte=0), name="attachment_size_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.size} bytes) on #{self.ticket_id}"
