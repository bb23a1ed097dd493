"""Webhook subscriptions, the events they hear about, one delivery per (subscription, event)
and every HTTP attempt of a delivery."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tickets.endpoints.models import Delivery, Endpoint


class EventType(models.TextChoices):
    TICKET_CREATED = "ticket.created", "Ticket created"
    TICKET_UPDATED = "ticket.updated", "Ticket updated"
    TICKET_SOLVED = "ticket.solved", "Ticket solved"
    CUSTOMER_REPLIED = "customer.replied", "Customer replied"
    ESCALATION_RAISED = "escalation.raised", "Escalation raised"
    INCIDENT_DECLARED = "incident.declared", "Incident declared"
    INCIDENT_UPDATED = "incident.updated", "Incident updated"
    INCIDENT_RESOLVED = "incident.resolved", "Incident resolved"
    SLA_AT_RISK = "sla.at_risk", "SLA target at risk"
    SLA_BREACHED = "sla.breached", "SLA target breached"
    SURVEY_ANSWERED = "survey.answered", "Satisfaction survey answered"
    TEST = "webhook.test", "Test event"


# What a subscription may ask for (the test event goes only where its button was pressed).
SUBSCRIBABLE = [value for value in EventType.values if value != EventType.TEST]


class WebhookSubscription(Endpoint):
    """An endpoint and the event types it wants. At ``WEBHOOK_PAUSE_AFTER`` deliveries in a
    row failed for good the subscription is paused and its owner notified."""

    events = models.JSONField(default=list, help_text="Event types sent to this endpoint.")
    secret = models.CharField(max_length=100, help_text="Key of the HMAC-SHA256 signature.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="webhook_subscriptions"
    )

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} → {self.url}"


class WebhookEvent(models.Model):
    """Something that happened, as sent: ``source`` names its origin (a ticket event, an
    incident change) and is unique, so an event is fanned out once."""

    type = models.CharField(max_length=40, choices=EventType.choices)
    source = models.CharField(max_length=100, unique=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.type} ({self.source})"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled (subscription paused)"


class WebhookDelivery(Delivery):
    """One event for one subscription. ``uuid`` is the X-Csops-Delivery header: the same on
    every attempt, so a receiver can drop a repeat."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="webhook_delivery_once"),
        ]
        indexes = [
            # The subscription page and API: its latest deliveries.
            models.Index(fields=["subscription", "-id"], name="webhook_delivery_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.uuid} ({self.state})"


class DeliveryAttempt(models.Model):
    """One HTTP try: the response's status code (none when there was no response), how long
    it took, and the error, if any."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField()
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField()
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_once"),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}: {self.status_code or self.error[:40]}"

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
