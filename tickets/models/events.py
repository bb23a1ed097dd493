from __future__ import annotations

from django.conf import settings
from django.db import models

from policies.ticket_log import LogEvent


class EventType(models.TextChoices):
    CREATED = "created", "Created"
    STATUS_CHANGED = "status_changed", "Status changed"
    PUBLIC_REPLY = "public_reply", "Public reply"
    INTERNAL_NOTE = "internal_note", "Internal note"
    ASSIGNED = "assigned", "Assigned"
    PRIORITY_CHANGED = "priority_changed", "Priority changed"
    ESCALATED = "escalated", "Escalated"
    TAGS_CHANGED = "tags_changed", "Tags changed"
    CATEGORY_CHANGED = "category_changed", "Category changed"
    CHECKLIST_TICKED = "checklist_ticked", "Checklist step ticked"
    MACRO_APPLIED = "macro_applied", "Macro applied"
    # An auto-reply, out-of-office or bounce received by email: kept on the ticket, never a
    # customer reply (no metric counts it, it never reopens).
    AUTO_REPLY = "auto_reply", "Automatic reply"
    # Merge and link (issue 15; tickets/links): a merged ticket closes with merged_into (not
    # a solve, KPI: tickets/links/README.md); the survivor logs merged_from; both sides of a
    # link log linked / unlinked.
    MERGED_INTO = "merged_into", "Merged into another ticket"
    MERGED_FROM = "merged_from", "Tickets merged in"
    LINKED = "linked", "Linked"
    UNLINKED = "unlinked", "Unlinked"


class ActorRole(models.TextChoices):
    AGENT = "agent", "Agent"
    CUSTOMER = "customer", "Customer"
    SYSTEM = "system", "System"


class TicketEvent(models.Model):
    """One immutable entry of a ticket's history (KPI_SPEC.md §2). Rows are only ever
    inserted, by ``tickets.events``; the primary key is the total order ``seq``."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    type = models.CharField(max_length=20, choices=EventType.choices)
    actor_role = models.CharField(max_length=10, choices=ActorRole.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    customer = models.ForeignKey(
        "tickets.Customer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    # Message text of replies and notes; empty for other types.
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            # Workspace history and the metrics recompute read one ticket's log in order.
            models.Index(fields=["ticket", "id"], name="event_ticket_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.type} on #{self.ticket_id} at {self.at:%Y-%m-%d %H:%M:%S}"

    @property
    def is_message(self) -> bool:
        return self.type in (EventType.PUBLIC_REPLY, EventType.INTERNAL_NOTE)

    def as_log_event(self) -> LogEvent:
        actor_id = self.actor_id if self.actor_role == ActorRole.AGENT else self.customer_id
        return LogEvent(
            seq=self.pk,
            at=self.at,
            type=self.type,
            actor_role=self.actor_role,
            actor_id=actor_id,
            data=self.data,
        )
