"""Replay of a ticket's log: the §2 / §9 state rules, applied once for every engine.

``replay(events, as_of)`` walks the log in ``seq`` order and returns a :class:`Replay`:

- ``steps``: every event from ``created`` up to ``as_of`` with the state just *before* it
  (for rules on "the state when an event happens", §9.2) and just after it;
- ``solves`` / ``reopens``: the derived events of §2 (``from`` read from the replayed state);
- ``segments``: half-open intervals ``[start, end)`` up to ``as_of`` with the state in force,
  i.e. after all events with ``at <= start`` (instant groups, §2);
- ``state_at(t)``: the state in force at ``t``; ``errors``: data errors found on the way.

The SLA engine (``policies.sla``) and the per-ticket metrics (``kpis.metrics``) build on it.

Rules applied (KPI_SPEC §2, §9.1, §9.2, §9.4, §9.9):

- events with ``at <= as_of`` are included, later ones ignored;
- a ``status_changed`` whose from- and to-category are equal (by the replayed state) is
  ignored; a change out of ``closed`` is ignored and recorded as a data error;
- solve = change to ``solved``, or to ``closed`` from an unresolved status; ``merged_into``
  closes the ticket without a solve (a merged-away ticket is not a resolution);
  reopen = change from ``solved`` to an unresolved status.

Decisions (where the spec is silent):

- Events are ordered by ``seq``. An event whose ``at`` is earlier than its predecessor's
  (forbidden by §9.2) is replayed at its predecessor's instant and recorded as an error.
- Events before the first ``created`` (or a log without one) are dropped with an error; a
  second ``created`` is a step that changes nothing, with an error.
- A ``status_changed`` whose ``from`` disagrees with the replayed state is still applied
  (``from`` comes from the replay) and recorded as an error. Unknown statuses or priorities
  are ignored with an error. ``assigned`` sets the team whenever the ``team`` key is present.
- ``state_at(t)`` for ``t > as_of`` assumes no further events; before creation it is None.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter

from policies.ticket_log import (
    AGENT,
    ASSIGNED,
    CREATED,
    CUSTOMER,
    MERGED_INTO,
    PRIORITIES,
    PRIORITY_CHANGED,
    PUBLIC_REPLY,
    RESOLVED,
    STATUS_CHANGED,
    STATUSES,
    UNRESOLVED,
    LogEvent,
)

SOLVED = "solved"
CLOSED = "closed"
_STATE_TYPES = frozenset(
    {CREATED, STATUS_CHANGED, PRIORITY_CHANGED, ASSIGNED, MERGED_INTO}
)  # see _apply


@dataclass(frozen=True, slots=True)
class TicketState:
    """What the engines need of a ticket at one instant."""

    status: str
    priority: str | None
    assignee: int | None
    team: int | None


@dataclass(frozen=True, slots=True)
class Step:
    """One replayed event. ``at`` is the instant it is replayed at (see Decisions).

    ``applied`` is False when the event was ignored (same-category status change, change out
    of ``closed``, invalid value, duplicate ``created``); ``before`` is None only for the
    ``created`` step.
    """

    event: LogEvent
    at: datetime
    before: TicketState | None
    after: TicketState
    applied: bool = True
    solve: bool = False
    reopen: bool = False


@dataclass(frozen=True, slots=True)
class Segment:
    """The state in force during ``[start, end)``."""

    start: datetime
    end: datetime
    state: TicketState


@dataclass(frozen=True, slots=True)
class DataError:
    """An inconsistency in the log; the engine goes on with the rule in the module docstring."""

    seq: int
    at: datetime
    code: str
    detail: str


@dataclass(frozen=True)
class Replay:
    """Result of :func:`replay`. Build it with :func:`replay`, not directly."""

    as_of: datetime
    created: LogEvent | None
    steps: tuple[Step, ...]
    segments: tuple[Segment, ...]
    solves: tuple[Step, ...]
    reopens: tuple[Step, ...]
    errors: tuple[DataError, ...]
    _times: tuple[datetime, ...] = field(repr=False)  # instants where the state changes
    _states: tuple[TicketState, ...] = field(repr=False)  # state from _times[i] on

    @property
    def initiated_by(self) -> str | None:
        """``customer`` (inbound) or ``agent`` (outbound); None without a ``created``."""
        if self.created is None:
            return None
        return _initiated_by(self.created)

    @property
    def outbound(self) -> bool:
        return self.initiated_by == AGENT

    @property
    def final(self) -> TicketState | None:
        """The state at ``as_of`` (None without a ``created``)."""
        return self._states[-1] if self._states else None

    @property
    def resolved(self) -> bool:
        """True iff the status at ``as_of`` is solved or closed."""
        return self.final is not None and self.final.status in RESOLVED

    @property
    def last_solve(self) -> Step | None:
        """The last solve, only while the ticket is resolved at ``as_of`` (§9.11)."""
        return self.solves[-1] if self.resolved and self.solves else None

    @property
    def last_event_at(self) -> datetime | None:
        return self.steps[-1].at if self.steps else None

    def state_at(self, t: datetime) -> TicketState | None:
        """The state after all events with ``at <= t`` (None before creation)."""
        i = bisect_right(self._times, t) - 1
        return self._states[i] if i >= 0 else None

    def clip(self, start: datetime, end: datetime | None = None) -> list[Segment]:
        """The segments intersected with ``[start, min(end, as_of))``."""
        stop = self.as_of if end is None else min(end, self.as_of)
        out: list[Segment] = []
        i = max(bisect_right(self.segments, start, key=lambda s: s.start) - 1, 0)
        for seg in self.segments[i:]:
            if seg.start >= stop:
                break
            a, b = max(seg.start, start), min(seg.end, stop)
            if a < b:
                out.append(Segment(a, b, seg.state))
        return out


def is_agent_reply(event: LogEvent) -> bool:
    """§2: a public reply by an agent (system replies and notes are neither)."""
    return event.type == PUBLIC_REPLY and event.actor_role == AGENT


def is_customer_reply(event: LogEvent) -> bool:
    """§2: a public reply by the requester or a CC."""
    return event.type == PUBLIC_REPLY and event.actor_role == CUSTOMER


def replay(events: Iterable[LogEvent], as_of: datetime) -> Replay:
    """Replay ``events`` (any order; sorted by ``seq``) up to and including ``as_of``."""
    steps: list[Step] = []
    errors: list[DataError] = []
    created: LogEvent | None = None
    state: TicketState | None = None
    last_at: datetime | None = None
    for ev in sorted(events, key=_seq):
        at = ev.at
        if last_at is not None and at < last_at:
            errors.append(DataError(ev.seq, ev.at, "at_decreasing", f"replayed at {last_at}"))
            at = last_at
        if at > as_of:
            break
        last_at = at
        if state is None:
            if ev.type != CREATED:
                errors.append(DataError(ev.seq, at, "before_created", f"{ev.type} ignored"))
                continue
            created, state = ev, _initial_state(ev, errors)
            steps.append(Step(ev, at, None, state))
            continue
        if ev.type in _STATE_TYPES:
            step = _apply(ev, at, state, errors)
            steps.append(step)
            state = step.after
        else:  # replies, notes, escalations, unknown types: a step that changes nothing
            steps.append(Step(ev, at, state, state))
    times, states = _changes(steps)
    return Replay(
        as_of=as_of,
        created=created,
        steps=tuple(steps),
        segments=_segments(times, states, as_of),
        solves=tuple(s for s in steps if s.solve),
        reopens=tuple(s for s in steps if s.reopen),
        errors=tuple(errors),
        _times=times,
        _states=states,
    )


_seq = attrgetter("seq")


def _initiated_by(created: LogEvent) -> str:
    return AGENT if created.data.get("initiated_by") == AGENT else CUSTOMER


def _initial_state(ev: LogEvent, errors: list[DataError]) -> TicketState:
    priority = ev.data.get("priority")
    if priority is not None and priority not in PRIORITIES:
        errors.append(DataError(ev.seq, ev.at, "unknown_priority", f"{priority!r} read as none"))
        priority = None
    if ev.data.get("initiated_by", CUSTOMER) not in (CUSTOMER, AGENT):
        errors.append(DataError(ev.seq, ev.at, "unknown_initiator", "read as customer"))
    return TicketState("new", priority, ev.data.get("assignee"), ev.data.get("team"))


def _apply(ev: LogEvent, at: datetime, state: TicketState, errors: list[DataError]) -> Step:
    def ignored(code: str, detail: str) -> Step:
        errors.append(DataError(ev.seq, at, code, detail))
        return Step(ev, at, state, state, applied=False)

    if ev.type == CREATED:
        return ignored("duplicate_created", "second created ignored")
    if ev.type == STATUS_CHANGED:
        to, old = ev.data.get("to"), state.status
        if to not in STATUSES:
            return ignored("unknown_status", f"to {to!r} ignored")
        if "from" in ev.data and ev.data["from"] != old:
            errors.append(
                DataError(ev.seq, at, "from_mismatch", f"from {ev.data['from']!r}, replay {old}")
            )
        if to == old:  # same category (§9.9): ignored, not an error
            return Step(ev, at, state, state, applied=False)
        if old == CLOSED:
            return ignored("change_out_of_closed", f"closed -> {to} ignored")
        solve = to == SOLVED or (to == CLOSED and old in UNRESOLVED)
        reopen = old == SOLVED and to in UNRESOLVED
        after = TicketState(to, state.priority, state.assignee, state.team)
        return Step(ev, at, state, after, solve=solve, reopen=reopen)
    if ev.type == MERGED_INTO:  # closes the ticket; neither a solve nor a reopen
        if state.status == CLOSED:
            return ignored("merge_of_closed", "merged_into on a closed ticket ignored")
        return Step(ev, at, state, TicketState(CLOSED, state.priority, state.assignee, state.team))
    if ev.type == PRIORITY_CHANGED:
        to = ev.data.get("to")
        if to is not None and to not in PRIORITIES:
            return ignored("unknown_priority", f"to {to!r} ignored")
        return Step(ev, at, state, TicketState(state.status, to, state.assignee, state.team))
    if ev.type == ASSIGNED:
        data = ev.data
        team = data.get("team", state.team)
        return Step(
            ev, at, state, TicketState(state.status, state.priority, data.get("assignee"), team)
        )
    return Step(ev, at, state, state)


def _changes(steps: list[Step]) -> tuple[tuple[datetime, ...], tuple[TicketState, ...]]:
    """Instants where the state in force changes, with the state from then on."""
    times: list[datetime] = []
    states: list[TicketState] = []
    last = len(steps) - 1
    for i, step in enumerate(steps):
        if i < last and steps[i + 1].at == step.at:
            continue  # only the state after the whole instant group is ever in force
        after = step.after
        if states and (states[-1] is after or states[-1] == after):
            continue
        times.append(step.at)
        states.append(after)
    return tuple(times), tuple(states)


def _segments(
    times: tuple[datetime, ...], states: tuple[TicketState, ...], as_of: datetime
) -> tuple[Segment, ...]:
    ends = (*times[1:], as_of) if times else ()
    return tuple(
        Segment(start, end, st)
        for start, end, st in zip(times, ends, states, strict=True)
        if start < end
    )


__all__ = [
    "DataError",
    "Replay",
    "Segment",
    "Step",
    "TicketState",
    "is_agent_reply",
    "is_customer_reply",
    "replay",
]
