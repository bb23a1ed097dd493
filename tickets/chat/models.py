"""Teams' chat channels (incoming-webhook URLs) and one delivery per (channel, event)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tickets.endpoints.models import Delivery, Endpoint


class ChatKind(models.TextChoices):
    SLACK = "slack", "Slack"
    TEAMS = "teams", "Microsoft Teams"


class ChatEvent(models.TextChoices):
    SLA_BREACHED = "sla.breached", "SLA target breached"
    ESCALATION = "escalation", "Escalation to the team"
    INCIDENT = "incident", "Incident declared, updated or resolved"
    SPIKE = "spike", "Spike alert (possible incident)"
    TEST = "test", "Test message"


# What a channel may ask for (the test message goes only where its button was pressed).
CHAT_EVENTS = [value for value in ChatEvent.values if value != ChatEvent.TEST]


class ChatChannel(Endpoint):
    """A Slack or Teams incoming webhook of a team. The URL is a secret of the chat tool (who
    has it may post): shown only to who manages the channel. At ``WEBHOOK_PAUSE_AFTER``
    deliveries in a row failed for good the channel is paused and the team's managers told."""

    team = models.ForeignKey("staffing.Team", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ChatKind.choices)
    events = models.JSONField(default=list, help_text="Events posted to this channel.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["team__name", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()}, {self.team})"


class ChatDeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled (channel paused)"


class ChatDelivery(Delivery):
    """One event's message to one channel, and the log of its tries (how many, the last
    status code, duration and error). ``notice`` is the message as plain data
    (``formats.Notice``), rendered for the channel's kind on each try."""

    channel = models.ForeignKey(ChatChannel, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=20, choices=ChatEvent.choices)
    source = models.CharField(max_length=120)
    notice = models.JSONField(default=dict)
    state = models.CharField(
        max_length=10, choices=ChatDeliveryState.choices, default=ChatDeliveryState.PENDING
    )
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "source"], name="chat_delivery_once"),
        ]
        indexes = [
            # The channel page and API: its latest deliveries.
            models.Index(fields=["channel", "-id"], name="chat_delivery_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.channel_id} ({self.state})"
