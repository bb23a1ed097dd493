"""Backlog spans of one ticket and the reporting days they count in (KPI_SPEC.md §6, §9.15).

Pure (no database). A :class:`BacklogSpan` is a maximal interval ``[start, end)`` during which
the ticket is unresolved with the same actionable flag (new/open), team, agent and priority,
from a ``policies.replay.Replay`` at the ticket's latest event: ``end`` is None while it is
still unresolved then (no further events assumed).

The daily backlog of day D counts tickets whose status just before ``X`` = the start of D+1
is unresolved (§9.15), with the team, agent and priority in force then. A span counts on D iff
``start < X <= end`` (or ``end`` None): :func:`covered_days` gives that run of days as
``(first_day, last_day)``, ``last_day`` None for an open span.

Because the log only grows and ``at`` never goes back (§9.2), a day that has ended keeps its
backlog: later events only close the open span at an instant after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from policies.replay import Replay, TicketState
from policies.ticket_log import UNRESOLVED

ACTIONABLE = frozenset({"new", "open"})
NO_PRIORITY = "none"  # as kpis.metrics (§9.25)


@dataclass(frozen=True, slots=True)
class BacklogSpan:
    start: datetime
    end: datetime | None
    actionable: bool
    team: int | None
    agent: int | None
    priority: str


def _key(state: TicketState) -> tuple[bool, int | None, int | None, str] | None:
    if state.status not in UNRESOLVED:
        return None
    return (state.status in ACTIONABLE, state.team, state.assignee, state.priority or NO_PRIORITY)


def backlog_spans(rep: Replay) -> list[BacklogSpan]:
    """The ticket's spans in the backlog, oldest first."""
    spans: list[BacklogSpan] = []
    current: tuple | None = None
    since: datetime | None = None
    for seg in rep.segments:
        key = _key(seg.state)
        if key == current:
            continue
        if current is not None and since is not None:
            spans.append(BacklogSpan(since, seg.start, *current))
        current, since = key, seg.start
    final = rep.final
    if final is not None:
        key = _key(final)
        last = rep.last_event_at
        if key != current and last is not None:  # the state after the latest instant
            if current is not None and since is not None:
                spans.append(BacklogSpan(since, last, *current))
            current, since = key, last
    if current is not None and since is not None:
        spans.append(BacklogSpan(since, None, *current))
    return spans


def covered_days(
    span: BacklogSpan, day_of: Callable[[datetime], date]
) -> tuple[date, date | None] | None:
    """``(first_day, last_day)`` of the days D whose backlog instant X = start of D+1 lies in
    ``(start, end]``; None when there is none. ``day_of`` maps an instant to its reporting day
    (X is the first instant of its day, so ``X <= end`` iff ``day_of(end) >= D + 1``)."""
    first = day_of(span.start)
    if span.end is None:
        return first, None
    last = day_of(span.end) - timedelta(days=1)
    return (first, last) if last >= first else None
