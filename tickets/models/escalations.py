"""Escalations (a ticket handed up a tier or to a manager) and automatic escalation rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class EscalationState(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    RESOLVED = "resolved", "Resolved"
    RETURNED = "returned", "Returned"


ACTIVE_STATES = (EscalationState.OPEN, EscalationState.ACCEPTED)


class EscalationCategory(models.TextChoices):
    REFUND_APPROVAL = "refund_approval", "Needs refund approval"
    TECHNICAL = "technical", "Technical"
    COMPLAINT = "complaint", "Complaint"
    LEGAL = "legal", "Legal"
    OTHER = "other", "Other"


class EscalationTarget(models.TextChoices):
    TIER = "tier", "Next tier's team"
    MANAGER = "manager", "Team manager"


class Escalation(models.Model):
    """One hand-up of a ticket. The ticket's log carries the ``escalated`` event; this row
    carries ownership, state and timestamps. Handled by the managers of ``to_team``."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="escalations"
    )
    from_team = models.ForeignKey("staffing.Team", on_delete=models.PROTECT, related_name="+")
    to_team = models.ForeignKey(
        "staffing.Team", on_delete=models.PROTECT, related_name="incoming_escalations"
    )
    to_tier = models.PositiveSmallIntegerField()
    target = models.CharField(max_length=10, choices=EscalationTarget.choices)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when an automatic rule opened it.",
    )
    rule = models.ForeignKey(
        "tickets.EscalationRule", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_escalations",
    )
    state = models.CharField(
        max_length=10, choices=EscalationState.choices, default=EscalationState.OPEN
    )
    category = models.CharField(max_length=20, choices=EscalationCategory.choices)
    reason = models.TextField()
    guidance = models.TextField(blank=True, help_text="The handler's answer on return/resolve.")
    created_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # Escalations board: a team's active escalations, oldest first.
            models.Index(fields=["to_team", "state", "created_at"], name="esc_team_state_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=models.Q(state__in=["open", "accepted"]),
                name="esc_one_active_per_ticket",
                violation_error_message="This ticket already has an open escalation.",
            ),
        ]

    def __str__(self) -> str:
        return f"Escalation #{self.pk} of ticket #{self.ticket_id} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def destination(self) -> str:
        """Where it went, as people say it: "managers of Tier 1 Support" (a manager
        escalation stays in its team) or "Tier 2 Technical (tier 2)"."""
        if self.target == EscalationTarget.MANAGER:
            return f"managers of {self.to_team}"
        return f"{self.to_team} (tier {self.to_tier})"


class RuleTrigger(models.TextChoices):
    SLA_BREACH = "sla_breach", "SLA target breached"
    SLA_AT_RISK = "sla_at_risk", "SLA target at risk"
    URGENT_NO_REPLY = "urgent_no_reply", "Urgent ticket without a reply for N minutes"
    CUSTOMER_KEYWORD = "customer_keyword", "Customer reply contains a keyword"
    NEGATIVE_CSAT = "negative_csat", "Negative CSAT response"


class NotifyTarget(models.TextChoices):
    NONE = "", "Nobody"
    ASSIGNEE = "assignee", "The assignee"
    TEAM_MANAGERS = "team_managers", "The team's managers"
    DIRECTORS = "directors", "All directors"


class EscalationRule(models.Model):
    """An automatic escalation, managed by directors. Fires once per ticket and trigger
    instance (``RuleFiring``)."""

    name = models.CharField(max_length=120)
    active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0, help_text="Rules apply in this order.")
    trigger = models.CharField(max_length=20, choices=RuleTrigger.choices)
    minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="urgent_no_reply: minutes without an agent reply."
    )
    keywords = models.TextField(
        blank=True, help_text="customer_keyword: comma-separated words or phrases."
    )
    metric = models.CharField(
        max_length=30, blank=True, help_text="SLA triggers: only this metric (empty = any)."
    )
    # Actions
    reassign_team = models.ForeignKey(
        "staffing.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reassign_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raise_priority_to = models.CharField(
        max_length=10,
        blank=True,
        choices=[("high", "High"), ("urgent", "Urgent")],
        help_text="Raise to this priority (never lowers).",
    )
    notify = models.CharField(max_length=20, blank=True, choices=NotifyTarget.choices)
    open_escalation = models.BooleanField(default=False)
    escalation_category = models.CharField(
        max_length=20, choices=EscalationCategory.choices, default=EscalationCategory.OTHER
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "pk"]
        indexes = [
            # apply_rules: the active rules of one trigger.
            models.Index(fields=["trigger", "active"], name="escrule_trigger_active"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(trigger="urgent_no_reply") | models.Q(minutes__gte=1),
                name="escrule_minutes_for_urgent",
                violation_error_message="An urgent-no-reply rule needs a number of minutes.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class RuleFiring(models.Model):
    """That a rule fired for a ticket and a trigger instance: the idempotency key."""

    rule = models.ForeignKey(EscalationRule, on_delete=models.CASCADE, related_name="firings")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    instance = models.CharField(max_length=120)
    fired_at = models.DateTimeField()
    actions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-fired_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "ticket", "instance"], name="rulefiring_once_per_instance"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} on #{self.ticket_id} ({self.instance})"
