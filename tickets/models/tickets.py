from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from policies.ticket_log import RESOLVED, UNRESOLVED


class Status(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    ON_HOLD = "on_hold", "On hold"
    SOLVED = "solved", "Solved"
    CLOSED = "closed", "Closed"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    WEB = "web", "Web form"
    PHONE = "phone", "Phone"
    CHAT = "chat", "Chat"
    API = "api", "API"
    PORTAL = "portal", "Customer portal"


PRIORITY_RANK = {"low": 0, "normal": 1, "high": 2, "urgent": 3}


class Ticket(models.Model):
    """Current state of one customer issue. History lives in ``TicketEvent``; every change
    goes through ``tickets.services`` so the two never disagree."""

    subject = models.CharField(max_length=200)
    description = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    # Sortable mirror of ``priority`` (low=0 .. urgent=3) for the queue's priority order.
    priority_rank = models.PositiveSmallIntegerField(default=1, editable=False)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    team = models.ForeignKey(
        "staffing.Team",
        on_delete=models.PROTECT,
        related_name="tickets",
        # ticket_team_updated and the other team indexes lead with it. A single-column index
        # drew PostgreSQL into ANDing a whole team's tickets (a quarter of a million at 1M)
        # into every rep's search (tickets.0028).
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        db_index=False,  # ticket_assignee_team and ticket_assignee_status lead with it
    )
    requester = models.ForeignKey(
        "tickets.Customer", on_delete=models.PROTECT, related_name="tickets"
    )
    # Other addresses that get the ticket's public replies by email (colleagues copied on
    # the customer's mail, or added by replying to all), lower-case, without the requester.
    cc = models.JSONField(default=list, blank=True)
    category = models.ForeignKey(
        "policies.Category", on_delete=models.SET_NULL, null=True, blank=True
    )
    tags = models.ManyToManyField("policies.Tag", blank=True, related_name="tickets")
    initiated_by = models.CharField(
        max_length=10, choices=[("customer", "Customer"), ("agent", "Agent")], default="customer"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    solved_at = models.DateTimeField(null=True, blank=True)
    # Optimistic lock: every write increments it; a write carrying an older value is refused.
    version = models.PositiveIntegerField(default=1)
    # Full-text search over subject, description and conversation (PostgreSQL only; the GIN
    # index is created by migration 0002 on PostgreSQL; SQLite falls back to LIKE).
    search_vector = SearchVectorField(null=True, editable=False)
    # SLA (§5, §9.5, §9.19): the policy version and calendar version in force at creation,
    # used for the ticket's whole life; the earliest projected due time of its active SLA
    # instances, kept by tickets.services.sla for the queue's "next SLA due" sort.
    sla_policy_version = models.ForeignKey(
        "policies.SlaPolicyVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    calendar_version = models.ForeignKey(
        "policies.CalendarVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    next_sla_due_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    # Set when this ticket was merged into another (tickets/links): it is closed, and its
    # conversation shows in the survivor, where later customer mail goes (resolve_merged).
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        editable=False,
    )

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            # Queue views: "All my teams" / "Unassigned in my teams", newest activity first.
            # The queue orders by (-updated_at, -pk): indexes ending in "-id" return a page in
            # order with no sort step, whatever the OFFSET (measured in bench/README.md).
            # One status in one team, and the capped counts.
            models.Index(fields=["team", "status", "-updated_at"], name="ticket_team_status_upd"),
            # Any status in one team.
            models.Index(fields=["team", "-updated_at", "-id"], name="ticket_team_updated"),
            # Unresolved (the default) in one team; small, as few tickets are unresolved.
            models.Index(
                fields=["team", "-updated_at", "-id"],
                condition=models.Q(status__in=sorted(UNRESOLVED)),
                name="ticket_team_open_upd",
            ),
            # Several or all teams (managers, directors, the API): unresolved, then any status.
            models.Index(
                fields=["-updated_at", "-id"],
                condition=models.Q(status__in=sorted(UNRESOLVED)),
                name="ticket_open_updated",
            ),
            models.Index(fields=["-updated_at", "-id"], name="ticket_updated"),
            # "My tickets".
            models.Index(
                fields=["assignee", "status", "-updated_at"], name="ticket_assignee_status"
            ),
            # One person's tickets in the user's teams ("My tickets" searched over every
            # status: one bitmap beside the search index's, not the whole team's) and the
            # assignee foreign key.
            models.Index(fields=["assignee", "team"], name="ticket_assignee_team"),
            # Customer sidebar: the requester's other tickets.
            models.Index(fields=["requester", "-created_at"], name="ticket_requester_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="ticket_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def is_resolved(self) -> bool:
        return self.status in RESOLVED

    @property
    def is_unresolved(self) -> bool:
        return self.status in UNRESOLVED
