"""One SLA clock: elapsed time, breach instant and audit trail of an instance (KPI_SPEC §5).

Used by ``policies.sla``; pure and in integer seconds. The instance's life is cut into
*pieces*: the replay segments inside ``[activated_at, ended_at)`` plus, while unfinished, a
tail ``[as_of, oo)`` in the state at ``as_of`` (the projection assumes no further events).
Within a piece the status and priority, hence the running flag and ``def(t)``, are constant.

``elapsed(t)`` is kept in both kinds of hours at each piece start, so the target's hours can
change with the priority. The breach instant is the earliest ``t`` at which the instance is
unfinished and ``elapsed(t) >= minutes(t)``: either a piece start (a priority change or a
reopen made it true: never back-dated, §5, §9.8) or the instant inside a running piece where
the target is reached (``add_business_seconds``, which may return the end of a business
interval). Each piece costs O(days it spans), never minute stepping.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from policies.business_time import DEFAULT_HORIZON_DAYS, Hours
from policies.replay import Replay, Segment
from policies.ticket_log import RESOLVED

if TYPE_CHECKING:
    from policies.sla import SlaTarget

ACTIVE = "active"
PAUSED = "paused"
START, PAUSE, RESUME, STOP, BREACH = "start", "pause", "resume", "stop", "breach"


@dataclass(frozen=True, slots=True)
class TrailEntry:
    """One line of a clock's audit trail, e.g. ``(t, "pause", "status pending")``."""

    at: datetime
    action: str  # start | pause | resume | stop | breach
    reason: str


@dataclass(frozen=True, slots=True)
class _Piece:
    start: datetime
    end: datetime | None  # None: the projection tail
    status: str
    priority: str | None


@dataclass(frozen=True)
class Clock:
    """The result of :func:`run_clock`."""

    elapsed: Mapping[bool, int]  # at min(as_of, end); key: business hours?
    breach_at: datetime | None  # projected past as_of when unfinished
    breach_target: SlaTarget | None  # def(breach_at)
    state_at_as_of: str  # active | paused (meaningful while unfinished)
    entries: tuple[TrailEntry, ...]  # without the breach
    breach_entry: TrailEntry | None
    hours: Mapping[bool, Hours]
    as_of: datetime
    last_event_at: datetime

    def trail(self, *, include_breach: bool) -> tuple[TrailEntry, ...]:
        """The audit trail in time order; a breach follows the other entries of its instant."""
        entries = list(self.entries)
        if include_breach and self.breach_entry is not None:
            entries.append(self.breach_entry)
        return tuple(sorted(entries, key=lambda e: (e.at, e.action == BREACH)))

    def first_reaching(self, target: SlaTarget, seconds: int) -> datetime | None:
        """Earliest ``t >= last event`` with ``elapsed(t) >= seconds`` in ``target``'s hours,
        assuming no further events (§9.21). Only for instances active at ``as_of``."""
        if self.state_at_as_of != ACTIVE:
            return None
        hours = self.hours[target.business]
        at_last = self.elapsed[target.business] - hours.business_seconds(
            self.last_event_at, self.as_of
        )
        if at_last >= seconds:
            return self.last_event_at
        return hours.add_business_seconds(
            self.last_event_at, seconds - at_last, horizon_days=DEFAULT_HORIZON_DAYS
        )


