"""The demo's email thread is made through the inbound service."""

from __future__ import annotations

import pytest

from tickets.mail.inbound.models import InboundMessage
from tickets.seeding.features.mail import FIRST_ID, seed_mail_thread

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
    assert seed_mail_thread([rep]) == 0  # a re-run finds it
