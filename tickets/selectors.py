"""Reads for the ticket screens, already scoped to the user."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import F, OrderBy, QuerySet

from csops import permissions
from csops.planner import joins_as_written
from tickets.history import HistoryLine, describe
from tickets.models import Ticket, TicketEvent
from tickets.models.events import EventType

QUEUE_PAGE_SIZE = 25
# The queue shows an exact total up to this many tickets and "1,000+" beyond: the count
# costs the same at a million tickets as at ten thousand.
COUNT_CAP = 1000
# The highest page whose OFFSET PostgreSQL takes (a bigint): ?page=9223372036854775807
# answered 500 "bigint out of range" (issue 13 §4).
MAX_PAGE = (2**63 - 1) // QUEUE_PAGE_SIZE


@dataclass(frozen=True)
class QueuePage:
    tickets: list[Ticket]
    number: int
    has_previous: bool
    has_next: bool
    total: int
    total_capped: bool

    @property
    def start_index(self) -> int:
        return (self.number - 1) * QUEUE_PAGE_SIZE + 1 if self.tickets else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * QUEUE_PAGE_SIZE + len(self.tickets)


def queue_page(qs: QuerySet, page: int, *, search: bool = False) -> QueuePage:
    """One page of a filtered queue, without an unbounded COUNT(*). A page past the end (a
    stale or hand-typed link) shows the last page.

    ``search``: the queue is narrowed by a full-text search, whose matches PostgreSQL finds
    through the GIN index for the whole set at once (no index gives them in queue order).
    Then one statement reads up to ``COUNT_CAP + 1`` matches with their sort keys, counts
    them and orders them for the page, instead of an ordered read and a capped count that
    each find every match again. With more matches than the cap it goes on as without."""
    page = min(max(page, 1), MAX_PAGE)
    offset = (page - 1) * QUEUE_PAGE_SIZE
    total: int | None = None
    ids: list[int] | None = None
    if search and connection.vendor == "postgresql":
        ids, total = _matches_page(qs, offset)
    if ids is None:
        # The page's ids first (an index-ordered scan), then joins and annotations for those
        # rows only, not for every row the OFFSET skips.
        ids = list(qs.values_list("pk", flat=True)[offset : offset + QUEUE_PAGE_SIZE + 1])
    if not ids and page > 1:
        return queue_page(qs, last_page(qs))
    by_pk = qs.select_related("requester", "assignee", "team").in_bulk(ids)
    rows = [by_pk[pk] for pk in ids if pk in by_pk]
    if total is None:
        total = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    return QueuePage(
        tickets=rows[:QUEUE_PAGE_SIZE],
        number=page,
        has_previous=page > 1,
        has_next=len(rows) > QUEUE_PAGE_SIZE,
        total=min(total, COUNT_CAP),
        total_capped=total > COUNT_CAP,
    )


def _sort_keys(qs: QuerySet) -> list[tuple[str, Any, str]]:
    """The queryset's ordering as (alias, expression, SQL direction) for an outer query."""
    keys: list[tuple[str, Any, str]] = []
    for i, item in enumerate(qs.query.order_by):
        alias = f"k{i}"
        if isinstance(item, str):
            name = item.removeprefix("-")
            keys.append((alias, F(name), "DESC" if item.startswith("-") else "ASC"))
        elif isinstance(item, OrderBy):
            direction = "DESC" if item.descending else "ASC"
            if item.nulls_first:
                direction += " NULLS FIRST"
            elif item.nulls_last:
                direction += " NULLS LAST"
            keys.append((alias, item.expression, direction))
        else:
            raise TypeError(f"Unexpected queue ordering {item!r}")
    return keys


