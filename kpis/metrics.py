"""Per-ticket metrics (KPI_SPEC.md §4, §9): a pure function of the log, policy, schedule, as_of.

Input of :func:`compute`:

- ``events``: the ticket's ``policies.ticket_log.LogEvent`` entries (any order; replayed by
  ``seq``; those with ``at > as_of`` are ignored). The first must be ``created``.
- ``sla_policy``: the ``policies.sla.SlaPolicy`` version recorded at creation, or None
  (then ``sla`` is empty).
- ``schedule``: the ticket's ``policies.business_time.Schedule`` version (typed as that
  module's ``Hours``, so ``CALENDAR_HOURS`` also works: business = calendar).
- ``as_of``: an aware datetime.

Output: a frozen :class:`TicketMetrics`. Durations are :class:`Duration` (integer calendar and
business seconds, ``*_minutes`` = seconds / 60 as floats, §1/§9.18), ``None`` when §4 says
null. Each value carries an :class:`Attribution` (instant, agent, team, priority in force
after all events at that instant, §9.14): ``created``, ``first_reply_attribution``,
``first_resolution_attribution`` and ``resolution_attribution`` (the last solve: for
``full_resolution``, the status-time metrics, counts and flags; None while unresolved,
§9.11). ``sla`` holds the ``policies.sla.SlaInstance`` list with the attribution of each
outcome (achieved: its end; breached: its breach instant; else None). ``backlog`` holds the
ticket's spans in the backlog (``kpis.backlog``). The reporting day is left to the caller (it
needs the reporting zone).

State, solves and reopens come from one ``policies.replay.replay``; the SLA instances from
``policies.sla.evaluate_replay`` on that same replay (``policies.sla.evaluate`` without the
second replay; the only SLA engine), outcomes only: the instances carry no audit trail and no
``at_risk_at`` (the KPI rows store neither; ``tickets.services.sla`` evaluates those).

Decisions (where the spec is silent):
- Agent or team null at the instant -> ``UNASSIGNED`` ("unassigned"); priority null -> "none"
  (§9.25). A reply author without an id is also ``UNASSIGNED``.
- Outbound ``first_reply``: "after it" follows log order (``seq``), so an agent reply later in
  the same instant counts with duration 0.
- ``customer_followups`` counts every customer ``public_reply`` (§9.3), on outbound tickets
  too (there fcr is null anyway).
- Counts are running values at ``as_of`` whether resolved or not; only their attribution
  waits for a solve (aggregates use resolved tickets only, §9.11).
- A log without ``created`` up to ``as_of`` raises ValueError: there is no ticket yet.
- A ticket merged into another (a ``merged_into`` event, tickets/links/README.md) leaves the
  reply and resolution metrics, as Zendesk's merged tickets do: it is not resolved, its
  first_reply, resolution durations, touch flags, fcr and SLA outcomes are null/empty, so no
  aggregate counts it there. It still counts as created, and in the backlog until the merge
  (the merge closes it, which is not a solve).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from kpis.backlog import BacklogSpan, backlog_spans
from policies.business_time import DEFAULT_HORIZON_DAYS, CalendarHours, Hours
from policies.replay import (
    DataError,
    Replay,
    Step,
    TicketState,
    is_agent_reply,
    is_customer_reply,
    replay,
)
from policies.sla import SlaInstance, SlaPolicy, evaluate_replay
from policies.ticket_log import AGENT, CUSTOMER, ESCALATED, MERGED_INTO, PUBLIC_REPLY, LogEvent

UNASSIGNED = "unassigned"
NO_PRIORITY = "none"

REQUESTER_WAIT_STATUSES = frozenset({"new", "open", "on_hold"})
AGENT_WORK_STATUSES = frozenset({"new", "open"})
AGENT_WAIT_STATUSES = frozenset({"pending"})
ON_HOLD_STATUSES = frozenset({"on_hold"})

DURATIONS = (
    "first_reply",
    "first_resolution",
    "full_resolution",
    "requester_wait",
    "agent_work",
    "agent_wait",
    "on_hold",
)
_SECOND = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class Duration:
    """One duration in integer seconds, calendar and business (inside the schedule)."""

    calendar_seconds: int
    business_seconds: int

    @property
    def calendar_minutes(self) -> float:
        return self.calendar_seconds / 60

    @property
    def business_minutes(self) -> float:
        return self.business_seconds / 60


@dataclass(frozen=True, slots=True)
class Attribution:
    """Where a value is counted: its instant, agent, team and priority (§4)."""

    at: datetime
    agent: int | str  # user id or UNASSIGNED
    team: int | str  # team id or UNASSIGNED
    priority: str  # a priority name or NO_PRIORITY


@dataclass(frozen=True, slots=True)
class SlaOutcome:
    """An SLA instance and where its outcome counts (None unless achieved or breached)."""

    instance: SlaInstance
    attribution: Attribution | None


@dataclass(frozen=True, slots=True)
class TicketMetrics:
    """Everything §4 defines for one ticket at ``as_of``."""

    as_of: datetime
    last_event_at: datetime  # a stored row is the result at this instant (§9.4)
    channel: str | None
    inbound: bool
    resolved: bool
    first_reply: Duration | None
    first_resolution: Duration | None
    full_resolution: Duration | None
    requester_wait: Duration
    agent_work: Duration
    agent_wait: Duration
    on_hold: Duration
    reopens: int
    agent_replies: int
    customer_followups: int
    escalations: int
    assignee_stations: int
    group_stations: int
    zero_touch: bool | None
    one_touch: bool | None
    two_touch: bool | None
    fcr: bool | None
    created: Attribution
    first_reply_attribution: Attribution | None
    first_resolution_attribution: Attribution | None
    resolution_attribution: Attribution | None
    sla: tuple[SlaOutcome, ...]
    errors: tuple[DataError, ...]
    final: TicketState | None = None  # status, priority, assignee, team at ``as_of``
    backlog: tuple[BacklogSpan, ...] = ()  # unresolved spans (kpis.backlog, §9.15)
    merged: bool = False  # merged into another ticket: out of reply and resolution metrics


def compute(
    events: Iterable[LogEvent],
    *,
    sla_policy: SlaPolicy | None,
    schedule: Hours,
    as_of: datetime,
) -> TicketMetrics:
    """The ticket's metrics at ``as_of`` (see the module docstring for types and rules)."""
    rep = replay(events, as_of)
    if not isinstance(schedule, CalendarHours):
        schedule = _RememberedHours(schedule)  # the SLA clocks re-measure the same segments
    if rep.created is None or rep.last_event_at is None:
        raise ValueError(f"the log has no created event at or before {as_of.isoformat()}")
    created_at = rep.created.at

    def span(start: datetime, end: datetime) -> Duration:
        return Duration((end - start) // _SECOND, schedule.business_seconds(start, end))

    def attribution(at: datetime, *, author: LogEvent | None = None) -> Attribution:
        """Team and priority in force at ``at``; agent = the assignee then, or the author."""
        state = rep.state_at(at)
        assert state is not None  # at >= created_at
        agent = state.assignee if author is None else author.actor_id
        return Attribution(
            at=at,
            agent=UNASSIGNED if agent is None else agent,
            team=UNASSIGNED if state.team is None else state.team,
            priority=NO_PRIORITY if state.priority is None else state.priority,
        )

    merged = any(s.event.type == MERGED_INTO and s.applied for s in rep.steps)
    reply = None if merged else _first_reply(rep)
    requester_wait, agent_work, agent_wait, on_hold = _times_in(rep, schedule)
    solves, last_solve = (() if merged else rep.solves), (None if merged else rep.last_solve)
    first_solve = solves[0] if solves else None
    steps = rep.steps
    agent_replies = followups = escalations = 0
    assignees, teams = set(), set()
    for s in steps:  # one pass: is_agent_reply / is_customer_reply, escalations, stations
        event, after = s.event, s.after
        assignees.add(after.assignee)
        teams.add(after.team)
        if event.type == PUBLIC_REPLY:
            if event.actor_role == AGENT:
                agent_replies += 1
            elif event.actor_role == CUSTOMER:
                followups += 1
        elif event.type == ESCALATED:
            escalations += 1
    reopens = len(rep.reopens)
    resolved = last_solve is not None
    inbound = not rep.outbound

    def flag(value: bool) -> bool | None:
        return value if resolved else None

    return TicketMetrics(
        as_of=as_of,
        last_event_at=rep.last_event_at,
        channel=rep.created.data.get("channel"),
        inbound=inbound,
        resolved=resolved,
        first_reply=None if reply is None else span(reply[0], reply[1].at),
        first_resolution=None if first_solve is None else span(created_at, first_solve.at),
        full_resolution=None if last_solve is None else span(created_at, last_solve.at),
        requester_wait=requester_wait,
        agent_work=agent_work,
        agent_wait=agent_wait,
        on_hold=on_hold,
        reopens=reopens,
        agent_replies=agent_replies,
        customer_followups=followups,
        escalations=escalations,
        assignee_stations=len(assignees - {None}),
        group_stations=len(teams - {None}),
        zero_touch=flag(agent_replies == 0),
        one_touch=flag(agent_replies == 1),
        two_touch=flag(agent_replies == 2),
        fcr=flag(reopens == 0 and followups == 0 and escalations == 0) if inbound else None,
        created=attribution(created_at),
        first_reply_attribution=(
            None if reply is None else attribution(reply[1].at, author=reply[1].event)
        ),
        first_resolution_attribution=None if first_solve is None else attribution(first_solve.at),
        resolution_attribution=None if last_solve is None else attribution(last_solve.at),
        sla=tuple(
            SlaOutcome(i, None if (at := _outcome_at(i)) is None else attribution(at))
            for i in (
                []
                if sla_policy is None or merged
                else evaluate_replay(rep, sla_policy, schedule, outcomes_only=True)
            )
        ),
        errors=rep.errors,
        final=rep.final,
        backlog=tuple(backlog_spans(rep)),
        merged=merged,
    )


class _RememberedHours:
    """One ticket's schedule with ``business_seconds`` remembered per span: the SLA clocks of
    its instances measure the same replay segments again (about 3 calls in 4 repeat one)."""

    __slots__ = ("_hours", "_seconds")

    def __init__(self, hours: Hours) -> None:
        self._hours = hours
        self._seconds: dict[tuple[datetime, datetime], int] = {}

    def business_seconds(self, start: datetime, end: datetime) -> int:
        key = (start, end)
        seconds = self._seconds.get(key)
        if seconds is None:
            seconds = self._seconds[key] = self._hours.business_seconds(start, end)
        return seconds

    def is_business_time(self, t: datetime) -> bool:
        return self._hours.is_business_time(t)

    def business_pieces(
        self, start: datetime, end: datetime
    ) -> Iterator[tuple[datetime, datetime]]:
        return self._hours.business_pieces(start, end)

    def add_business_seconds(
        self, start: datetime, seconds: int, *, horizon_days: int = DEFAULT_HORIZON_DAYS
    ) -> datetime | None:
        return self._hours.add_business_seconds(start, seconds, horizon_days=horizon_days)

    def next_business_instant(
        self, t: datetime, *, horizon_days: int = DEFAULT_HORIZON_DAYS
    ) -> datetime | None:
        return self._hours.next_business_instant(t, horizon_days=horizon_days)


def _first_reply(rep: Replay) -> tuple[datetime, Step] | None:
    """(start, reply step) of first_reply: inbound from creation, outbound from the first
    customer reply; the end is the first agent reply after the start, in any status (§9.12)."""
    steps = rep.steps
    start_index = 0
    if rep.outbound:
        start_index = next((i for i, s in enumerate(steps) if is_customer_reply(s.event)), -1)
        if start_index < 0:
            return None
    start = steps[start_index].at
    for step in steps[start_index + 1 :]:
        if is_agent_reply(step.event):
            return start, step
    return None


# Status -> the indexes in _times_in's result (requester_wait, agent_work, agent_wait,
# on_hold) of the metrics that count time in it.
_STATUS_GROUPS = (
    REQUESTER_WAIT_STATUSES,
    AGENT_WORK_STATUSES,
    AGENT_WAIT_STATUSES,
    ON_HOLD_STATUSES,
)
_GROUPS_OF = {
    status: tuple(i for i, group in enumerate(_STATUS_GROUPS) if status in group)
    for group in _STATUS_GROUPS
    for status in group
}


def _times_in(rep: Replay, schedule: Hours) -> tuple[Duration, Duration, Duration, Duration]:
    """Calendar and business time in each of ``_STATUS_GROUPS`` over ``[created, as_of)``,
    from one pass over the segments (adjacent matching segments merged into runs)."""
    runs: tuple[list[list[datetime]], ...] = ([], [], [], [])
    for seg in rep.segments:
        for i in _GROUPS_OF.get(seg.state.status, ()):
            group = runs[i]
            if group and group[-1][1] == seg.start:
                group[-1][1] = seg.end
            else:
                group.append([seg.start, seg.end])
    calendar = isinstance(schedule, CalendarHours)
    out = []
    for group in runs:
        cal = sum((end - start) // _SECOND for start, end in group)
        if calendar:  # business = calendar (runs are never empty: start < end)
            out.append(Duration(cal, cal))
        else:
            bus = sum(schedule.business_seconds(start, end) for start, end in group)
            out.append(Duration(cal, bus))
    return out[0], out[1], out[2], out[3]


def _outcome_at(instance: SlaInstance) -> datetime | None:
    """§4: an achieved outcome counts at its end, a breach at its breach instant."""
    if instance.outcome == "achieved":
        return instance.ended_at
    if instance.outcome == "breached":
        return instance.breached_at
    return None
