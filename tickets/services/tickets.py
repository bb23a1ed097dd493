"""Ticket use cases. Each runs in one transaction: check scope, check the version, update the
row, append the action's events (one ``at``, §9.1 order), and signal the change on commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import cast

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.utils import timezone

from csops import permissions
from csops.errors import Conflict, InvalidInput, InvalidTransition, StaleTicket
from policies.models import Category, Tag
from policies.ticket_log import RESOLVED
from staffing.models import Team
from tickets import events
from tickets.models import Channel, Customer, Priority, Status, Ticket, TicketEvent
from tickets.models.tickets import PRIORITY_RANK
from tickets.signals import ticket_changed

UNSET = object()  # "leave as is", where None is a meaningful value (unassign, no category)


def _now(ticket: Ticket | None = None) -> datetime:
    """The action instant: whole seconds, never before the ticket's latest event (§9.2, §9.18)."""
    now = timezone.now().replace(microsecond=0)
    if ticket is not None and ticket.updated_at and ticket.updated_at > now:
        return ticket.updated_at
    return now


def _signal_on_commit(ticket_id: int) -> None:
    transaction.on_commit(partial(ticket_changed.send, sender=Ticket, ticket_id=ticket_id))


def _index_text(ticket_id: int, text: str) -> None:
    if settings.IS_POSTGRES and text:
        Ticket.objects.filter(pk=ticket_id).update(
            search_vector=RawSQL(
                "coalesce(search_vector, ''::tsvector) || to_tsvector('english'::regconfig, %s)",
                [text],
            )
        )


def _check_version(ticket: Ticket, expected_version: int | None) -> None:
    if expected_version is not None and ticket.version != expected_version:
        raise StaleTicket(
            f"Someone else changed ticket #{ticket.pk} since you opened it "
            f"(version {expected_version}, now {ticket.version}). Reload to see their change."
        )


def _save(ticket: Ticket, at: datetime, fields: Iterable[str]) -> None:
    ticket.updated_at = at
    ticket.version = F("version") + 1
    ticket.save(update_fields=[*fields, "updated_at", "version"])
    ticket.refresh_from_db(fields=["version"])


def _open_if_new(ticket: Ticket, at: datetime, by: User) -> list[TicketEvent]:
    """An agent's first action on a new ticket opens it (§2), before the agent's message."""
    if ticket.status != Status.NEW:
        return []
    ticket.status = Status.OPEN
    return [events.status_changed(ticket, at, by, Status.NEW, Status.OPEN)]


def _transition(ticket: Ticket, at: datetime, by: User | None, to: str) -> list[TicketEvent]:
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
    elif to not in RESOLVED:
        ticket.solved_at = None
    return [events.status_changed(ticket, at, by, frm, to)]


def _validate_assignee(team_id: int, assignee: User | None) -> None:
    if assignee is None:
        return
    if not permissions.can_work_team(assignee, team_id):
        raise InvalidInput(
            f"{assignee.get_username()} does not work this team's queue.",
            fields={"assignee": ["Not a member of the ticket's team."]},
        )


@transaction.atomic
def create_ticket(
    *,
    by: User | None,
    requester: Customer,
    subject: str,
    description: str,
    team: Team,
    channel: str = Channel.EMAIL,
    priority: str = Priority.NORMAL,
    category: Category | None = None,
    tags: Iterable[Tag] = (),
    initiated_by: str = "customer",
    assignee: User | None = None,
) -> Ticket:
    """Open a ticket. ``by`` is the agent logging it (phone, walk-in, outbound) or None when a
    customer channel (email, web form, API integration) creates it."""
    if by is not None:
        permissions.ensure_can_work_team(by, team.pk)
    subject, description = subject.strip(), description.strip()
    errors = {}
    if not subject:
        errors["subject"] = ["A subject is required."]
    if not description:
        errors["description"] = ["Describe the customer's issue."]
    if errors:
        raise InvalidInput("The ticket is missing required fields.", fields=errors)
    _validate_assignee(team.pk, assignee)
    at = _now()
    ticket = Ticket.objects.create(
        subject=subject,
        description=description,
        team=team,
        channel=channel,
        priority=priority,
        priority_rank=PRIORITY_RANK[priority],
        category=category,
        initiated_by=initiated_by,
        requester=requester,
        assignee=assignee,
        created_at=at,
        updated_at=at,
    )
    tags = list(tags)
    if tags:
        ticket.tags.set(tags)
    log = [events.created(ticket, at, by=by, customer=requester)]
    if by is not None and assignee is not None:
        log += _open_if_new(ticket, at, by)
        Ticket.objects.filter(pk=ticket.pk).update(status=ticket.status)
    events.append(log)
    _index_text(ticket.pk, f"{subject}\n{description}")
    _signal_on_commit(ticket.pk)
    return ticket


@transaction.atomic
def claim(ticket_id: int, *, by: User) -> Ticket:
    """Take an unassigned ticket. Concurrent claims serialise on the row lock: one wins."""
    ticket = permissions.access_ticket(by, ticket_id, for_update=True)
    if ticket.assignee_id == by.pk:
        return ticket
    if ticket.assignee_id is not None:
        raise Conflict(
            f"Ticket #{ticket.pk} is already claimed by {ticket.assignee.get_username()}."
        )
    if ticket.status == Status.CLOSED:
        raise InvalidTransition("A closed ticket cannot be claimed.")
    at = _now(ticket)
    log = _open_if_new(ticket, at, by)
    ticket.assignee = by
    log.append(events.assigned(ticket, at, by, by.pk, None))
    _save(ticket, at, ["assignee", "status"])
    events.append(log)
    _signal_on_commit(ticket.pk)
    return ticket


