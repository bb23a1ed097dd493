"""The demo's integrations: a webhook subscription and Tier 1's Slack channel, both pointing
at the local receiver (``scripts/receiver``, port 9000) and switched off so that nothing is
sent until someone starts it (a channel's "Send test message" works while it is off) and
turns them on; and a customer who follows the demo's public incident."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User

from staffing.models import Team
from tickets.chat import services as chat
from tickets.chat.models import CHAT_EVENTS, ChatChannel, ChatKind
from tickets.followers.models import IncidentFollower
from tickets.models import Incident
from tickets.seeding.features.desk import TITLE as INCIDENT_TITLE
from tickets.webhooks import services as webhooks
from tickets.webhooks.models import EventType, WebhookSubscription

EXAMPLE_URL = "http://127.0.0.1:9000/csops-events"
CHAT_URL = "http://127.0.0.1:9000/slack/tier-1"
FOLLOWER = "sam.follower@example.com"


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


def seed_chat_channel(manager: User) -> int:
    if ChatChannel.objects.exists():
        return 0
    chat.create_channel(
        by=manager,
        team=Team.objects.get(slug="tier-1-support"),
        name="#support-tier-1 (example)",
        kind=ChatKind.SLACK,
        url=CHAT_URL,
        events=CHAT_EVENTS,
        active=False,
    )
    return 1


def seed_follower() -> int:
    """A customer who confirmed following the demo's open public incident."""
    incident = Incident.objects.filter(title=INCIDENT_TITLE, state="open", public=True).first()
    if incident is None or IncidentFollower.objects.filter(incident=incident).exists():
        return 0
    IncidentFollower.objects.create(
        incident=incident,
        email=FOLLOWER,
        confirmed_at=incident.declared_at + timedelta(minutes=20),
    )
    return 1
