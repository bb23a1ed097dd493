"""The one ingest service behind every door (IMAP poller, raw-MIME webhook, ``ingest_email``).

``ingest(raw, ...)`` records the message and commits the ticket change in one transaction, so a
message is processed exactly once: a second call with the same message (same IMAP key, same
Message-ID or same bytes) returns the existing record and changes nothing; two concurrent calls
meet at the record's unique constraints and one of them rolls back.

It never raises on bad mail: a message that cannot be parsed or processed is kept as failed
(raw bytes in storage, the reason recorded) for an admin to ``retry``; a message over
``INBOUND_MAX_BYTES`` is refused (recorded, the bytes not kept).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from csops import memo
from csops.errors import InvalidInput
from tickets.attachments.services import CheckedFile, IncomingFile, attach, check_files
from tickets.customers.services import (
    add_new_customers,
    customers_by_email,
    find_or_create_customer,
)
from tickets.mail.acknowledgments import acknowledge
from tickets.mail.inbound import noise, threading, tokens
from tickets.mail.inbound.models import InboundMessage, InboundSource, InboundState, Mailbox
from tickets.mail.inbound.parse import ParsedMail, UnusableMessage, parse
from tickets.models import Channel, Customer, Status, Ticket, TicketEvent
from tickets.models.events import ActorRole, EventType
from tickets.services import tickets as ticket_services
from tickets.services.actions import action_time, record

log = logging.getLogger(__name__)

MAX_CC = 20
OPENED = ("new_ticket", "follow_up")  # outcomes whose event is the ticket's ``created`` one
EMPTY_BODY = "(The message has no text.)"


class NoMailbox(Exception):
    """A new conversation arrived for an address no mailbox (team) receives."""


@dataclass
class Outcome:
    state: str
    outcome: str
    ticket: Ticket | None = None
    event: TicketEvent | None = None
    reason: str = ""


@dataclass(frozen=True)
class Keys:
    """What makes a message the same message: its IMAP key, its bytes, its Message-ID."""

    mailbox: Mailbox | None
    uidvalidity: int | None
    uid: str
    sha256: str


def _existing(keys: Keys, message_id: str = "") -> InboundMessage | None:
    match = Q(sha256=keys.sha256)
    if keys.uid:
        match |= Q(mailbox=keys.mailbox, uidvalidity=keys.uidvalidity, uid=keys.uid)
    if message_id:
        match |= Q(message_id=message_id)
    return InboundMessage.objects.filter(match).order_by("pk").first()


def ingest(
    raw: bytes,
    *,
    mailbox: Mailbox | None = None,
    source: str,
    uid: str = "",
    uidvalidity: int | None = None,
) -> InboundMessage:
    """Record one received message and make its ticket change, once."""
    if source not in InboundSource.values:
        raise ValueError(f"Unknown inbound source {source!r}.")
    uid = str(uid or "")
    sha256 = hashlib.sha256(raw).hexdigest()
    keys = Keys(mailbox, uidvalidity, uid, sha256)
    found = _existing(keys)
    if found is not None:
        return found
    record = InboundMessage(
        mailbox=mailbox,
        source=source,
        uid=uid,
        uidvalidity=uidvalidity,
        sha256=sha256,
        size=len(raw),
        received_at=timezone.now(),
    )
    if len(raw) > settings.INBOUND_MAX_BYTES:
        record.state, record.outcome = InboundState.REFUSED, "too_large"
        record.reason = _too_large(len(raw))
        return _save_alone(record, keys)
    try:
        mail = parse(raw)
    except UnusableMessage as exc:
        return _fail(record, raw, keys, str(exc))
    except Exception as exc:  # the email package on hostile input
        log.warning("inbound message %s could not be parsed", sha256, exc_info=True)
        return _fail(record, raw, keys, f"The message could not be parsed: {exc!r}")
    record.message_id = mail.message_id
    record.from_address = mail.from_address[:320]
    record.subject = mail.subject[:255]
    found = _existing(keys, message_id=mail.message_id)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            _store_raw(record, raw)
            _apply(record, mail, _process(mail, mailbox))
            record.save()
        return record
    except IntegrityError:
        found = _existing(keys, message_id=mail.message_id)
        if found is not None:  # a concurrent delivery of the same message won
            return found
        log.exception("inbound message %s could not be recorded", sha256)
        return _fail(record, raw, keys, "The message could not be recorded (integrity error).")
    except NoMailbox as exc:
        return _fail(record, raw, keys, str(exc))
    except Exception as exc:
        log.exception("inbound message %s failed", sha256)
        return _fail(record, raw, keys, f"Processing failed: {type(exc).__name__}: {exc}")


def ingest_batch(
    messages: list[tuple[str, bytes]],
    *,
    mailbox: Mailbox,
    source: str,
    uidvalidity: int | None,
) -> list[InboundMessage]:
    """Record several messages of one mailbox, ``(uid, raw)`` in UID order (one IMAP fetch),
    in one transaction: the records and the ticket changes of the whole batch commit together,
    with one lookup of the records already there and the batch's configuration reads made
    once (``csops.memo``). A later message of the batch threads onto an earlier one as if they
    came one by one. If anything in the batch raises (a concurrent delivery of the same
    message, a processing error), the batch is rolled back and each message is ingested
    alone, where a failure is recorded on its own message."""
    if source not in InboundSource.values:
        raise ValueError(f"Unknown inbound source {source!r}.")
    with memo.batch():
        try:
            with transaction.atomic(), _without_savepoints():
                done = _ingest_together(messages, mailbox, source, uidvalidity)
                if transaction.get_connection().needs_rollback:
                    raise RuntimeError("A step of the batch failed and was caught.")
                return done
        except Exception:  # noqa: BLE001 - every message is retried alone, failures recorded
            log.warning("inbound batch of %s rolled back; one by one", mailbox, exc_info=True)
        return [
            ingest(raw, mailbox=mailbox, source=source, uid=uid, uidvalidity=uidvalidity)
            for uid, raw in messages
        ]


@contextmanager
def _without_savepoints() -> Iterator[None]:
    """Inside the batch's transaction, nested ``atomic`` blocks make no savepoint (eight round
    trips per new ticket saved): one that fails marks the transaction for rollback instead, and
    the batch is redone message by message, with savepoints, by ``ingest``."""
    features = transaction.get_connection().features
    before = features.uses_savepoints
    features.uses_savepoints = False
    try:
        yield
    finally:
        features.uses_savepoints = before


class _Known:
    """The records of a batch's keys, those already stored and those the batch adds."""

    def __init__(self, records: list[InboundMessage]) -> None:
        self.by_sha: dict[str, InboundMessage] = {}
        self.by_uid: dict[tuple[int | None, int | None, str], InboundMessage] = {}
        self.by_message_id: dict[str, InboundMessage] = {}
        for found in sorted(records, key=lambda r: r.pk, reverse=True):
            self.add(found)  # the oldest record wins, as in _existing

    def add(self, found: InboundMessage) -> None:
        self.by_sha[found.sha256] = found
        if found.uid:
            self.by_uid[(found.mailbox_id, found.uidvalidity, found.uid)] = found
        if found.message_id:
            self.by_message_id[found.message_id] = found

    def get(self, keys: Keys, message_id: str = "") -> InboundMessage | None:
        mailbox_id = keys.mailbox.pk if keys.mailbox is not None else None
        return (
            self.by_sha.get(keys.sha256)
            or (self.by_uid.get((mailbox_id, keys.uidvalidity, keys.uid)) if keys.uid else None)
            or (self.by_message_id.get(message_id) if message_id else None)
        )


