"""Reads of attachments, scoped by who may see the ticket."""

from __future__ import annotations

from csops import permissions
from csops.errors import NotFound
from csops.permissions.roles import AnyUser
from tickets.attachments.models import Attachment


def attachment_for(user: AnyUser, pk: int) -> Attachment:
    """The attachment if its ticket is one the user may see (``access_ticket``), otherwise
    NotFound with the same words whether it exists or not."""
    attachment = Attachment.objects.filter(pk=pk).first()
    try:
        if attachment is None:
            raise NotFound("")
        permissions.access_ticket(user, attachment.ticket_id)
    except NotFound:
        raise NotFound(
            f"Attachment {pk} does not exist or its ticket is not in your teams."
        ) from None
    return attachment
