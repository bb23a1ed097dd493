"""One IMAP fetch ingested in one transaction (``services.ingest_batch``): the same records
and ticket changes as one by one, exactly once, and a failing message does not sink the rest."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.mail.conftest import corpus
from tickets.customers.models import CustomerMerge
from tickets.mail.inbound import services
from tickets.mail.inbound.models import InboundMessage, InboundState
from tickets.models import Customer, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

LONG_ADDRESS = b"From: " + b"x" * 300 + b"@customer.test\r\n"


def _batch(mailbox, *raws: bytes, first_uid: int = 1):
    return services.ingest_batch(
        [(str(first_uid + k), raw) for k, raw in enumerate(raws)],
        mailbox=mailbox,
        source="imap",
        uidvalidity=5,
    )


def test_a_reply_threads_onto_a_message_earlier_in_its_batch(mailbox):
    first, reply = _batch(mailbox, corpus("new_plain.eml"), corpus("own_followup.eml"))
    assert (first.outcome, reply.outcome) == ("new_ticket", "reply")
    assert reply.ticket == first.ticket
    assert reply.reason == "Threaded by in-reply-to."
    assert [e.type for e in first.ticket.events.order_by("pk")] == ["created", "public_reply"]
    assert reply.event.body == "Forgot to say: it is the one on the 2nd floor."
    assert (first.uid, first.uidvalidity, reply.uid) == ("1", 5, "2")


def test_a_batch_fetched_again_changes_nothing(mailbox):
    raws = (corpus("new_plain.eml"), corpus("own_followup.eml"))
    done = _batch(mailbox, *raws)
    again = _batch(mailbox, *raws)
    assert [r.pk for r in again] == [r.pk for r in done]
    # Within one batch too: the same bytes under another UID are the same message.
    twice = _batch(mailbox, corpus("alternative.eml"), corpus("alternative.eml"), first_uid=3)
    assert twice[0].pk == twice[1].pk
    assert InboundMessage.objects.count() == 3
    assert Ticket.objects.count() == 2
    assert TicketEvent.objects.count() == 3


def test_a_failing_message_is_recorded_alone_and_the_rest_of_its_batch_kept(mailbox):
    bad = corpus("new_plain.eml").replace(b"From: ", b"X-Old-From: ", 1)
    bad = bad.replace(b"Message-ID: <first.alice", b"Message-ID: <long.sender", 1)
    bad = LONG_ADDRESS + bad  # longer than any address may be (254): the database refuses it
    first, failed, reply = _batch(mailbox, corpus("new_plain.eml"), bad, corpus("own_followup.eml"))
    assert failed.state == InboundState.FAILED
    assert failed.reason.startswith("Processing failed: DataError")
    assert failed.ticket is None
    assert failed.raw
    assert (first.outcome, reply.outcome, reply.ticket) == ("new_ticket", "reply", first.ticket)
    assert Ticket.objects.count() == 1
    assert not Customer.objects.filter(email__startswith="xxx").exists()


def test_oversized_and_unparsable_messages_are_recorded_in_the_batch(mailbox, settings):
    settings.INBOUND_MAX_BYTES = 10_000
    big = corpus("new_plain.eml") + b"A" * 20_000
    refused, failed, made = _batch(
        mailbox, big, corpus("malformed_no_sender.eml"), corpus("alternative.eml")
    )
    assert (refused.state, refused.outcome, bool(refused.raw)) == ("refused", "too_large", False)
    assert "10,000" in refused.reason
    assert (failed.state, failed.reason) == (
        InboundState.FAILED, "The message has no sender address (From)."
    )  # fmt: skip
    assert made.outcome == "new_ticket"


def _from(sender: str, message_id: str, subject: str = "Hello") -> bytes:
    return (
        f"From: {sender}\r\nTo: support@acme.test\r\nSubject: {subject}\r\n"
        f"Message-ID: <{message_id}@customer.test>\r\n\r\nPlease help.\r\n"
    ).encode()


def test_a_batch_finds_its_senders_customers_once_merged_or_in_another_case(mailbox):
    # given a known customer, and one merged into another record
    known = Customer.objects.create(email="Dana@Customer.test", name="Dana")
    survivor = Customer.objects.create(email="erin@customer.test", name="Erin")
    CustomerMerge.objects.create(
        survivor=survivor,
        merged_customer_id=999_999,
        merged_name="Erin (old)",
        merged_email="Erin.Old@customer.test",
        by=User.objects.create(username="merger"),
        at=timezone.now(),
    )
    # when one batch brings mail from them, and twice from a new sender
    records = _batch(
        mailbox,
        _from("dana@CUSTOMER.test", "b1"),
        _from("erin.old@customer.test", "b2"),
        _from("Frank <frank@customer.test>", "b3"),
        _from("FRANK@customer.test", "b4", subject="Another"),
    )
    # then each message is on its sender's one customer record
    requesters = [r.ticket.requester for r in records]
    frank = Customer.objects.get(email="frank@customer.test")
    assert requesters == [known, survivor, frank, frank]
    assert frank.name == "Frank"
    assert [h.history_type for h in frank.history.all()] == ["+"]  # kept in its audit history
    assert Customer.objects.count() == 3