def _ingest_together(
    messages: list[tuple[str, bytes]], mailbox: Mailbox, source: str, uidvalidity: int | None
) -> list[InboundMessage]:
    prepared = []
    for uid, raw in messages:
        keys = Keys(mailbox, uidvalidity, str(uid), hashlib.sha256(raw).hexdigest())
        mail: ParsedMail | str | None = None  # None: too large; str: why it cannot be parsed
        if len(raw) <= settings.INBOUND_MAX_BYTES:
            try:
                mail = parse(raw)
            except UnusableMessage as exc:
                mail = str(exc)
            except Exception as exc:  # noqa: BLE001 - the email package on hostile input
                mail = f"The message could not be parsed: {exc!r}"
        prepared.append((raw, keys, mail))
    ids = [m.message_id for _, _, m in prepared if isinstance(m, ParsedMail) and m.message_id]
    match = Q(sha256__in=[k.sha256 for _, k, _ in prepared])
    match |= Q(mailbox=mailbox, uidvalidity=uidvalidity, uid__in=[k.uid for _, k, _ in prepared])
    if ids:
        match |= Q(message_id__in=ids)
    known = _Known(list(InboundMessage.objects.filter(match)))
    done, new = [], []
    mails = [
        m for _, k, m in prepared if isinstance(m, ParsedMail) and not known.get(k, m.message_id)
    ]
    # The customers of the people who wrote (not of auto-replies and bounces): those on file
    # read at once, the new ones created at once.
    people = [(m.from_address, m.from_name) for m in mails if not noise.classify(m)]
    batch = _Batch(customers=customers_by_email(address for address, _ in people))
    add_new_customers(batch.customers, people)
    for raw, keys, mail in prepared:
        message_id = mail.message_id if isinstance(mail, ParsedMail) else ""
        found = known.get(keys, message_id)
        if found is None:
            found = _record_in_batch(raw, keys, mail, source, batch)
            known.add(found)
            new.append(found)
            if found.message_id and found.ticket_id:
                batch.tickets[found.message_id] = found.ticket_id
        done.append(found)
    _created_events(new)
    InboundMessage.objects.bulk_create(new)  # one INSERT; the unique keys still apply
    return done