@transaction.atomic
def reply(
    ticket_id: int,
    *,
    by: User,
    body: str,
    public: bool = True,
    new_status: str | None = None,
    expected_version: int | None = None,
) -> Ticket:
    """A public reply or an internal note, optionally with a status change ("send and set
    pending"). The message is logged before the status change (§9.1)."""
    ticket = permissions.access_ticket(by, ticket_id, for_update=True)
    _check_version(ticket, expected_version)
    body = body.strip()
    if not body:
        raise InvalidInput("The message is empty.", fields={"body": ["Write a message."]})
    if ticket.status == Status.CLOSED:
        raise InvalidTransition("This ticket is closed; it cannot take new messages.")
    at = _now(ticket)
    log = _open_if_new(ticket, at, by)
    log.append((events.agent_reply if public else events.internal_note)(ticket, at, by, body))
    if new_status:
        log += _transition(ticket, at, by, new_status)
    _save(ticket, at, ["status", "solved_at"])
    events.append(log)
    _index_text(ticket.pk, body)
    _signal_on_commit(ticket.pk)
    return ticket


@transaction.atomic
def customer_reply(
    ticket_id: int, *, customer: Customer, body: str, channel: str = Channel.EMAIL
) -> Ticket:
    """A message from the customer through a channel. On a closed ticket it opens an
    independent follow-up ticket (§9.23); on pending, on-hold or solved it reopens (§2)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
    body = body.strip()
    if not body:
        raise InvalidInput("The message is empty.", fields={"body": ["Write a message."]})
    if ticket.status == Status.CLOSED:
        return create_ticket(
            by=None,
            requester=customer,
            subject=f"Re: {ticket.subject}"[:200],
            description=body,
            team=ticket.team,
            channel=channel,
            priority=ticket.priority,
            category=ticket.category,
        )
    at = _now(ticket)
    log = [events.customer_reply(ticket, at, customer, body)]
    if ticket.status in (Status.PENDING, Status.ON_HOLD, Status.SOLVED):
        frm = ticket.status
        ticket.status, ticket.solved_at = Status.OPEN, None
        log.append(events.customer_status_changed(ticket, at, frm, Status.OPEN))
    _save(ticket, at, ["status", "solved_at"])
    events.append(log)
    _index_text(ticket.pk, body)
    _signal_on_commit(ticket.pk)
    return ticket


@transaction.atomic
def update_ticket(
    ticket_id: int,
    *,
    by: User,
    expected_version: int | None,
    status: str | None = None,
    priority: str | None = None,
    team: Team | None = None,
    assignee: User | None | object = UNSET,
    category: Category | None | object = UNSET,
    tags: Iterable[Tag] | None = None,
) -> Ticket:
    """Edit properties in place. Only what differs is changed and logged, as one action."""
    ticket = permissions.access_ticket(by, ticket_id, for_update=True)
    _check_version(ticket, expected_version)
    if ticket.status == Status.CLOSED:
        raise InvalidTransition("A closed ticket is final and cannot be edited.")
    at = _now(ticket)
    log: list[TicketEvent] = []
    changed: set[str] = set()

    new_team_id = team.pk if team is not None else ticket.team_id
    new_assignee = ticket.assignee if assignee is UNSET else cast(User | None, assignee)
    if team is not None and team.pk != ticket.team_id and assignee is UNSET:
        # A transfer keeps the assignee only if they also work the new team.
        if new_assignee is not None and not permissions.can_work_team(new_assignee, team.pk):
            new_assignee = None
    new_assignee_id = new_assignee.pk if new_assignee is not None else None
    if new_team_id != ticket.team_id or new_assignee_id != ticket.assignee_id:
        _validate_assignee(new_team_id, new_assignee)
        log.append(
            events.assigned(
                ticket,
                at,
                by,
                new_assignee_id,
                new_team_id if new_team_id != ticket.team_id else None,
            )
        )
        ticket.team_id, ticket.assignee = new_team_id, new_assignee
        changed |= {"team", "assignee"}
    if priority and priority != ticket.priority:
        if priority not in Priority.values:
            raise InvalidInput("Unknown priority.", fields={"priority": ["Unknown priority."]})
        log.append(events.priority_changed(ticket, at, by, ticket.priority, priority))
        ticket.priority, ticket.priority_rank = priority, PRIORITY_RANK[priority]
        changed |= {"priority", "priority_rank"}
    if category is not UNSET and getattr(category, "pk", None) != ticket.category_id:
        new_id = getattr(category, "pk", None)
        log.append(events.category_changed(ticket, at, by, ticket.category_id, new_id))
        ticket.category_id = new_id
        changed.add("category")
    if tags is not None:
        wanted = {t.name: t for t in tags}
        current = set(ticket.tags.values_list("name", flat=True))
        if set(wanted) != current:
            log.append(
                events.tags_changed(ticket, at, by, set(wanted) - current, current - set(wanted))
            )
            ticket.tags.set(wanted.values())
    if status and status != ticket.status:
        opening = _open_if_new(ticket, at, by) if status != Status.OPEN else []
        log = opening + log + _transition(ticket, at, by, status)
        changed |= {"status", "solved_at"}
    elif log:
        log = _open_if_new(ticket, at, by) + log
        changed.add("status")
    if not log:
        return ticket
    _save(ticket, at, changed)
    events.append(log)
    _signal_on_commit(ticket.pk)
    return ticket