def run_clock(
    rep: Replay,
    *,
    activated_at: datetime,
    ended_at: datetime | None,
    running: frozenset[str],
    finishes_on_resolve: bool,
    targets: Mapping[str, SlaTarget],
    hours: Mapping[bool, Hours],
    start_reason: str,
    stop_reason: str | None,
) -> Clock:
    """Run one instance's clock over the replayed log.

    ``ended_at`` is the fulfilment/cancellation instant (None while open, and always None for
    requester_wait/agent_work, which instead have ``finishes_on_resolve``: finished while the
    status is resolved). ``hours[False]`` is calendar time; ``hours[True]`` the schedule, only
    needed when a target uses business hours.
    """
    acc = dict.fromkeys(hours, 0)
    entries = [TrailEntry(activated_at, START, start_reason)]
    breach_at: datetime | None = None
    breach_target: SlaTarget | None = None
    breach_reason = ""
    mode = RESUME
    prev: _Piece | None = None
    for piece in _pieces(rep, activated_at, ended_at):
        finished = finishes_on_resolve and piece.status in RESOLVED
        is_running = not finished and piece.status in running
        new_mode = STOP if finished else RESUME if is_running else PAUSE
        if new_mode != mode:
            reason = piece.status if finished else f"status {piece.status}"
            entries.append(TrailEntry(piece.start, new_mode, reason))
            mode = new_mode
        span: dict[bool, int] = {}
        if is_running and piece.end is not None:
            span = {b: h.business_seconds(piece.start, piece.end) for b, h in hours.items()}
        target = targets.get(piece.priority) if piece.priority is not None else None
        if breach_at is None and target is not None and not finished:
            missing = target.minutes * 60 - acc[target.business]
            if missing <= 0:
                breach_at, breach_reason = piece.start, _why(prev, piece, finishes_on_resolve)
            elif is_running:
                h = target.business
                breach_at = _reach(hours[h], piece, missing, span.get(h))
                breach_reason = "due"
            if breach_at is not None:
                breach_target = target
        for b, seconds in span.items():
            acc[b] += seconds
        prev = piece
    if ended_at is not None and stop_reason is not None:
        entries.append(TrailEntry(ended_at, STOP, stop_reason))
    tail_running = mode == RESUME and ended_at is None
    return Clock(
        elapsed=acc,
        breach_at=breach_at,
        breach_target=breach_target,
        state_at_as_of=ACTIVE if tail_running else PAUSED,
        entries=tuple(entries),
        breach_entry=TrailEntry(breach_at, BREACH, breach_reason) if breach_at else None,
        hours=hours,
        as_of=rep.as_of,
        last_event_at=rep.last_event_at or activated_at,
    )


def _pieces(rep: Replay, start: datetime, end: datetime | None) -> list[_Piece]:
    # ``rep.clip`` without its intermediate segments (one clock per instance, several per ticket)
    stop = rep.as_of if end is None else min(end, rep.as_of)
    segments = rep.segments
    pieces = []
    for i in range(max(bisect_right(segments, start, key=_start) - 1, 0), len(segments)):
        seg = segments[i]
        if seg.start >= stop:
            break
        a = seg.start if seg.start > start else start
        b = seg.end if seg.end < stop else stop
        if a < b:
            pieces.append(_Piece(a, b, seg.state.status, seg.state.priority))
    final = rep.final
    if end is None and final is not None:
        pieces.append(_Piece(max(rep.as_of, start), None, final.status, final.priority))
    return pieces


def _start(segment: Segment) -> datetime:
    return segment.start


def _reach(hours: Hours, piece: _Piece, missing: int, span: int | None) -> datetime | None:
    """The instant inside a running piece where ``missing`` more seconds have elapsed."""
    if piece.end is None:
        return hours.add_business_seconds(piece.start, missing, horizon_days=DEFAULT_HORIZON_DAYS)
    if span is None or span < missing:
        return None
    t = hours.add_business_seconds(
        piece.start, missing, horizon_days=(piece.end - piece.start).days + 1
    )
    # Reached exactly at the piece end: def(end) may differ, so the next piece decides.
    return t if t is not None and t < piece.end else None


def _why(prev: _Piece | None, piece: _Piece, finishes_on_resolve: bool) -> str:
    """Why the target is met at the start of ``piece``."""
    if prev is None:
        return "due"
    if finishes_on_resolve and prev.status in RESOLVED:
        return "reopen"
    if prev.priority != piece.priority:
        return f"priority {prev.priority or 'none'} -> {piece.priority or 'none'}"
    return "due"