def _created_events(records: list[InboundMessage]) -> None:
    """The event of each new ticket or follow-up the batch opened (its ``created`` event),
    in one query for the batch."""
    waiting = {
        r.ticket_id: r
        for r in records
        if r.outcome in OPENED and r.event_id is None and r.ticket_id is not None
    }
    if not waiting:
        return
    events = TicketEvent.objects.filter(ticket_id__in=waiting, type=EventType.CREATED)
    for ticket_id, event_id in events.order_by("-pk").values_list("ticket_id", "pk"):
        waiting[ticket_id].event_id = event_id  # the first (lowest pk) one wins


@dataclass
class _Batch:
    """What a batch's messages learn before their records are written: the tickets of those
    processed so far (by Message-ID, for threading) and the senders' customers (read at once,
    completed as they are created)."""

    customers: dict[str, Customer]
    tickets: dict[str, int] = field(default_factory=dict)


def _record_in_batch(
    raw: bytes, keys: Keys, mail: ParsedMail | str | None, source: str, batch: _Batch
) -> InboundMessage:
    record = InboundMessage(
        mailbox=keys.mailbox,
        source=source,
        uid=keys.uid,
        uidvalidity=keys.uidvalidity,
        sha256=keys.sha256,
        size=len(raw),
        received_at=timezone.now(),
    )
    if mail is None:
        record.state, record.outcome = InboundState.REFUSED, "too_large"
        record.reason = _too_large(len(raw))
    elif isinstance(mail, str):
        record.state, record.outcome, record.reason = InboundState.FAILED, "", mail[:4000]
        _store_raw(record, raw)
    else:
        record.message_id = mail.message_id
        record.from_address = mail.from_address[:320]
        record.subject = mail.subject[:255]
        _store_raw(record, raw)
        _apply(record, mail, _process(mail, keys.mailbox, batch=batch))
    return record  # saved with the batch's others


def _too_large(size: int) -> str:
    return (
        f"The message is {size:,} bytes; the limit is {settings.INBOUND_MAX_BYTES:,} "
        "bytes (INBOUND_MAX_BYTES)."
    )


def retry(record_id: int) -> InboundMessage:
    """Process a failed record again from its stored raw bytes (the admin's action). The same
    record is updated; a record that is not failed is returned unchanged."""
    with transaction.atomic():
        record = InboundMessage.objects.select_for_update().get(pk=record_id)
        if record.state != InboundState.FAILED:
            return record
        record.attempts += 1
        try:
            with record.raw.open("rb") as stream:
                raw = stream.read()
        except (OSError, ValueError) as exc:
            record.reason = f"The stored message cannot be read: {exc}"
            record.save(update_fields=["attempts", "reason"])
            return record
        try:
            mail = parse(raw)
            with transaction.atomic():
                _apply(record, mail, _process(mail, record.mailbox))
                record.message_id = mail.message_id
                record.from_address = mail.from_address[:320]
                record.subject = mail.subject[:255]
                record.save()
        except Exception as exc:  # noqa: BLE001 - recorded, shown in the admin
            record.reason = (
                str(exc)
                if isinstance(exc, UnusableMessage | NoMailbox)
                else f"Processing failed: {type(exc).__name__}: {exc}"
            )
            record.save(update_fields=["attempts", "reason"])
    return record


