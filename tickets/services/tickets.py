"""Ticket use cases. Each runs in one transaction: check scope, check the version, update the
row, append the action's events (one ``at``, §9.1 order), and signal the change on commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import cast

from django.contrib.auth.models import User
from django.db import transaction

from csops import permissions
from csops.errors import Conflict, InvalidInput, InvalidTransition
from csops.people import display_name
from policies.models import Category, Tag
from staffing.models import Team
from tickets import events
from tickets.attachments.services import FileLike, attach, check_files
from tickets.links.rules import ensure_children_done, resolve_merged
from tickets.models import (
    Channel,
    Customer,
    LinkKind,
    Priority,
    Status,
    Ticket,
    TicketEvent,
    TicketLink,
)
from tickets.models.policy_records import PolicyMoment
from tickets.models.tickets import PRIORITY_RANK
from tickets.routing import services as routing
from tickets.services import sla
from tickets.services.actions import (
    action_time,
    check_version,
    index_text,
    open_if_new,
    record,
    save_ticket,
    transition,
)
from tickets.services.policy_records import record_policy_versions

UNSET = object()  # "leave as is", where None is a meaningful value (unassign, no category)


def _validate_assignee(team_id: int, assignee: User | None) -> None:
    if assignee is None:
        return
    if not permissions.can_work_team(assignee, team_id):
        raise InvalidInput(
            f"{display_name(assignee)} does not work this team's queue.",
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
    follow_up_of: int | None = None,
    language: str = "",
) -> Ticket:
    """Open a ticket. ``by`` is the agent logging it (phone, walk-in, outbound) or None when a
    customer channel (email, web form, API integration) creates it. ``follow_up_of`` links a
    follow-up to the closed ticket it continues (in the ``created`` event, and a link both
    workspaces show: "Follow-up of" / "Followed up by")."""
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
    at = action_time()
    sla_versions = sla.versions_for_new_ticket(
        team_id=team.pk,
        channel=channel,
        priority=priority,
        organization_id=requester.organization_id,
        category_id=category.pk if category is not None else None,
        at=at,
    )
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
        **sla_versions,
    )
    tags = list(tags)
    if tags:
        ticket.tags.set(tags)
    record_policy_versions(ticket, PolicyMoment.CREATED, at, tag_ids=[t.pk for t in tags])
    log = [events.created(ticket, at, by=by, customer=requester, follow_up_of=follow_up_of)]
    if follow_up_of is not None:  # no event on the closed ticket: it is final
        TicketLink.objects.create(
            source=ticket, target_id=follow_up_of, kind=LinkKind.FOLLOW_UP, created_at=at
        )
    if by is not None and assignee is not None:
        log += open_if_new(ticket, at, by)
        Ticket.objects.filter(pk=ticket.pk).update(status=ticket.status)
    log += routing.on_create(ticket, at, language=language)  # required skills, assignment
    record(ticket, at, log)
    index_text(ticket.pk, f"{subject}\n{description}")
    return ticket


@transaction.atomic
def claim(ticket_id: int, *, by: User) -> Ticket:
    """Take an unassigned ticket. Concurrent claims serialise on the row lock: one wins."""
    ticket = permissions.access_ticket(by, ticket_id, for_update=True)
    if ticket.assignee_id == by.pk:
        return ticket
    if ticket.assignee_id is not None:
        raise Conflict(
            f"Ticket #{ticket.pk} is already claimed by {display_name(ticket.assignee)}."
        )
    if ticket.status == Status.CLOSED:
        raise InvalidTransition("A closed ticket cannot be claimed.")
    at = action_time(ticket)
    log = open_if_new(ticket, at, by)
    ticket.assignee = by
    log.append(events.assigned(ticket, at, by, by.pk, None))
    save_ticket(ticket, at, ["assignee", "status"])
    record(ticket, at, log)
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
    attachments: Sequence[FileLike] = (),
    confirm_open_children: bool = False,
) -> Ticket:
    """A public reply or an internal note, optionally with a status change ("send and set
    pending") and files (checked by ``tickets.attachments``; a public reply's email carries
    them). The message is logged before the status change (§9.1). Solving a parent whose
    children are open needs ``confirm_open_children``."""
    ticket = permissions.access_ticket(by, ticket_id, for_update=True)
    check_version(ticket, expected_version)
    ensure_children_done(ticket, new_status, confirmed=confirm_open_children)
    body = body.strip()
    if not body:
        raise InvalidInput("The message is empty.", fields={"body": ["Write a message."]})
    if ticket.status == Status.CLOSED:
        raise InvalidTransition("This ticket is closed; it cannot take new messages.")
    files = check_files(attachments)
    at = action_time(ticket)
    log = open_if_new(ticket, at, by)
    message = (events.agent_reply if public else events.internal_note)(ticket, at, by, body)
    log.append(message)
    if new_status:
        log += transition(ticket, at, by, new_status)
    save_ticket(ticket, at, ["status", "solved_at"])
    record(ticket, at, log)
    attach(message, files, by=by)  # before commit, so the outbox's sender finds them
    index_text(ticket.pk, body)
    return ticket


def _apply_keyword_rules(ticket_id: int, event_id: int, body: str) -> None:
    """Customer-keyword escalation rules, after the reply committed (issue 3)."""
    from tickets.services.escalation_rules import apply_rules  # it imports this module

    apply_rules(ticket_id, "customer_keyword", event_id=event_id, body=body)


@transaction.atomic
def customer_reply(
    ticket_id: int, *, customer: Customer, body: str, channel: str = Channel.EMAIL
) -> Ticket:
    """A message from the customer through a channel. On a closed ticket it opens an
    independent follow-up ticket (§9.23); on pending, on-hold or solved it reopens (§2). On a
    ticket merged into another it goes to the survivor (issue 15)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
    if ticket.merged_into_id is not None:
        ticket = Ticket.objects.select_for_update().get(pk=resolve_merged(ticket).pk)
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
            follow_up_of=ticket.pk,
        )
    at = action_time(ticket)
    log = [events.customer_reply(ticket, at, customer, body, channel)]
    if ticket.status in (Status.PENDING, Status.ON_HOLD, Status.SOLVED):
        frm = ticket.status
        ticket.status, ticket.solved_at = Status.OPEN, None
        log.append(events.customer_status_changed(ticket, at, frm, Status.OPEN))
    save_ticket(ticket, at, ["status", "solved_at"])
    record(ticket, at, log)
    index_text(ticket.pk, body)
    transaction.on_commit(partial(_apply_keyword_rules, ticket.pk, log[0].pk, body))
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
    confirm_open_children: bool = False,
) -> Ticket:
    """Edit properties in place. Only what differs is changed and logged, as one action.
    Solving a parent whose children are open needs ``confirm_open_children``."""
    ticket = permissions.access_ticket(by, ticket_id, for_update=True)
    check_version(ticket, expected_version)
    ensure_children_done(ticket, status, confirmed=confirm_open_children)
    if ticket.status == Status.CLOSED:
        raise InvalidTransition("A closed ticket is final and cannot be edited.")
    at = action_time(ticket)
    log: list[TicketEvent] = []
    changed: set[str] = set()

    new_team_id = team.pk if team is not None else ticket.team_id
    transfer = team is not None and team.pk != ticket.team_id and assignee is UNSET
    if assignee is UNSET:
        # The assignee row is read only for a transfer (a bulk priority change needs none).
        new_assignee = ticket.assignee if transfer else None
        new_assignee_id = ticket.assignee_id
    else:
        new_assignee = cast(User | None, assignee)
        new_assignee_id = new_assignee.pk if new_assignee is not None else None
    # A transfer keeps the assignee only if they also work the new team.
    if (
        transfer
        and new_assignee is not None
        and not permissions.can_work_team(new_assignee, new_team_id)
    ):
        new_assignee, new_assignee_id = None, None
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
        opening = open_if_new(ticket, at, by) if status != Status.OPEN else []
        log = opening + log + transition(ticket, at, by, status)
        changed |= {"status", "solved_at"}
    elif log:
        log = open_if_new(ticket, at, by) + log
        changed.add("status")
    if not log:
        return ticket
    save_ticket(ticket, at, changed)
    record(ticket, at, log)
    return ticket
