"""Links between tickets: related, duplicate of, parent of (the child is the other end), and
follow-up of (made when a customer writes to a closed ticket)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LinkKind(models.TextChoices):
    RELATED = "related", "Related to"
    DUPLICATE = "duplicate", "Duplicate of"  # source is a duplicate of target
    PARENT = "parent", "Parent of"  # source is the parent of target (the child)
    # source was opened by a customer's message to target, closed (tickets.services): made by
    # the system only, and kept (the closed ticket is final).
    FOLLOW_UP = "follow_up", "Follow-up of"


# The kinds a person links tickets with (the form, the API, ``services.link``).
MANUAL_LINK_KINDS = [(k.value, k.label) for k in LinkKind if k != LinkKind.FOLLOW_UP]


# How the link reads from the target's side.
REVERSE_LABEL = {
    LinkKind.RELATED: "Related to",
    LinkKind.DUPLICATE: "Duplicated by",
    LinkKind.PARENT: "Child of",
    LinkKind.FOLLOW_UP: "Followed up by",
}


class TicketLink(models.Model):
    """One link between two tickets, shown on both. A pair of tickets has at most one link,
    whichever way round (the services check; the constraint guards one direction)."""

    source = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=LinkKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"],
                name="ticket_link_once",
                violation_error_message="These tickets are already linked.",
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")),
                name="ticket_link_not_self",
                violation_error_message="A ticket cannot be linked to itself.",
            ),
        ]
        indexes = [
            # The workspace's links panel reads both directions of one ticket.
            models.Index(fields=["target", "kind"], name="ticket_link_target"),
        ]

    def __str__(self) -> str:
        return f"#{self.source_id} {self.get_kind_display().lower()} #{self.target_id}"
