"""The steps every ticket action shares, so each rule is written once: the action's instant,
the version check, saving the row, the automatic new -> open, status transitions, search
indexing, and ``record``: append the action's events, re-evaluate the SLA clocks and signal the
change on commit. Every service that logs ticket events goes through ``record``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.db.models.expressions import RawSQL

from csops.clock import now_s
from csops.errors import InvalidInput, InvalidTransition, StaleTicket
from policies.ticket_log import RESOLVED
from tickets import events
from tickets.models import Status, Ticket, TicketEvent
from tickets.models.policy_records import PolicyMoment
from tickets.services import sla
from tickets.services.policy_records import record_policy_versions
from tickets.signals import ticket_changed


def action_time(ticket: Ticket | None = None) -> datetime:
    """The action instant: whole seconds, never before the ticket's latest event (§9.2, §9.18)."""
    now = now_s()
    if ticket is not None and ticket.updated_at and ticket.updated_at > now:
        return ticket.updated_at
    return now


def signal_changed(ticket_id: int) -> None:
    transaction.on_commit(partial(ticket_changed.send, sender=Ticket, ticket_id=ticket_id))


def index_text(ticket_id: int, text: str) -> None:
    if settings.IS_POSTGRES and text:
        Ticket.objects.filter(pk=ticket_id).update(
            search_vector=RawSQL(
                "coalesce(search_vector, ''::tsvector) || to_tsvector('english'::regconfig, %s)",
                [text],
            )
        )


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
    sla.refresh(ticket, at)
    signal_changed(ticket.pk)
