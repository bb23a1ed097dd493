"""Merge tickets into a survivor; link and unlink tickets. Each needs the right to edit every
ticket involved (``access_ticket`` with a row lock, taken in id order so two merges of
overlapping tickets cannot deadlock), checks versions when given, and logs on both sides."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from csops import permissions
from csops.errors import Conflict, InvalidInput, InvalidTransition
from tickets import events
from tickets.links.models import MANUAL_LINK_KINDS, REVERSE_LABEL, LinkKind, TicketLink
from tickets.models import Status, Ticket
from tickets.services.actions import action_time, check_version, record, save_ticket

MAX_MERGE = 50  # tickets merged in one go


def _lock(by: User, ids: Iterable[int]) -> dict[int, Ticket]:
    return {pk: permissions.access_ticket(by, pk, for_update=True) for pk in sorted(set(ids))}


def notice_text(merged: Ticket, survivor: Ticket) -> str:
    return (
        f"Your request #{merged.pk} ({merged.subject}) has been merged into request "
        f"#{survivor.pk} ({survivor.subject}), where the conversation continues. "
        "You can reply to this message as usual: your reply reaches us there."
    )


@transaction.atomic
def merge(
    ticket_ids: Iterable[int],
    *,
    into: int,
    by: User,
    expected_versions: dict[int, int] | None = None,
) -> Ticket:
    """Merge ``ticket_ids`` into ``into``. Each merged ticket tells its requester where the
    conversation continues (a public message through the outbox), logs ``merged_into`` and
    closes (not a solve); the survivor logs ``merged_from``. Tickets merged earlier into a
    merged ticket now point at the survivor."""
    ids = sorted(set(ticket_ids) - {into})
    if into in set(ticket_ids):
        raise InvalidInput(
            "A ticket cannot be merged into itself.", fields={"into": ["Pick another ticket."]}
        )
    if not ids:
        raise InvalidInput("Choose tickets to merge.", fields={"tickets": ["None chosen."]})
    if len(ids) > MAX_MERGE:
        raise InvalidInput(f"Merge at most {MAX_MERGE} tickets at once.")
    tickets = _lock(by, [*ids, into])
    survivor = tickets[into]
    versions = expected_versions or {}
    if survivor.status == Status.CLOSED:
        raise InvalidTransition(f"Ticket #{survivor.pk} is closed; merge into an open ticket.")
    for pk in ids:
        merged = tickets[pk]
        check_version(merged, versions.get(pk))
        if merged.status == Status.CLOSED:
            raise InvalidTransition(f"Ticket #{pk} is closed and cannot be merged.")
        at = action_time(merged)
        log = [
            events.system_reply(merged, at, notice_text(merged, survivor)),
            events.merged_into(merged, at, by, survivor.pk),
        ]
        merged.status, merged.solved_at, merged.merged_into = Status.CLOSED, None, survivor
        save_ticket(merged, at, ["status", "solved_at", "merged_into"])
        record(merged, at, log)
        Ticket.objects.filter(merged_into=merged).update(merged_into=survivor)
    check_version(survivor, versions.get(into))
    at = action_time(survivor)
    save_ticket(survivor, at, [])
    record(survivor, at, [events.merged_from(survivor, at, by, ids)])
    return survivor


def _existing(a: int, b: int) -> TicketLink | None:
    either_way = Q(source_id=a, target_id=b) | Q(source_id=b, target_id=a)
    return TicketLink.objects.filter(either_way).first()


@transaction.atomic
def link(ticket_id: int, *, other: int, kind: str, by: User) -> TicketLink:
    """Link two tickets: ``ticket_id`` is related to / a duplicate of / the parent of
    ``other``. Both tickets log ``linked`` with the link as it reads from their side."""
    if kind not in dict(MANUAL_LINK_KINDS):  # follow-ups are linked by customer_reply only
        raise InvalidInput("Unknown link type.", fields={"kind": ["Choose a link type."]})
    if ticket_id == other:
        raise InvalidInput(
            "A ticket cannot be linked to itself.", fields={"other": ["Pick another ticket."]}
        )
    tickets = _lock(by, [ticket_id, other])
    if _existing(ticket_id, other) is not None:
        raise Conflict(f"Tickets #{ticket_id} and #{other} are already linked.")
    source, target = tickets[ticket_id], tickets[other]
    at = max(action_time(source), action_time(target))
    created = TicketLink.objects.create(
        source=source, target=target, kind=kind, created_by=by, created_at=at
    )
    _log_both(created, source, target, at, by, events.linked)
    return created


@transaction.atomic
def unlink(link_id: int, *, by: User) -> None:
    found = TicketLink.objects.filter(pk=link_id).values_list("source_id", "target_id", "kind")
    row = found.first()
    if row is None:
        raise InvalidInput("That link no longer exists.")
    if row[2] == LinkKind.FOLLOW_UP:
        raise InvalidInput("A follow-up stays linked to the closed ticket it continues.")
    tickets = _lock(by, row[:2])
    existing = TicketLink.objects.select_for_update().filter(pk=link_id).first()
    if existing is None:
        raise InvalidInput("That link no longer exists.")
    source, target = tickets[existing.source_id], tickets[existing.target_id]
    at = max(action_time(source), action_time(target))
    _log_both(existing, source, target, at, by, events.unlinked)
    existing.delete()


def _log_both(found: TicketLink, source: Ticket, target: Ticket, at, by: User, builder) -> None:
    kind = LinkKind(found.kind)
    for ticket, other, label in (
        (source, target, kind.label),
        (target, source, REVERSE_LABEL[kind]),
    ):
        save_ticket(ticket, at, [])
        record(ticket, at, [builder(ticket, at, by, other=other.pk, label=label)])
