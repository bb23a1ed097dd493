"""Threading of received mail (issue 14's order) and the noise that must not count: each case
other help desks get wrong is a corpus message."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from django.core import mail as django_mail

from csops.jobs import runner
from tests.mail.conftest import corpus
from tickets import services as ticket_services
from tickets.mail.inbound import services, tokens
from tickets.mail.inbound.models import InboundState
from tickets.mail.models import MessageKind
from tickets.models import Customer, OutboundMessage, Status, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(mailbox):
    """Alice's first mail (Carol in Cc): a new ticket."""
    return services.ingest(corpus("new_plain.eml"), source="imap", mailbox=mailbox, uid="1")


@pytest.fixture
def answered(first, rep):
    """The rep answered Alice's first mail; the ticket waits on the customer."""
    ticket_services.reply(
        first.ticket_id, by=rep, body="Have you tried water?", new_status="pending"
    )
    return OutboundMessage.objects.get(ticket=first.ticket_id, kind=MessageKind.REPLY)


def _customer_replies(ticket_id: int) -> list[TicketEvent]:
    return list(
        TicketEvent.objects.filter(ticket_id=ticket_id, type="public_reply", actor_role="customer")
    )


def test_a_customer_replying_to_their_own_first_mail_lands_on_the_same_ticket(first):
    record = services.ingest(corpus("own_followup.eml"), source="pipe")
    assert (record.outcome, record.ticket_id) == ("reply", first.ticket_id)
    assert "in-reply-to" in record.reason
    [reply] = _customer_replies(first.ticket_id)
    assert reply.customer.email == "alice@customer.test"
    assert reply.data == {"channel": "email"}
    assert record.event == reply
    assert Ticket.objects.count() == 1


def test_a_colleague_replying_to_all_joins_the_cc_list(first, answered):
    record = services.ingest(corpus("cc_reply_all.eml"), source="pipe")
    ticket = record.ticket
    assert (record.outcome, ticket.pk) == ("reply", first.ticket_id)
    assert ticket.status == Status.OPEN  # the customer side answered: reopened
    assert ticket.cc == ["carol@customer.test", "dave@customer.test"]
    [reply] = _customer_replies(ticket.pk)
    assert reply.customer.email == "carol@customer.test"
    assert reply.body == "I can confirm, there is smoke everywhere."  # Outlook quote cut
    assert ticket.requester.email == "alice@customer.test"  # the requester stays


