"""Builders for ticket log entries: one function per event type (KPI_SPEC.md §2).

They return unsaved ``TicketEvent`` rows; a service saves all rows of one action together
(same ``at``, in the order §9.1 requires) with ``append``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User

from tickets.models import Customer, Ticket, TicketEvent
from tickets.models.events import ActorRole, EventType


def _agent_event(ticket: Ticket, at: datetime, by: User | None, type_: str, **data) -> TicketEvent:
    role = ActorRole.AGENT if by is not None else ActorRole.SYSTEM
    return TicketEvent(ticket=ticket, at=at, type=type_, actor_role=role, actor=by, data=data)


def created(
    ticket: Ticket,
    at: datetime,
    *,
    by: User | None,
    customer: Customer | None,
    follow_up_of: int | None = None,
) -> TicketEvent:
    role = ActorRole.AGENT if by is not None else ActorRole.CUSTOMER
    return TicketEvent(
        ticket=ticket,
        at=at,
        type=EventType.CREATED,
        actor_role=role,
        actor=by,
        customer=customer if by is None else None,
        body=ticket.description,
        data={
            "channel": ticket.channel,
            "priority": ticket.priority,
            "team": ticket.team_id,
            "assignee": ticket.assignee_id,
            "initiated_by": ticket.initiated_by,
            "subject": ticket.subject,
            # A customer's message on a closed ticket (KPI_SPEC §9.23): the closed one.
            **({"follow_up_of": follow_up_of} if follow_up_of else {}),
        },
    )


def status_changed(ticket: Ticket, at: datetime, by: User | None, frm: str, to: str) -> TicketEvent:
    return _agent_event(ticket, at, by, EventType.STATUS_CHANGED, **{"from": frm, "to": to})


def customer_status_changed(ticket: Ticket, at: datetime, frm: str, to: str) -> TicketEvent:
    """The automatic reopen that a customer's message causes (logged as a system change)."""
    return _agent_event(ticket, at, None, EventType.STATUS_CHANGED, **{"from": frm, "to": to})


def agent_reply(ticket: Ticket, at: datetime, by: User, body: str) -> TicketEvent:
    event = _agent_event(ticket, at, by, EventType.PUBLIC_REPLY)
    event.body = body
    return event


def internal_note(ticket: Ticket, at: datetime, by: User, body: str) -> TicketEvent:
    event = _agent_event(ticket, at, by, EventType.INTERNAL_NOTE)
    event.body = body
    return event


def customer_reply(
    ticket: Ticket, at: datetime, customer: Customer, body: str, channel: str = ""
) -> TicketEvent:
    return TicketEvent(
        ticket=ticket,
        at=at,
        type=EventType.PUBLIC_REPLY,
        actor_role=ActorRole.CUSTOMER,
        customer=customer,
        body=body,
        data={"channel": channel} if channel else {},
    )


def system_reply(ticket: Ticket, at: datetime, body: str) -> TicketEvent:
    event = _agent_event(ticket, at, None, EventType.PUBLIC_REPLY)
    event.body = body
    return event


def assigned(
    ticket: Ticket, at: datetime, by: User | None, assignee_id: int | None, team_id: int | None
) -> TicketEvent:
    data: dict = {"assignee": assignee_id}
    if team_id is not None:
        data["team"] = team_id
    return _agent_event(ticket, at, by, EventType.ASSIGNED, **data)


def priority_changed(
    ticket: Ticket, at: datetime, by: User | None, frm: str, to: str
) -> TicketEvent:
    return _agent_event(ticket, at, by, EventType.PRIORITY_CHANGED, **{"from": frm, "to": to})


def escalated(ticket: Ticket, at: datetime, by: User | None, tier: int, reason: str) -> TicketEvent:
    return _agent_event(ticket, at, by, EventType.ESCALATED, tier=tier, reason=reason)


def tags_changed(
    ticket: Ticket, at: datetime, by: User | None, added: Iterable[str], removed: Iterable[str]
) -> TicketEvent:
    return _agent_event(
        ticket, at, by, EventType.TAGS_CHANGED, added=sorted(added), removed=sorted(removed)
    )


def category_changed(
    ticket: Ticket, at: datetime, by: User | None, frm: int | None, to: int | None
) -> TicketEvent:
    return _agent_event(ticket, at, by, EventType.CATEGORY_CHANGED, **{"from": frm, "to": to})


def checklist_ticked(
    ticket: Ticket, at: datetime, by: User, *, version_id: int, step: int, text: str, checked: bool
) -> TicketEvent:
    return _agent_event(
        ticket, at, by, EventType.CHECKLIST_TICKED,
        version=version_id, step=step, text=text, checked=checked,
    )  # fmt: skip


def macro_applied(
    ticket: Ticket, at: datetime, by: User, *, macro_id: int, title: str
) -> TicketEvent:
    return _agent_event(ticket, at, by, EventType.MACRO_APPLIED, macro=macro_id, title=title)


def merged_into(ticket: Ticket, at: datetime, by: User, into_id: int) -> TicketEvent:
    return _agent_event(ticket, at, by, EventType.MERGED_INTO, into=into_id)


def merged_from(ticket: Ticket, at: datetime, by: User, ids: Iterable[int]) -> TicketEvent:
    return _agent_event(ticket, at, by, EventType.MERGED_FROM, tickets=sorted(ids))


def linked(ticket: Ticket, at: datetime, by: User, *, other: int, label: str) -> TicketEvent:
    """``label`` reads from this ticket's side: "Parent of", "Child of", "Duplicate of"..."""
    return _agent_event(ticket, at, by, EventType.LINKED, other=other, label=label)


def unlinked(ticket: Ticket, at: datetime, by: User, *, other: int, label: str) -> TicketEvent:
    return _agent_event(ticket, at, by, EventType.UNLINKED, other=other, label=label)


def append(events: list[TicketEvent]) -> list[TicketEvent]:
    """Insert one action's events; insertion order is their ``seq`` order."""
    return TicketEvent.objects.bulk_create(events)
