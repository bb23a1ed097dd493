"""The steps every ticket action shares, so each rule is written once: the action's instant,
the version check, saving the row, the automatic new -> open, status transitions, search
indexing, and ``record``: append the action's events, re-evaluate the SLA clocks and signal the
change on commit. Every service that logs ticket events goes through ``record``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import F

from csops.bounds import SEARCH_INDEXED_CHARS
from csops.clock import now_s
from csops.errors import InvalidInput, InvalidTransition, StaleTicket
from policies.ticket_log import RESOLVED
from tickets import events
from tickets.mail import services as outbox
from tickets.models import Status, Ticket, TicketEvent
from tickets.models.policy_records import PolicyMoment
from tickets.services import sla
from tickets.services.policy_records import record_policy_versions
from tickets.signals import ticket_changed, tickets_changed
from tickets.webhooks import services as webhooks


def action_time(ticket: Ticket | None = None) -> datetime:
    """The action instant: whole seconds, never before the ticket's latest event (§9.2, §9.18)."""
    now = now_s()
    if ticket is not None and ticket.updated_at and ticket.updated_at > now:
        return ticket.updated_at
    return now


class _Changed:
    """The tickets one transaction changed, signalled when it commits: ``ticket_changed``
    for each, then ``tickets_changed`` once for all (``tickets.signals``)."""

    def __init__(self, ticket_id: int) -> None:
        self.ids: dict[int, None] = {ticket_id: None}

    def __call__(self) -> None:
        for ticket_id in self.ids:
            ticket_changed.send(sender=Ticket, ticket_id=ticket_id)
        tickets_changed.send(sender=Ticket, ticket_ids=list(self.ids))


def signal_changed(ticket_id: int) -> None:
    """Signal the ticket's change on commit; every change of one transaction in one callback
    (a savepoint rolled back drops the callback it registered, and with it only changes made
    inside that savepoint, as Django's ``on_commit`` does)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _, callback, _ in connection.run_on_commit:
            if isinstance(callback, _Changed):
                callback.ids[ticket_id] = None
                return
    transaction.on_commit(_Changed(ticket_id))


# Search indexes the first SEARCH_INDEXED_CHARS characters of each message (csops.bounds); the
# message itself is stored whole. A message whose vector would push the ticket's past
# TSVECTOR_BYTES (PostgreSQL's limit is 1 MB) is stored but not indexed (the earlier messages
# stay searchable). A tsvector's text form is never shorter than its stored size.
TSVECTOR_BYTES = 1_000_000
_INDEX_SQL = f"""
    UPDATE {Ticket._meta.db_table} AS t SET search_vector = CASE
        WHEN t.search_vector IS NULL THEN n.v
        WHEN octet_length(t.search_vector::text) + octet_length(n.v::text) <= {TSVECTOR_BYTES}
        THEN t.search_vector || n.v
        ELSE t.search_vector END
    FROM (SELECT to_tsvector('english'::regconfig, %s) AS v) AS n
    WHERE t.id = %s
"""


def index_text(ticket_id: int, text: str) -> None:
    """Add a message's first SEARCH_INDEXED_CHARS characters to the ticket's search vector."""
    if settings.IS_POSTGRES and text:
        with connection.cursor() as cursor:
            cursor.execute(_INDEX_SQL, [text[:SEARCH_INDEXED_CHARS], ticket_id])


def check_version(ticket: Ticket, expected_version: int | None) -> None:
    if expected_version is not None and ticket.version != expected_version:
        raise StaleTicket(
            f"Someone else changed ticket #{ticket.pk} since you opened it "
            f"(version {expected_version}, now {ticket.version}). Reload to see their change."
        )


def save_ticket(ticket: Ticket, at: datetime, fields: Iterable[str]) -> None:
    ticket.updated_at = at
    ticket.version = F("version") + 1
    ticket.save(update_fields=[*fields, "updated_at", "version"])
    ticket.refresh_from_db(fields=["version"])


def open_if_new(ticket: Ticket, at: datetime, by: User) -> list[TicketEvent]:
    """An agent's first action on a new ticket opens it (§2), before the agent's message."""
    if ticket.status != Status.NEW:
        return []
    ticket.status = Status.OPEN
    return [events.status_changed(ticket, at, by, Status.NEW, Status.OPEN)]


def transition(ticket: Ticket, at: datetime, by: User | None, to: str) -> list[TicketEvent]:
    frm = ticket.status
    if to == frm:
        return []
    if frm == Status.CLOSED:
        raise InvalidTransition("A closed ticket is final; a new message opens a follow-up ticket.")
    if to == Status.NEW:
        raise InvalidTransition(
            "A ticket cannot go back to new.", fields={"status": ["Not allowed."]}
        )
    if to not in Status.values:
        raise InvalidInput(f"Unknown status {to!r}.", fields={"status": ["Unknown status."]})
    ticket.status = to
    if to in RESOLVED and frm not in RESOLVED:
        ticket.solved_at = at
        record_policy_versions(ticket, PolicyMoment.SOLVED, at)
    elif to not in RESOLVED:
        ticket.solved_at = None
    return [events.status_changed(ticket, at, by, frm, to)]


def record(ticket: Ticket, at: datetime, log: list[TicketEvent]) -> None:
    """Append one action's events, re-evaluate the ticket's SLA clocks, signal on commit."""
    if not log:
        return
    events.append(log)
    outbox.queue_replies(ticket, log)  # public replies are mailed to the requester
    webhooks.record_ticket_events(ticket, log)  # one delivery per subscription and event
    sla.refresh(ticket, at)
    signal_changed(ticket.pk)
