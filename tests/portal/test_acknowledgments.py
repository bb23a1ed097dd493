"""The "we received your request" mail (tickets.mail.acknowledgments): one per ticket, through
the outbox, auto-generated, capped per recipient per hour; its bytes on a real SMTP server."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from csops.jobs import runner
from csops.models import Job
from tests.factories import CustomerFactory, make_ticket
from tests.tickets.smtp_peer import smtp_server
from tickets import services
from tickets.mail.acknowledgments import acknowledge
from tickets.mail.inbound.tokens import subject_reference
from tickets.mail.models import MessageKind, OutboundMessage
from tickets.mail.services import SEND
from tickets.portal import links

pytestmark = pytest.mark.django_db


def _smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def casey():
    return CustomerFactory(name="Casey Jones", email="Casey@Example.org")


def test_acknowledgment_is_queued_once_per_ticket_with_its_text(team, casey):
    ticket = make_ticket(team, requester=casey, subject="Printer on fire")

    message = acknowledge(ticket)
    again = acknowledge(ticket)

    assert again is None
    assert OutboundMessage.objects.filter(ticket=ticket).count() == 1
    assert message.kind == MessageKind.ACKNOWLEDGMENT
    assert message.event is None
    assert message.recipients == ["Casey@Example.org"]
    assert message.auto_recipient == "casey@example.org"
    assert (
        message.subject
        == f"{subject_reference(ticket.pk)} We received your request: Printer on fire"
    )
    assert f"Its reference is #{ticket.pk}." in message.body
    assert "Hello Casey Jones," in message.body
    link = next(line for line in message.body.splitlines() if "/portal/link/" in line)
    token = link.rsplit("/portal/link/", 1)[1].strip("/<>")
    assert links.read_token(token) == ("casey@example.org", ticket.pk)


def test_acknowledgments_go_out_after_the_replies_people_wait_for(team, casey, rep):
    ticket = make_ticket(team, requester=casey)
    acknowledge(ticket)
    services.reply(ticket.pk, by=rep, body="On it.", public=True)
    kinds = dict(Job.objects.filter(kind=SEND).values_list("key", "priority"))
    ack, reply = (
        OutboundMessage.objects.get(ticket=ticket, kind=kind)
        for kind in (MessageKind.ACKNOWLEDGMENT, MessageKind.REPLY)
    )
    assert kinds[f"outbox-mail:{ack.pk}:0"] == Job.Priority.BULK
    assert kinds[f"outbox-mail:{reply.pk}:0"] == Job.Priority.NORMAL


def test_the_database_refuses_a_second_acknowledgment_of_one_ticket(team, casey):
    ticket = make_ticket(team, requester=casey)
    first = acknowledge(ticket)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboundMessage.objects.create(
            ticket=ticket,
            kind=MessageKind.ACKNOWLEDGMENT,
            recipients=first.recipients,
            subject="x",
            message_id="<dup@x>",
            created_at=timezone.now(),
        )


def test_acknowledgments_to_one_address_are_capped_per_hour(team, casey, settings):
    settings.ACK_MAX_PER_HOUR = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sent = [acknowledge(make_ticket(team, requester=casey)) for _ in range(3)]
        other = acknowledge(make_ticket(team, requester=CustomerFactory(email="bo@example.org")))
    assert [m is not None for m in sent] == [True, True, False]
    assert other is not None  # the cap is per address
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        assert acknowledge(make_ticket(team, requester=casey)) is not None


def test_acknowledgment_reaches_a_real_smtp_server_auto_generated(team, casey, settings):
    ticket = make_ticket(team, requester=casey, subject="Printer on fire")
    message = acknowledge(ticket, in_reply_to="<first@customer.example>")
    with smtp_server() as (port, inbox):
        _smtp(settings, port)
        assert runner.run_due() >= 1

    assert len(inbox) == 1
    mail = inbox[0]
    assert mail["To"] == "Casey@Example.org"
    assert (
        mail["Subject"]
        == f"{subject_reference(ticket.pk)} We received your request: Printer on fire"
    )
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Message-ID"] == message.message_id
    assert mail["In-Reply-To"] == "<first@customer.example>"
    text = mail.get_body(("plain",)).get_content()
    assert f"Its reference is #{ticket.pk}." in text
    assert "/portal/link/" in text
    assert mail.get_body(("html",)) is not None
    message.refresh_from_db()
    assert message.state == "sent"


def test_a_reply_after_the_acknowledgment_threads_under_it(team, casey, rep):
    from tickets import services

    ticket = make_ticket(team, requester=casey)
    ack = acknowledge(ticket)
    services.reply(ticket.pk, by=rep, body="We are on it.")
    reply = OutboundMessage.objects.get(ticket=ticket, kind=MessageKind.REPLY)
    assert reply.in_reply_to == ack.message_id