def _matches_page(qs: QuerySet, offset: int) -> tuple[list[int] | None, int | None]:
    """(the page's ids plus one, how many matches up to the cap + 1); (None, cap + 1) when
    there are more matches than the cap (their order needs the whole ordered read); (None,
    None) when the page is empty (nothing matched, or a page past the end)."""
    keys = _sort_keys(qs)
    found = qs.order_by().values(m_pk=F("pk"), **{a: e for a, e, _ in keys})[: COUNT_CAP + 1]
    inner, params = found.query.sql_with_params()
    order = ", ".join(f"m.{a} {d}" for a, _, d in keys)
    sql = (
        f"SELECT m.m_pk, COUNT(*) OVER () FROM ({inner}) m "  # noqa: S608 - aliases only
        f"ORDER BY {order} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, QUEUE_PAGE_SIZE + 1, offset])
        rows = cursor.fetchall()
    if not rows:  # past the end, or nothing matched: the plain path decides
        return None, None
    total = rows[0][1]
    if total > COUNT_CAP:
        return None, total
    return [pk for pk, _ in rows], total


def last_page(qs: QuerySet) -> int:
    """The number of the queue's last page (a full count: only for a page past the end)."""
    return max(1, -(-qs.order_by().count() // QUEUE_PAGE_SIZE))


_MESSAGES = frozenset({"created", "public_reply", "internal_note"})


@dataclass(frozen=True)
class Timeline:
    conversation: list[TicketEvent]  # the opening message, replies and notes, oldest first
    history: list[HistoryLine]  # every event, in words
    last_event_id: int = 0  # the newest event shown: "what changed since" starts after it
    events: list[TicketEvent] = field(default_factory=list)  # the ticket's whole log, by pk


def timeline(ticket: Ticket, *, team_names: Mapping[int, str] | None = None) -> Timeline:
    """The workspace's conversation and history, from one read of the ticket's log
    (``team_names``: every team's name by id, if the caller has read the teams)."""
    events = list(
        ticket.events.select_related("actor", "customer", "outbound").prefetch_related(
            "attachments"
        )
    )
    # Messages of tickets merged into this one show in its conversation (issue 15). Every
    # merge logs ``merged_from`` on the survivor: without one there is nothing to read.
    merged = []
    if any(e.type == EventType.MERGED_FROM for e in events):
        merged = list(
            TicketEvent.objects.filter(ticket__merged_into=ticket, type__in=sorted(_MESSAGES))
            .select_related("actor", "customer", "outbound")
            .prefetch_related("attachments")
            .order_by("at", "pk")
        )
    conversation = [e for e in events if e.type in _MESSAGES]
    if merged:
        conversation = sorted(conversation + merged, key=lambda e: (e.at, e.pk))
    return Timeline(
        conversation,
        describe(events, team_names=team_names),
        events[-1].pk if events else 0,
        events,
    )


@dataclass(frozen=True)
class Change:
    line: HistoryLine
    body: str  # a reply's or note's text, empty for other changes


def changes_since(ticket: Ticket, seen_event_id: int, limit: int = 10) -> list[Change]:
    """What happened on the ticket after the event a person last saw (their page's newest),
    oldest first: who replied or changed what while they were writing."""
    events = list(
        ticket.events.filter(pk__gt=seen_event_id)
        .select_related("actor", "customer")
        .order_by("pk")[:limit]
    )
    return [Change(line, e.body) for line, e in zip(describe(events), events, strict=True)]


def workspace_ticket(user: User, pk: int) -> Ticket:
    """The ticket for the workspace page, if the user may see it (else NotFound, as
    ``access_ticket``), with what the page shows of it in the same query: the requester and
    their organization, assignee, team, category, SLA policy and calendar versions and routing
    row, then its tags and required skills. The search vector stays on disk."""
    qs = (
        Ticket.objects.select_related(
            "requester__organization",
            "assignee",
            "team",
            "category",
            "sla_policy_version__policy",
            "calendar_version__calendar",
            "routing",
        )
        .defer("search_vector")
        .prefetch_related("tags", "routing__required_skills")
    )
    with joins_as_written():  # ten joins, each by key: searching other orders costs more
        return permissions.one_in_scope(
            permissions.scope_tickets(user, qs),
            pk,
            lock=None,
            missing=f"Ticket #{pk} does not exist or is not in your teams.",
        )


def requester_other_tickets(user: User, ticket: Ticket, limit: int = 10) -> list[Ticket]:
    qs = (
        Ticket.objects.filter(requester_id=ticket.requester_id)
        .exclude(pk=ticket.pk)
        .defer("description", "search_vector")  # the panel shows number, subject, status
    )
    return list(permissions.scope_tickets(user, qs).order_by("-created_at")[:limit])