def test_the_next_reply_goes_to_the_requester_and_the_cc_list_threaded_under_the_customer(
    first, answered, rep, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.ingest(corpus("cc_reply_all.eml"), source="pipe")
    ticket_services.reply(first.ticket_id, by=rep, body="Evacuate the floor.")
    runner.run_due()
    sent = [message_from_bytes(m.message().as_bytes(), policy=policy.default)
            for m in django_mail.outbox]  # fmt: skip
    # the rep's last reply (the acknowledgment, automatic bulk work, may be sent after it)
    last = [m for m in sent if not m["Auto-Submitted"]][-1]
    assert last["To"] == "alice@customer.test"
    assert last["Cc"] == "carol@customer.test, dave@customer.test"
    assert last["From"] == "Acme Support <support@acme.test>"
    assert last["Reply-To"] == tokens.reply_address("support@acme.test", first.ticket_id)
    assert last["In-Reply-To"] == "<carol.1@customer.test>"
    assert answered.in_reply_to == "<first.alice@customer.test>"
    ack = OutboundMessage.objects.get(kind=MessageKind.ACKNOWLEDGMENT)
    assert ack.in_reply_to == "<first.alice@customer.test>"
    assert last["References"].split() == [
        "<first.alice@customer.test>",
        ack.message_id,
        answered.message_id,
        "<carol.1@customer.test>",
    ]
    assert last["Subject"] == f"{tokens.subject_reference(first.ticket_id)} Printer on fire"


def test_a_client_that_drops_in_reply_to_threads_by_the_signed_subject(first):
    record = services.ingest(
        corpus("subject_token_only.eml", TICKET=first.ticket_id), source="pipe"
    )
    assert (record.outcome, record.ticket_id) == ("reply", first.ticket_id)
    assert record.reason == "Threaded by subject."


def test_the_signed_reply_address_threads(first):
    raw = corpus("reply_address_token.eml", TICKET=first.ticket_id)
    record = services.ingest(raw, source="pipe")  # no mailbox given: found by base address
    assert (record.outcome, record.ticket_id) == ("reply", first.ticket_id)
    assert record.reason == "Threaded by reply-address."


def test_a_bare_or_forged_ticket_number_never_threads(first):
    bare = services.ingest(corpus("bare_number.eml", TICKET=first.ticket_id), source="pipe")
    assert bare.outcome == "new_ticket"
    assert bare.ticket_id != first.ticket_id
    forged = corpus("subject_token_only.eml", TICKET=first.ticket_id, SIG="0123456789")
    record = services.ingest(forged, source="pipe")
    assert record.outcome == "new_ticket"
    assert record.ticket_id != first.ticket_id
    assert _customer_replies(first.ticket_id) == []


def test_a_reply_to_a_closed_ticket_opens_a_linked_follow_up(first):
    Ticket.objects.filter(pk=first.ticket_id).update(status=Status.CLOSED)
    record = services.ingest(corpus("reply_to_closed.eml"), source="pipe")
    follow_up = record.ticket
    assert record.outcome == "follow_up"
    assert follow_up.pk != first.ticket_id
    assert follow_up.channel == "email"
    assert follow_up.team_id == first.ticket.team_id
    assert follow_up.subject == "Re: Printer on fire"
    assert follow_up.description == "It is burning again, a week later."
    created = follow_up.events.get(type="created")
    assert created.data["follow_up_of"] == first.ticket_id
    assert f"Ticket #{first.ticket_id} is closed" in record.reason
    assert Ticket.objects.get(pk=first.ticket_id).events.count() == 1  # unchanged


def test_a_forwarded_message_is_a_new_ticket_with_the_forwarded_text(first):
    raw = corpus("forwarded.eml").replace(b"<invoice.eve@vendor.test>", first.message_id.encode())
    record = services.ingest(raw, source="pipe")
    assert record.outcome == "new_ticket"
    assert record.ticket_id != first.ticket_id
    ticket = record.ticket
    assert ticket.requester.email == "bob@customer.test"
    assert ticket.subject == "Fwd: Invoice 4711 is wrong"
    assert ticket.description.startswith("Please look at this")
    assert "The invoice 4711 charges us twice" in ticket.description  # not cut as a quote


@pytest.mark.parametrize("name", ["out_of_office.eml", "autoreply_precedence.eml"])
def test_auto_replies_are_kept_but_never_reopen_or_count(first, answered, name):
    raw = corpus(name, TICKET=first.ticket_id, OUR_ID=answered.message_id)
    record = services.ingest(raw, source="pipe")
    assert (record.state, record.outcome) == (InboundState.PROCESSED, "auto_reply")
    ticket = Ticket.objects.get(pk=first.ticket_id)
    assert ticket.status == Status.PENDING
    assert _customer_replies(ticket.pk) == []
    event = record.event
    assert (event.type, event.actor_role, event.data["kind"]) == (
        "auto_reply",
        "system",
        "auto_reply",
    )
    assert event.ticket_id == ticket.pk
    assert OutboundMessage.objects.count() == 2  # the acknowledgment and the rep's answer


def test_a_bounce_is_kept_on_the_ticket_of_the_mail_it_returns(first, answered):
    raw = corpus("bounce.eml", TICKET=first.ticket_id, OUR_ID=answered.message_id)
    record = services.ingest(raw, source="pipe")
    assert (record.outcome, record.ticket_id) == ("bounce", first.ticket_id)
    assert record.event.data["kind"] == "bounce"
    assert "mailbox full" in record.event.body
    assert Ticket.objects.get(pk=first.ticket_id).status == Status.PENDING
    assert not Customer.objects.filter(email__istartswith="mailer-daemon").exists()


def test_an_auto_reply_with_no_ticket_is_ignored(mailbox):
    record = services.ingest(corpus("autoreply_unknown.eml"), source="pipe")
    assert (record.state, record.outcome, record.ticket) == (
        InboundState.IGNORED,
        "auto_reply",
        None,
    )
    assert Ticket.objects.count() == 0
    assert not Customer.objects.exists()


def test_real_new_mail_is_acknowledged_once_and_noise_never(first, answered):
    ack = OutboundMessage.objects.get(kind=MessageKind.ACKNOWLEDGMENT)
    assert ack.ticket_id == first.ticket_id
    assert ack.in_reply_to == "<first.alice@customer.test>"
    assert ack.subject.startswith(tokens.subject_reference(first.ticket_id))
    services.ingest(corpus("own_followup.eml"), source="pipe")  # a reply: no acknowledgment
    raw = corpus("out_of_office.eml", TICKET=first.ticket_id, OUR_ID=answered.message_id)
    services.ingest(raw, source="pipe")
    services.ingest(corpus("autoreply_unknown.eml"), source="pipe")
    assert OutboundMessage.objects.filter(kind=MessageKind.ACKNOWLEDGMENT).count() == 1


def test_a_follow_up_is_acknowledged(first):
    Ticket.objects.filter(pk=first.ticket_id).update(status=Status.CLOSED)
    record = services.ingest(corpus("reply_to_closed.eml"), source="pipe")
    ack = OutboundMessage.objects.get(kind=MessageKind.ACKNOWLEDGMENT, ticket=record.ticket)
    assert ack.in_reply_to == "<late.alice@customer.test>"


def test_a_reply_to_our_acknowledgment_threads(first):
    ack = OutboundMessage.objects.get(kind=MessageKind.ACKNOWLEDGMENT)
    raw = corpus("own_followup.eml").replace(
        b"<first.alice@customer.test>", ack.message_id.encode()
    )
    record = services.ingest(raw, source="pipe")
    assert (record.outcome, record.ticket_id) == ("reply", first.ticket_id)