def _apply(record: InboundMessage, mail: ParsedMail, outcome: Outcome) -> None:
    record.state, record.outcome, record.reason = outcome.state, outcome.outcome, outcome.reason
    record.ticket, record.event = outcome.ticket, outcome.event
    record.processed_at = timezone.now()


def _store_raw(record: InboundMessage, raw: bytes) -> None:
    record.raw.save(f"{record.sha256}.eml", ContentFile(raw), save=False)


def _save_alone(record: InboundMessage, keys: Keys) -> InboundMessage:
    try:
        with transaction.atomic():
            record.save()
        return record
    except IntegrityError:
        found = _existing(keys, message_id=record.message_id)
        if found is None:
            raise
        return found


def _fail(record: InboundMessage, raw: bytes, keys: Keys, reason: str) -> InboundMessage:
    record.state, record.outcome, record.reason = InboundState.FAILED, "", reason[:4000]
    record.ticket = record.event = None
    if not record.raw:
        try:
            _store_raw(record, raw)
        except OSError:
            log.exception("inbound message %s could not be stored", record.sha256)
    return _save_alone(record, keys)


# --- processing: the ticket change ---------------------------------------------------------


@memo.per_batch
def _our_addresses() -> set[str]:
    ours = {a.lower() for a in Mailbox.objects.values_list("address", flat=True)}
    ours.add(tokens.base_address(settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].strip(">")))
    return ours


def _mailbox_for(mail: ParsedMail, mailbox: Mailbox | None) -> Mailbox:
    if mailbox is not None:
        return mailbox
    bases = [tokens.base_address(a) for a in mail.recipients]
    boxes = _enabled_mailboxes()
    for address in bases:
        if address in boxes:
            return boxes[address]
    raise NoMailbox(
        "No enabled mailbox receives "
        + (", ".join(mail.recipients[:5]) or "this message (no recipients)")
        + ". Add the mailbox in the admin, then retry."
    )


@memo.per_batch
def _enabled_mailboxes() -> dict[str, Mailbox]:
    return {m.address.lower(): m for m in Mailbox.objects.filter(enabled=True)}


def _participants(mail: ParsedMail, ticket: Ticket) -> list[str]:
    """Everyone on the message but us and the requester: the ticket's new CC list."""
    ours = _our_addresses()
    requester = ticket.requester.email.lower()
    found = [mail.from_address, *mail.to, *mail.cc]
    return [
        a
        for a in dict.fromkeys(x.lower() for x in found)
        if a != requester and tokens.base_address(a) not in ours
    ]


def _add_cc(ticket: Ticket, mail: ParsedMail) -> None:
    cc = list(ticket.cc)
    for address in _participants(mail, ticket):
        if address not in cc and len(cc) < MAX_CC:
            cc.append(address)
    if cc != ticket.cc:
        ticket.cc = cc
        Ticket.objects.filter(pk=ticket.pk).update(cc=cc)


def _body(mail: ParsedMail) -> str:
    return mail.reply_text.strip() or mail.text.strip() or EMPTY_BODY


def _process(mail: ParsedMail, mailbox: Mailbox | None, *, batch: _Batch | None = None) -> Outcome:
    """The ticket change of one message: noise kept on its ticket, or a person's mail as a
    reply or a new ticket, with its attachments and inline images. In a batch, a new ticket's
    event is left for ``_created_events`` unless its files need it now."""
    outcome = _process_message(mail, mailbox, batch)
    if outcome.event is not None and outcome.outcome in ("new_ticket", "reply", "follow_up"):
        refused = _keep_files(outcome.event, mail)
        if refused:
            outcome.reason = " ".join(filter(None, [outcome.reason, "Files not kept:", *refused]))
    return outcome


