"""The SLA engine: a ticket's log + SLA policy + schedule -> measured instances (KPI_SPEC §5).

``evaluate(events, policy, schedule, as_of)`` replays the log once (``policies.replay``),
activates and ends the instances of the five target metrics following the §5 table, then runs
each clock (``policies.sla_clock``) to get elapsed time, due time, outcome, state, at-risk and
the audit trail. Pure: standard library only, integer seconds (§9.18), cost O(events x days).

Activation (§5 table, §9.10, §9.12):

- ``first_reply`` (at most one): inbound at creation; outbound at the first customer reply.
- ``next_reply``: a customer reply once ``first_reply`` has ended, if none is open.
- ``periodic_update``: the outbound creation message; each agent reply while unresolved (it
  fulfils the open one and starts the next); each reopen once the ticket had an agent update.
- ``requester_wait`` / ``agent_work``: exactly one each, at creation; finished while the
  ticket is resolved (``ended_at`` = last solve), unfinished again after a reopen.
- An agent reply while resolved activates and fulfils nothing; a solve cancels the open
  ``first_reply``, ``next_reply`` and ``periodic_update``. Instances ended at their activation
  instant are discarded (§9.7).

Decisions (where the spec is silent):

- A customer reply while ``closed`` (a follow-up ticket, §9.23) activates nothing here.
- "Had an agent update" (reopen rule) counts only updates the SLA saw: the outbound creation
  message and agent replies made while unresolved (§9.12).
- ``index`` numbers the non-discarded instances of a metric from 1 in activation order,
  targeted or not, so it is stable for breach records (§9.20).
- Reported target: for a breached instance, ``def`` at its breach instant (where §4 attributes
  it); otherwise ``def`` at the end (finished) or at ``as_of`` (unfinished). An instance is
  reported iff it is breached or that target exists. ``elapsed_seconds`` is counted in the
  hours of the reported target.
- A ``due_at`` reached while finished is deferred to the next reopen *if the target is still
  met then* (a later change while solved can undo it).
- ``at_risk_at`` is set only for active, in-progress instances; at-risk holds from the first
  whole second with ``elapsed >= ceil(minutes x 60 x (1 - fraction))``.
- Trail reasons: start "created" / "customer reply" / "agent reply" / "outbound creation
  message" / "reopen"; pause and resume "status <name>"; stop "agent reply" / "solved" /
  "closed"; breach "due" / "priority <a> -> <b>" / "reopen" (priority None reads "none").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from policies.business_time import CALENDAR_HOURS, Hours
from policies.replay import CLOSED, Replay, is_agent_reply, is_customer_reply, replay
from policies.sla_clock import ACTIVE, Clock, TrailEntry, run_clock
from policies.ticket_log import CREATED, PRIORITIES, RESOLVED, UNRESOLVED, LogEvent

FIRST_REPLY = "first_reply"
NEXT_REPLY = "next_reply"
PERIODIC_UPDATE = "periodic_update"
REQUESTER_WAIT = "requester_wait"
AGENT_WORK = "agent_work"
METRICS = (FIRST_REPLY, NEXT_REPLY, PERIODIC_UPDATE, REQUESTER_WAIT, AGENT_WORK)
REPLY_METRICS = (FIRST_REPLY, NEXT_REPLY, PERIODIC_UPDATE)  # cancelled by a solve
RESOLUTION_METRICS = frozenset({REQUESTER_WAIT, AGENT_WORK})  # finished while resolved

RUNNING: Mapping[str, frozenset[str]] = {
    FIRST_REPLY: UNRESOLVED,
    NEXT_REPLY: UNRESOLVED,
    PERIODIC_UPDATE: UNRESOLVED,
    REQUESTER_WAIT: frozenset({"new", "open", "on_hold"}),
    AGENT_WORK: frozenset({"new", "open"}),
}

FULFILLED = "fulfilled"
CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class SlaTarget:
    """``minutes`` (>= 1) counted in business or calendar hours."""

    minutes: int
    business: bool

    def __post_init__(self) -> None:
        if self.minutes < 1:
            raise ValueError(f"target minutes must be >= 1, not {self.minutes}")


@dataclass(frozen=True)
class SlaPolicy:
    """One policy version: ``targets[priority][metric]``; a missing entry is "not measured"."""

    id: int | None
    version: int | None
    at_risk_fraction: float | Decimal = 0.25
    targets: Mapping[str, Mapping[str, SlaTarget]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0 <= self.at_risk_fraction <= 1:
            raise ValueError(f"at_risk_fraction must be in [0, 1], not {self.at_risk_fraction}")
        for priority, by_metric in self.targets.items():
            if priority not in PRIORITIES:
                raise ValueError(f"unknown priority {priority!r}")
            unknown = set(by_metric) - set(METRICS)
            if unknown:
                raise ValueError(f"unknown SLA metrics {sorted(unknown)}")

    def targets_for(self, metric: str) -> dict[str, SlaTarget]:
        """``{priority: target}`` for one metric."""
        return {p: m[metric] for p, m in self.targets.items() if metric in m}


@dataclass(frozen=True, slots=True)
class SlaInstance:
    """One reported measured wait, evaluated at ``as_of``."""

    metric: str
    index: int  # nth non-discarded instance of the metric, from 1
    activated_at: datetime
    ended_at: datetime | None  # fulfilment/cancellation; requester_wait/agent_work: last solve
    end_reason: str | None  # "fulfilled" | "cancelled" | None
    target_minutes: int
    business: bool
    elapsed_seconds: int  # at min(as_of, ended_at), in the target's hours
    due_at: datetime | None  # breach instant if breached; projection if unfinished
    breached_at: datetime | None
    outcome: str  # "achieved" | "breached" | "cancelled" | "in_progress"
    state: str  # "fulfilled" | "cancelled" | "active" | "paused"
    at_risk: bool
    at_risk_at: datetime | None
    trail: tuple[TrailEntry, ...]


@dataclass(slots=True)
class _Track:
    """An instance while the log is walked."""

    metric: str
    activated_at: datetime
    start_reason: str
    ended_at: datetime | None = None
    end_reason: str | None = None
    stop_reason: str | None = None

    def end(self, at: datetime, reason: str, stop_reason: str) -> None:
        self.ended_at, self.end_reason, self.stop_reason = at, reason, stop_reason


def evaluate(
    events: Sequence[LogEvent],
    policy: SlaPolicy | None,
    schedule: Hours | None,
    as_of: datetime,
) -> list[SlaInstance]:
    """The reported SLA instances of one ticket at ``as_of``, in activation order.

    ``schedule`` is the ticket's ``policies.business_time.Schedule`` version; it may be None
    when no target uses business hours.
    """
    if policy is None or not policy.targets:
        return []
    return evaluate_replay(replay(events, as_of), policy, schedule)


def evaluate_replay(
    rep: Replay, policy: SlaPolicy, schedule: Hours | None, *, outcomes_only: bool = False
) -> list[SlaInstance]:
    """:func:`evaluate` on a log already replayed (at ``rep.as_of``), for callers that also
    compute other metrics from the same :class:`~policies.replay.Replay`. ``outcomes_only``
    leaves out the audit trail (``trail=()``) and the at-risk projection (``at_risk_at=None``),
    for callers that store neither (the KPI engine)."""
    fraction = _fraction(policy.at_risk_fraction)
    out: list[SlaInstance] = []
    counters = dict.fromkeys(METRICS, 0)
    for track in _tracks(rep):
        if track.ended_at == track.activated_at:
            continue  # zero length (§9.7)
        counters[track.metric] += 1
        targets = policy.targets_for(track.metric)
        if not targets:
            continue
        hours: dict[bool, Hours] = {False: CALENDAR_HOURS}
        if any(t.business for t in targets.values()):
            if schedule is None:
                raise ValueError(f"{track.metric} has business-hours targets but no schedule")
            hours[True] = schedule
        clock = run_clock(
            rep,
            activated_at=track.activated_at,
            ended_at=None if track.metric in RESOLUTION_METRICS else track.ended_at,
            running=RUNNING[track.metric],
            finishes_on_resolve=track.metric in RESOLUTION_METRICS,
            targets=targets,
            hours=hours,
            start_reason=track.start_reason,
            stop_reason=track.stop_reason,
        )
        instance = _report(
            track, counters[track.metric], clock, rep, targets, fraction, outcomes_only
        )
        if instance is not None:
            out.append(instance)
    return out


def next_due(instances: Sequence[SlaInstance]) -> datetime | None:
    """The earliest ``due_at`` among active, unbreached instances (the queue's column)."""
    dues = [
        i.due_at
        for i in instances
        if i.state == ACTIVE and i.outcome == "in_progress" and i.due_at is not None
    ]
    return min(dues, default=None)


def _tracks(rep: Replay) -> list[_Track]:
    """Activate and end instances along the log (§5 table), in activation order."""
    tracks: list[_Track] = []
    open_: dict[str, _Track] = {}
    first_reply: _Track | None = None
    had_update = False

    def start(metric: str, at: datetime, reason: str) -> _Track:
        track = _Track(metric, at, reason)
        tracks.append(track)
        if metric in REPLY_METRICS:
            open_[metric] = track
        return track

    for step in rep.steps:
        ev, at = step.event, step.at
        if step.before is None:  # the created step
            if rep.outbound:
                start(PERIODIC_UPDATE, at, "outbound creation message")
                had_update = True
            else:
                first_reply = start(FIRST_REPLY, at, "created")
            start(REQUESTER_WAIT, at, "created")
            start(AGENT_WORK, at, "created")
            continue
        if not step.applied or ev.type == CREATED:
            continue
        status = step.before.status
        if is_customer_reply(ev) and status != CLOSED:
            if first_reply is None:
                first_reply = start(FIRST_REPLY, at, "customer reply")
            elif first_reply.ended_at is not None and NEXT_REPLY not in open_:
                start(NEXT_REPLY, at, "customer reply")
        elif is_agent_reply(ev) and status not in RESOLVED:
            for metric in REPLY_METRICS:
                if metric in open_:
                    open_.pop(metric).end(at, FULFILLED, "agent reply")
            start(PERIODIC_UPDATE, at, "agent reply")
            had_update = True
        elif step.solve:
            for metric in REPLY_METRICS:
                if metric in open_:
                    open_.pop(metric).end(at, CANCELLED, step.after.status)
        elif step.reopen and had_update and PERIODIC_UPDATE not in open_:
            start(PERIODIC_UPDATE, at, "reopen")
    last_solve = rep.last_solve
    if last_solve is not None:
        for track in tracks:
            if track.metric in RESOLUTION_METRICS:
                track.end(last_solve.at, FULFILLED, last_solve.after.status)
    return tracks


def _report(
    track: _Track,
    index: int,
    clock: Clock,
    rep: Replay,
    targets: Mapping[str, SlaTarget],
    fraction: Fraction,
    outcomes_only: bool = False,
) -> SlaInstance | None:
    """Apply the §5 outcome, state, due and at-risk rules to one clock."""
    end = track.ended_at
    ref_state = rep.state_at(end if end is not None else rep.as_of)
    target = targets.get(ref_state.priority) if ref_state and ref_state.priority else None
    if end is not None:
        breached = clock.breach_at is not None and clock.breach_at < end
        achieved = "achieved" if track.end_reason == FULFILLED else "cancelled"
        outcome = "breached" if breached else achieved
        state = track.end_reason or FULFILLED
    else:
        breached = clock.breach_at is not None and clock.breach_at < rep.as_of
        outcome = "breached" if breached else "in_progress"
        state = clock.state_at_as_of
    if breached:
        target = clock.breach_target  # attributed at its breach instant (§4, §9.14)
    if target is None:
        return None  # tracked only: no target and not breached (§9.8)
    elapsed = clock.elapsed[target.business]
    # Breached: the breach instant. Unfinished: the projection (None while paused, not reached).
    due_at = clock.breach_at if breached or end is None else None
    at_risk, at_risk_at = False, None
    if state == ACTIVE and outcome == "in_progress":
        need = target.minutes * 60 * (1 - fraction)
        at_risk = elapsed >= need
        if not outcomes_only:
            at_risk_at = clock.first_reaching(target, math.ceil(need))
    return SlaInstance(
        metric=track.metric,
        index=index,
        activated_at=track.activated_at,
        ended_at=end,
        end_reason=track.end_reason,
        target_minutes=target.minutes,
        business=target.business,
        elapsed_seconds=elapsed,
        due_at=due_at,
        breached_at=clock.breach_at if breached else None,
        outcome=outcome,
        state=state,
        at_risk=at_risk,
        at_risk_at=at_risk_at,
        trail=() if outcomes_only else clock.trail(include_breach=breached),
    )


def _fraction(value: float | Decimal) -> Fraction:
    # Floats go through their shortest repr so 0.1 means one tenth, not its binary neighbour.
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


__all__ = [
    "METRICS",
    "SlaInstance",
    "SlaPolicy",
    "SlaTarget",
    "TrailEntry",
    "evaluate",
    "evaluate_replay",
    "next_due",
]
