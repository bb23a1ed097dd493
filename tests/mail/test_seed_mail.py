"""The demo's email thread is made through the inbound service."""

from __future__ import annotations

import pytest

from tickets.mail.inbound.models import InboundMessage
from tickets.seeding.features.mail import CLIENT_LOG, FIRST_ID, seed_mail_thread

pytestmark = pytest.mark.django_db


def test_the_demo_gets_an_email_thread_with_a_cc_and_an_auto_reply(team, rep):
    assert seed_mail_thread([rep]) == 3
    first = InboundMessage.objects.get(message_id=FIRST_ID)
    ticket = first.ticket
    assert (ticket.channel, ticket.status) == ("email", "open")
    assert ticket.cc == ["sam.colleague@example.com"]
    kinds = list(ticket.events.values_list("type", "actor_role"))
    assert kinds[0] == ("created", "customer")
    assert ("auto_reply", "system") in kinds
    assert kinds.count(("public_reply", "customer")) == 1
    files = ticket.attachments.order_by("pk")
    assert [(f.filename, f.content_type, f.event.actor_role) for f in files] == [
        ("vpn-checklist.txt", "text/plain", "agent"),
        ("vpn-client-log.txt", "text/plain", "customer"),
    ]
    with files[1].file.open("rb") as stored:
        assert stored.read() == CLIENT_LOG[1]
    assert seed_mail_thread([rep]) == 0  # a re-run finds it