def _keep_files(event: TicketEvent, mail: ParsedMail) -> list[str]:
    """Store the mail's attachments and inline images on the event, each checked by the
    attachments service; a file it refuses (a program, HTML, too big) is named in the reason,
    the message is kept."""
    kept: list[CheckedFile] = []
    refused: list[str] = []
    total = 0
    for part in mail.attachments:
        if not part.content:
            continue
        incoming = IncomingFile(part.filename, part.content, part.content_id, part.inline)
        try:
            [checked] = check_files([incoming])
        except InvalidInput as exc:
            refused += exc.fields.get("attachments") or [str(exc)]
            continue
        if total + checked.size > settings.ATTACHMENT_MAX_MESSAGE_BYTES:
            refused.append(f"{checked.filename}: the message's files exceed the limit.")
            continue
        total += checked.size
        kept.append(checked)
    attach(event, kept)
    return refused


def _process_message(mail: ParsedMail, mailbox: Mailbox | None, batch: _Batch | None) -> Outcome:
    kind = noise.classify(mail)
    thread = threading.find(mail, kind=kind, pending=batch.tickets if batch else None)
    if kind:
        return _noise(mail, kind, thread.ticket_id)
    customer = find_or_create_customer(
        by=None,
        email=mail.from_address,
        name=mail.from_name,
        known=batch.customers if batch else None,
    )
    # Outside a batch, or for files to hang on: the created event now.
    created_now = batch is None or any(part.content for part in mail.attachments)
    if thread.ticket_id is not None:
        return _reply(mail, customer, thread.ticket_id, thread.how, created_now)
    team_mailbox = _mailbox_for(mail, mailbox)
    ticket = ticket_services.create_ticket(
        by=None,
        requester=customer,
        subject=(mail.subject or "(no subject)")[:200],
        description=_body(mail),
        team=team_mailbox.team,
        channel=Channel.EMAIL,
    )
    _add_cc(ticket, mail)
    acknowledge(ticket, in_reply_to=mail.message_id)  # capped per sender and hour
    event = _first_event(ticket) if created_now else None
    return Outcome(InboundState.PROCESSED, "new_ticket", ticket, event, _forward_note(mail))


def _forward_note(mail: ParsedMail) -> str:
    return "A forwarded message: its forwarded text is kept." if mail.forwarded else ""


def _first_event(ticket: Ticket) -> TicketEvent | None:
    return ticket.events.filter(type=EventType.CREATED).first()


def _reply(
    mail: ParsedMail, customer: Customer, ticket_id: int, how: str, created_now: bool
) -> Outcome:
    result = ticket_services.customer_reply(
        ticket_id, customer=customer, body=_body(mail), channel=Channel.EMAIL
    )
    if result.requester_id == customer.pk:
        result.requester = customer  # read once
    how = f"Threaded by {how.replace('_', '-')}."
    if result.pk != ticket_id:  # the ticket was closed: a follow-up ticket
        _add_cc(result, mail)
        acknowledge(result, in_reply_to=mail.message_id)
        return Outcome(
            InboundState.PROCESSED,
            "follow_up",
            result,
            _first_event(result) if created_now else None,
            f"{how} Ticket #{ticket_id} is closed; follow-up ticket #{result.pk} opened.",
        )
    _add_cc(result, mail)
    event = (
        TicketEvent.objects.filter(
            ticket=result, type=EventType.PUBLIC_REPLY, actor_role=ActorRole.CUSTOMER
        )
        .order_by("-pk")
        .first()
    )
    return Outcome(InboundState.PROCESSED, "reply", result, event, how)


def _noise(mail: ParsedMail, kind: str, ticket_id: int | None) -> Outcome:
    if ticket_id is None:
        return Outcome(
            InboundState.IGNORED, kind, reason="No ticket matches this automatic message."
        )
    ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
    customer = Customer.objects.with_email(mail.from_address).first()
    at = action_time(ticket)
    event = TicketEvent(
        ticket=ticket,
        at=at,
        type=EventType.AUTO_REPLY,
        actor_role=ActorRole.SYSTEM,
        customer=customer,
        body=(mail.text.strip() or mail.subject or EMPTY_BODY)[:20000],
        data={"kind": kind, "from": mail.from_address, "subject": mail.subject},
    )
    record(ticket, at, [event])
    note = "" if ticket.status != Status.CLOSED else "Kept on the closed ticket."
    return Outcome(InboundState.PROCESSED, kind, ticket, event, note)
