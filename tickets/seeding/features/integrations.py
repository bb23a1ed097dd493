"""The demo's webhook subscription: an example endpoint, switched off so that nothing is sent
until someone points it at a receiver of their own and turns it on."""

from __future__ import annotations

from django.contrib.auth.models import User

from tickets.webhooks import services as webhooks
from tickets.webhooks.models import EventType, WebhookSubscription

EXAMPLE_URL = "http://127.0.0.1:9000/csops-events"


def seed_webhook(director: User) -> int:
    if WebhookSubscription.objects.exists():
        return 0
    webhooks.create_subscription(
        by=director,
        name="Ops chat bridge (example)",
        url=EXAMPLE_URL,
        events=[EventType.TICKET_CREATED, EventType.ESCALATION_RAISED, EventType.INCIDENT_DECLARED],
        active=False,
    )
    return 1
