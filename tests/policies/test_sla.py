"""policies.sla: KPI_SPEC §5 and §9 on hand-worked logs (minutes after T0 unless noted)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from policies.business_time import Schedule
from policies.replay import replay
from policies.sla import (
    SlaInstance,
    SlaPolicy,
    SlaTarget,
    TrailEntry,
    evaluate,
    evaluate_replay,
    next_due,
)
from policies.ticket_log import AGENT, CUSTOMER, SYSTEM, LogEvent

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # Monday


def m(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=UTC)


class Log:
    """Builds a log with consecutive ``seq`` numbers."""

    def __init__(self, at: datetime = T0, priority: str | None = "normal", **data: Any) -> None:
        self.events: list[LogEvent] = []
        data = {"channel": "email", "team": 1, "initiated_by": CUSTOMER, **data}
        self.add(at, "created", CUSTOMER, priority=priority, **data)

    def add(self, at: datetime, type_: str, role: str = AGENT, **data: Any) -> Log:
        self.events.append(LogEvent(len(self.events) + 1, at, type_, role, None, data))
        return self

    def status(self, at: datetime, frm: str, to: str) -> Log:
        return self.add(at, "status_changed", **{"from": frm, "to": to})

    def agent(self, at: datetime) -> Log:
        return self.add(at, "public_reply", AGENT)

    def customer(self, at: datetime) -> Log:
        return self.add(at, "public_reply", CUSTOMER)

    def priority(self, at: datetime, frm: str | None, to: str | None) -> Log:
        return self.add(at, "priority_changed", **{"from": frm, "to": to})


NINE_TO_FIVE = {day: [(9 * 60, 17 * 60)] for day in range(5)}  # Mon-Fri
WEEKDAYS = Schedule(tz="UTC", weekly=NINE_TO_FIVE, version=3)
NEW_YORK = Schedule(tz="America/New_York", weekly=NINE_TO_FIVE, version=4)
EVERY = {
    "first_reply": SlaTarget(60, False),
    "next_reply": SlaTarget(30, False),
    "periodic_update": SlaTarget(120, False),
    "requester_wait": SlaTarget(480, False),
    "agent_work": SlaTarget(240, False),
}


def policy(fraction: float | Decimal = 0.25, **targets: dict[str, SlaTarget]) -> SlaPolicy:
    return SlaPolicy(id=7, version=2, at_risk_fraction=fraction, targets=targets)


def cal(**minutes: int) -> dict[str, SlaTarget]:
    return {metric: SlaTarget(n, False) for metric, n in minutes.items()}


def run(log: Log, pol: SlaPolicy, as_of: datetime) -> list[SlaInstance]:
    return evaluate(log.events, pol, WEEKDAYS, as_of)


def of(instances: list[SlaInstance], metric: str) -> list[SlaInstance]:
    return [i for i in instances if i.metric == metric]


def one(instances: list[SlaInstance], metric: str) -> SlaInstance:
    (found,) = of(instances, metric)
    return found


def summary(i: SlaInstance) -> tuple[Any, ...]:
    return (i.index, i.activated_at, i.ended_at, i.elapsed_seconds, i.outcome, i.due_at)


def trail(*entries: tuple[datetime, str, str]) -> tuple[TrailEntry, ...]:
    return tuple(TrailEntry(*e) for e in entries)


# --- first_reply -----------------------------------------------------------------------


def test_first_reply_fulfilled_before_due_is_achieved() -> None:
    # given an inbound ticket answered after 45 minutes
    log = Log().status(m(45), "new", "open").agent(m(45))
    # when
    got = one(run(log, policy(normal=EVERY), m(120)), "first_reply")
    # then
    assert got == SlaInstance(
        metric="first_reply",
        index=1,
        activated_at=m(0),
        ended_at=m(45),
        end_reason="fulfilled",
        target_minutes=60,
        business=False,
        elapsed_seconds=2700,
        due_at=None,
        breached_at=None,
        outcome="achieved",
        state="fulfilled",
        at_risk=False,
        at_risk_at=None,
        trail=trail((m(0), "start", "created"), (m(45), "stop", "agent reply")),
    )


def test_first_reply_fulfilled_exactly_at_due_is_achieved_one_second_later_breached() -> None:
    on_time = one(run(Log().agent(m(60)), policy(normal=EVERY), m(90)), "first_reply")
    late = one(
        run(Log().agent(m(60) + timedelta(seconds=1)), policy(normal=EVERY), m(90)), "first_reply"
    )
    assert (on_time.outcome, on_time.elapsed_seconds, on_time.due_at) == ("achieved", 3600, None)
    assert (late.outcome, late.due_at, late.breached_at, late.elapsed_seconds) == (
        "breached",
        m(60),
        m(60),
        3601,
    )
    assert late.trail == trail(
        (m(0), "start", "created"),
        (m(60), "breach", "due"),
        (m(60) + timedelta(seconds=1), "stop", "agent reply"),
    )


@pytest.mark.parametrize(
    ("_case", "as_of", "elapsed", "due_at", "outcome", "at_risk", "at_risk_at"),
    [
        ("early", m(40), 2400, m(60), "in_progress", False, m(45)),
        ("at_risk", m(50), 3000, m(60), "in_progress", True, m(45)),
        ("due_now", m(60), 3600, m(60), "in_progress", True, m(45)),
        ("breached", m(61), 3660, m(60), "breached", False, None),
    ],
)
def test_unanswered_first_reply_projects_due_and_at_risk(
    _case: str,
    as_of: datetime,
    elapsed: int,
    due_at: datetime,
    outcome: str,
    at_risk: bool,
    at_risk_at: datetime | None,
) -> None:
    # given an unanswered ticket, target 60 min, at-risk fraction 0.25 (45 min elapsed)
    got = one(run(Log(), policy(normal=EVERY), as_of), "first_reply")
    # then
    assert (got.elapsed_seconds, got.due_at, got.outcome, got.state) == (
        elapsed,
        due_at,
        outcome,
        "active",
    )
    assert (got.at_risk, got.at_risk_at, got.ended_at, got.end_reason) == (
        at_risk,
        at_risk_at,
        None,
        None,
    )
    assert got.breached_at == (m(60) if outcome == "breached" else None)


def test_at_risk_fraction_is_exact_for_decimal_and_float() -> None:
    # given fraction 0.1 of 60 min: at risk from 54 min elapsed
    for fraction in (Decimal("0.1"), 0.1):
        pol = policy(fraction, normal=EVERY)
        before = one(run(Log(), pol, m(54) - timedelta(seconds=1)), "first_reply")
        at = one(run(Log(), pol, m(54)), "first_reply")
        assert (before.at_risk, before.at_risk_at) == (False, m(54))
        assert (at.at_risk, at.at_risk_at) == (True, m(54))
    zero = one(run(Log(), policy(0, normal=EVERY), m(10)), "first_reply")
    assert zero.at_risk_at == m(60)


def test_at_risk_at_is_not_before_the_latest_event() -> None:
    # given 40 min elapsed when the target drops to 50 min: remaining 10 <= 12.5
    log = Log().priority(m(40), "normal", "high")
    pol = policy(normal=EVERY, high=cal(first_reply=50))
    got = one(run(log, pol, m(41)), "first_reply")
    assert (got.at_risk, got.at_risk_at, got.due_at, got.target_minutes) == (True, m(40), m(50), 50)


def test_events_after_as_of_are_ignored() -> None:
    log = Log().status(m(70), "new", "open").agent(m(70))
    got = one(run(log, policy(normal=EVERY), m(65)), "first_reply")
    assert (got.outcome, got.state, got.ended_at, got.due_at) == ("breached", "active", None, m(60))
    at_reply = one(run(log, policy(normal=EVERY), m(70)), "first_reply")
    assert (at_reply.outcome, at_reply.ended_at) == ("breached", m(70))


# --- one action, pauses, reopen ----------------------------------------------------------


def test_reply_and_solve_in_one_action() -> None:
    # given the agent opens, replies and solves at +30
    log = Log().status(m(30), "new", "open").agent(m(30)).status(m(30), "open", "solved")
    # when
    got = run(log, policy(normal=EVERY), m(60))
    # then: the reply fulfils first_reply; the periodic_update it starts is cancelled at once
    # (zero length, discarded); requester_wait and agent_work finish at the solve
    assert [(i.metric, i.outcome, i.ended_at, i.elapsed_seconds) for i in got] == [
        ("first_reply", "achieved", m(30), 1800),
        ("requester_wait", "achieved", m(30), 1800),
        ("agent_work", "achieved", m(30), 1800),
    ]
    assert one(got, "requester_wait").trail == trail(
        (m(0), "start", "created"), (m(30), "stop", "solved")
    )


def _pauses_log() -> Log:
    log = Log().status(m(10), "new", "open").agent(m(10))
    log.status(m(20), "open", "pending")
    log.customer(m(80)).status(m(80), "pending", "open")
    log.status(m(100), "open", "on_hold").status(m(130), "on_hold", "open")
    return log.agent(m(150)).status(m(150), "open", "solved")


def test_pending_pauses_both_waits_and_on_hold_only_agent_work() -> None:
    # when
    got = run(_pauses_log(), policy(normal=EVERY), m(200))
    # then: requester_wait runs [0,20) + [80,150) = 90 min; agent_work [0,20) [80,100)
    # [130,150) = 60 min
    rw, aw = one(got, "requester_wait"), one(got, "agent_work")
    assert (rw.elapsed_seconds, rw.outcome, rw.state, rw.ended_at) == (
        5400,
        "achieved",
        "fulfilled",
        m(150),
    )
    assert rw.trail == trail(
        (m(0), "start", "created"),
        (m(20), "pause", "status pending"),
        (m(80), "resume", "status open"),
        (m(150), "stop", "solved"),
    )
    assert (aw.elapsed_seconds, aw.outcome) == (3600, "achieved")
    assert aw.trail == trail(
        (m(0), "start", "created"),
        (m(20), "pause", "status pending"),
        (m(80), "resume", "status open"),
        (m(100), "pause", "status on_hold"),
        (m(130), "resume", "status open"),
        (m(150), "stop", "solved"),
    )


def test_reply_clocks_run_through_pending_and_on_hold() -> None:
    got = run(_pauses_log(), policy(normal=EVERY), m(200))
    nr = one(got, "next_reply")
    assert (nr.activated_at, nr.ended_at, nr.elapsed_seconds, nr.due_at, nr.outcome) == (
        m(80),
        m(150),
        4200,
        m(110),
        "breached",
    )
    assert nr.trail == trail(
        (m(80), "start", "customer reply"),
        (m(110), "breach", "due"),
        (m(150), "stop", "agent reply"),
    )
    # periodic_update #1 runs [10, 150) = 140 min > 120; #2 (reply + solve) is discarded
    (pu,) = of(got, "periodic_update")
    assert (pu.index, pu.elapsed_seconds, pu.due_at, pu.outcome, pu.state) == (
        1,
        8400,
        m(130),
        "breached",
        "fulfilled",
    )


def test_paused_instance_has_no_due_at_and_is_not_at_risk() -> None:
    # given the same ticket at +50, pending since +20
    got = run(_pauses_log(), policy(normal=EVERY), m(50))
    aw = one(got, "agent_work")
    assert (aw.state, aw.outcome, aw.elapsed_seconds, aw.due_at) == (
        "paused",
        "in_progress",
        1200,
        None,
    )
    assert (aw.at_risk, aw.at_risk_at) == (False, None)
    pu = one(got, "periodic_update")
    assert (pu.state, pu.elapsed_seconds, pu.due_at) == ("active", 2400, m(130))
    assert next_due(got) == m(130)


def _reopened_log(reopen_at: float | None = None) -> Log:
    log = Log().status(m(10), "new", "open").agent(m(40)).status(m(40), "open", "solved")
    if reopen_at is not None:
        log.customer(m(reopen_at)).status(m(reopen_at), "solved", "open")
    return log


def test_reopen_resumes_requester_wait_with_kept_elapsed_and_turns_achieved_into_breached() -> None:
    pol = policy(normal=cal(requester_wait=60))
    # given solved after 40 min: achieved
    solved = one(run(_reopened_log(), pol, m(100)), "requester_wait")
    assert (solved.outcome, solved.state, solved.ended_at, solved.elapsed_seconds) == (
        "achieved",
        "fulfilled",
        m(40),
        2400,
    )
    assert solved.due_at is None
    # when the customer reopens at +200: 40 min kept, 20 min left
    reopened = one(run(_reopened_log(200), pol, m(210)), "requester_wait")
    assert (reopened.outcome, reopened.state, reopened.ended_at, reopened.end_reason) == (
        "in_progress",
        "active",
        None,
        None,
    )
    assert (reopened.elapsed_seconds, reopened.due_at) == (3000, m(220))
    assert (reopened.at_risk, reopened.at_risk_at) == (True, m(205))
    # then once +220 passes, the breach is at +220
    late = one(run(_reopened_log(200), pol, m(230)), "requester_wait")
    assert (late.outcome, late.due_at, late.breached_at, late.elapsed_seconds) == (
        "breached",
        m(220),
        m(220),
        4200,
    )
    assert late.trail == trail(
        (m(0), "start", "created"),
        (m(40), "stop", "solved"),
        (m(200), "resume", "status open"),
        (m(220), "breach", "due"),
    )


def test_reopen_starts_next_reply_and_periodic_update_after_an_agent_update() -> None:
    got = run(_reopened_log(200), policy(normal=EVERY), m(210))
    assert [(i.metric, i.index, i.activated_at, i.outcome) for i in got] == [
        ("first_reply", 1, m(0), "achieved"),
        ("requester_wait", 1, m(0), "in_progress"),
        ("agent_work", 1, m(0), "in_progress"),
        ("next_reply", 1, m(200), "in_progress"),
        ("periodic_update", 1, m(200), "in_progress"),  # the +40 one was discarded
    ]
    assert one(got, "periodic_update").trail == trail((m(200), "start", "reopen"))


def test_reopen_without_an_earlier_agent_update_starts_no_periodic_update() -> None:
    # given a zero-touch solve, an agent reply while solved (ignored by SLA), then a reopen
    log = Log().status(m(10), "new", "solved").agent(m(20))
    log.customer(m(30)).status(m(30), "solved", "open")
    got = run(log, policy(normal=EVERY), m(40))
    assert of(got, "periodic_update") == []
    fr, nr = one(got, "first_reply"), one(got, "next_reply")
    assert (fr.outcome, fr.state, fr.ended_at, fr.elapsed_seconds) == (
        "cancelled",
        "cancelled",
        m(10),
        600,
    )
    assert fr.trail == trail((m(0), "start", "created"), (m(10), "stop", "solved"))
    assert (nr.activated_at, nr.elapsed_seconds, nr.due_at) == (m(30), 600, m(60))


def test_agent_reply_while_solved_activates_nothing() -> None:
    log = Log().status(m(10), "new", "open").agent(m(10)).status(m(20), "open", "solved")
    log.agent(m(30))
    got = run(log, policy(normal=EVERY), m(35))
    (pu,) = of(got, "periodic_update")
    assert (pu.activated_at, pu.ended_at, pu.outcome, pu.state, pu.elapsed_seconds) == (
        m(10),
        m(20),
        "cancelled",
        "cancelled",
        600,
    )
    assert of(got, "next_reply") == []


# --- next_reply and periodic_update chains -------------------------------------------


def test_next_reply_is_started_by_the_oldest_unanswered_customer_reply() -> None:
    log = Log().status(m(5), "new", "open").agent(m(5))
    log.customer(m(10)).customer(m(20)).agent(m(25)).customer(m(30))
    got = of(run(log, policy(normal=EVERY), m(40)), "next_reply")
    assert [summary(i) for i in got] == [
        (1, m(10), m(25), 900, "achieved", None),
        (2, m(30), None, 600, "in_progress", m(60)),
    ]


def test_customer_reply_while_first_reply_is_open_starts_no_next_reply() -> None:
    log = Log().customer(m(5))
    got = run(log, policy(normal=EVERY), m(10))
    assert of(got, "next_reply") == []
    assert one(got, "first_reply").due_at == m(60)


def test_periodic_update_chain() -> None:
    log = Log().status(m(10), "new", "open").agent(m(10)).agent(m(50)).agent(m(200))
    got = of(run(log, policy(normal=EVERY), m(210)), "periodic_update")
    assert [summary(i) for i in got] == [
        (1, m(10), m(50), 2400, "achieved", None),
        (2, m(50), m(200), 9000, "breached", m(170)),
        (3, m(200), None, 600, "in_progress", m(320)),
    ]
    assert got[2].at_risk_at == m(290)  # 90 of 120 min


def test_system_replies_and_notes_are_no_replies() -> None:
    log = Log().add(m(10), "public_reply", SYSTEM).add(m(20), "internal_note", AGENT)
    got = run(log, policy(normal=EVERY), m(30))
    fr = one(got, "first_reply")
    assert (fr.state, fr.outcome, fr.elapsed_seconds, fr.due_at) == (
        "active",
        "in_progress",
        1800,
        m(60),
    )
    assert of(got, "periodic_update") == []
    assert of(got, "next_reply") == []


# --- outbound ------------------------------------------------------------------------


def test_outbound_ticket_first_reply_starts_at_the_first_customer_reply() -> None:
    # given an agent-created ticket set pending at creation, answered by the customer at +100
    log = Log(initiated_by="agent").status(m(0), "new", "pending")
    log.customer(m(100)).status(m(100), "pending", "open").agent(m(130))
    pol = policy(normal=EVERY)
    assert of(run(log, pol, m(50)), "first_reply") == []
    # when
    got = run(log, pol, m(140))
    # then
    fr = one(got, "first_reply")
    assert (fr.activated_at, fr.ended_at, fr.elapsed_seconds, fr.outcome) == (
        m(100),
        m(130),
        1800,
        "achieved",
    )
    assert fr.trail == trail((m(100), "start", "customer reply"), (m(130), "stop", "agent reply"))
    assert of(got, "next_reply") == []
    # the creation message started periodic_update; it runs in pending too
    pu1, pu2 = of(got, "periodic_update")
    assert pu1.trail == trail(
        (m(0), "start", "outbound creation message"),
        (m(120), "breach", "due"),
        (m(130), "stop", "agent reply"),
    )
    assert (pu2.index, pu2.activated_at, pu2.due_at) == (2, m(130), m(250))
    rw = one(got, "requester_wait")
    assert rw.elapsed_seconds == 2400
    assert rw.trail == trail(
        (m(0), "start", "created"),
        (m(0), "pause", "status pending"),
        (m(100), "resume", "status open"),
    )


# --- priority changes ----------------------------------------------------------------


def test_priority_change_making_elapsed_exceed_the_target_breaches_at_the_change() -> None:
    pol = policy(normal=cal(first_reply=60), urgent=cal(first_reply=30))
    log = Log().priority(m(40), "normal", "urgent").status(m(50), "new", "open").agent(m(50))
    got = one(run(log, pol, m(60)), "first_reply")
    assert (got.due_at, got.breached_at, got.outcome, got.target_minutes, got.elapsed_seconds) == (
        m(40),
        m(40),
        "breached",
        30,
        3000,
    )
    assert got.trail == trail(
        (m(0), "start", "created"),
        (m(40), "breach", "priority normal -> urgent"),
        (m(50), "stop", "agent reply"),
    )


def test_priority_change_below_elapsed_reprojects_due_from_activation() -> None:
    pol = policy(normal=cal(first_reply=60), urgent=cal(first_reply=30))
    got = one(run(Log().priority(m(20), "normal", "urgent"), pol, m(25)), "first_reply")
    # 30 min from activation; at risk from 22.5 min (1350 s)
    assert (got.due_at, got.at_risk, got.at_risk_at) == (m(30), True, m(22.5))


def test_priority_lowered_exactly_at_the_due_instant_is_no_breach() -> None:
    # given due at +60; def(t) is read after the events at t, so a change at +60 decides
    pol = policy(normal=cal(first_reply=60), low=cal(first_reply=120))
    on_time = Log().priority(m(60), "normal", "low")
    got = one(run(on_time, pol, m(70)), "first_reply")
    assert (got.outcome, got.due_at, got.target_minutes) == ("in_progress", m(120), 120)
    # one second later is too late, and reported against the target it breached
    too_late = Log().priority(m(60) + timedelta(seconds=1), "normal", "low")
    late = one(run(too_late, pol, m(70)), "first_reply")
    assert (late.outcome, late.due_at, late.target_minutes) == ("breached", m(60), 60)


def test_priority_change_while_paused_breaches_at_the_change_instant() -> None:
    pol = policy(normal=cal(agent_work=60), urgent=cal(agent_work=30))
    log = Log().status(m(10), "new", "open").status(m(40), "open", "pending")
    log.priority(m(100), "normal", "urgent")
    got = one(run(log, pol, m(120)), "agent_work")
    assert (got.state, got.outcome, got.due_at, got.elapsed_seconds, got.target_minutes) == (
        "paused",
        "breached",
        m(100),
        2400,
        30,
    )
    assert got.trail == trail(
        (m(0), "start", "created"),
        (m(40), "pause", "status pending"),
        (m(100), "breach", "priority normal -> urgent"),
    )


def test_priority_change_while_solved_breaches_at_the_next_reopen() -> None:
    pol = policy(normal=cal(requester_wait=60), urgent=cal(requester_wait=30))
    log = Log().status(m(10), "new", "open").agent(m(40)).status(m(40), "open", "solved")
    log.priority(m(60), "normal", "urgent")
    # while solved: still achieved under the target in force at the solve
    solved = one(run(log, pol, m(90)), "requester_wait")
    assert (solved.outcome, solved.target_minutes, solved.due_at, solved.elapsed_seconds) == (
        "achieved",
        60,
        None,
        2400,
    )
    # when reopened at +120
    log.customer(m(120)).status(m(120), "solved", "open")
    got = one(run(log, pol, m(130)), "requester_wait")
    # then
    assert (got.outcome, got.due_at, got.target_minutes, got.elapsed_seconds, got.state) == (
        "breached",
        m(120),
        30,
        3000,
        "active",
    )
    assert got.trail == trail(
        (m(0), "start", "created"),
        (m(40), "stop", "solved"),
        (m(120), "resume", "status open"),
        (m(120), "breach", "reopen"),
    )


def test_priority_change_undone_while_solved_does_not_breach_at_reopen() -> None:
    pol = policy(normal=cal(requester_wait=60), urgent=cal(requester_wait=30))
    log = Log().status(m(10), "new", "open").agent(m(40)).status(m(40), "open", "solved")
    log.priority(m(60), "normal", "urgent").priority(m(70), "urgent", "normal")
    log.customer(m(120)).status(m(120), "solved", "open")
    got = one(run(log, pol, m(130)), "requester_wait")
    assert (got.outcome, got.due_at, got.elapsed_seconds) == ("in_progress", m(140), 3000)


def test_no_target_priority_keeps_accruing_and_is_reported_only_when_targeted() -> None:
    pol = policy(high=cal(first_reply=60))
    # given a normal ticket (no target): tracked, not reported
    assert run(Log(), pol, m(100)) == []
    # when it becomes high at +30, elapsed counts from activation
    got = one(run(Log().priority(m(30), "normal", "high"), pol, m(50)), "first_reply")
    assert (got.elapsed_seconds, got.due_at, got.target_minutes) == (3000, m(60), 60)


def test_losing_the_target_hides_the_instance_until_it_breaches() -> None:
    pol = policy(high=cal(first_reply=60))
    log = Log(priority="high").priority(m(30), "high", "low")
    assert run(log, pol, m(100)) == []
    log.priority(m(110), "low", "high")
    got = one(run(log, pol, m(120)), "first_reply")
    assert (got.outcome, got.due_at, got.elapsed_seconds) == ("breached", m(110), 7200)
    assert got.trail[-1] == TrailEntry(m(110), "breach", "priority low -> high")


def test_breached_instance_stays_reported_after_losing_its_target() -> None:
    pol = policy(high=cal(first_reply=60))
    log = Log(priority="high").priority(m(70), "high", "low")
    got = one(run(log, pol, m(100)), "first_reply")
    assert (got.outcome, got.due_at, got.target_minutes, got.elapsed_seconds, got.state) == (
        "breached",
        m(60),
        60,
        6000,
        "active",
    )
    assert next_due([got]) is None


def test_index_counts_untargeted_instances_so_it_stays_stable() -> None:
    # given two periodic updates tracked while normal has no target, then high from +60
    pol = policy(high=cal(periodic_update=120))
    log = Log().status(m(10), "new", "open").agent(m(10)).agent(m(50))
    log.priority(m(60), "normal", "high")
    # when
    got = run(log, pol, m(70))
    # then only the open one is reported, as the second instance
    assert [summary(i) for i in got] == [(2, m(50), None, 1200, "in_progress", m(170))]


def test_evaluate_replay_reuses_a_replay() -> None:
    log = _pauses_log()
    pol = policy(normal=EVERY)
    assert evaluate_replay(replay(log.events, m(200)), pol, WEEKDAYS) == run(log, pol, m(200))


def test_null_priority_matches_no_target() -> None:
    pol = policy(normal=cal(first_reply=60))
    assert run(Log(priority=None), pol, m(30)) == []
    got = one(run(Log(priority=None).priority(m(20), None, "normal"), pol, m(30)), "first_reply")
    assert (got.elapsed_seconds, got.due_at) == (1800, m(60))
    late = one(run(Log(priority=None).priority(m(70), None, "normal"), pol, m(80)), "first_reply")
    assert late.trail[-1] == TrailEntry(m(70), "breach", "priority none -> normal")


# --- zero length, status rules ---------------------------------------------------------


def test_instance_ended_at_its_activation_instant_is_discarded() -> None:
    # given a call answered at creation
    log = Log().status(m(0), "new", "open").agent(m(0))
    got = run(log, policy(normal=EVERY), m(10))
    assert of(got, "first_reply") == []
    pu = one(got, "periodic_update")
    assert (pu.index, pu.activated_at, pu.elapsed_seconds) == (1, m(0), 600)


def test_waits_solved_at_creation_are_discarded_only_while_resolved() -> None:
    log = Log().status(m(0), "new", "solved")
    pol = policy(normal=EVERY)
    assert run(log, pol, m(10)) == []
    log.customer(m(20)).status(m(20), "solved", "open")
    got = run(log, pol, m(30))
    rw = one(got, "requester_wait")
    assert (rw.index, rw.activated_at, rw.elapsed_seconds, rw.state) == (1, m(0), 600, "active")
    assert rw.trail == trail(
        (m(0), "start", "created"), (m(0), "stop", "solved"), (m(20), "resume", "status open")
    )
    # first_reply was discarded at creation, which counts as ended: next_reply starts
    assert one(got, "next_reply").activated_at == m(20)


def test_same_category_change_is_ignored_and_change_out_of_closed_too() -> None:
    pol = policy(normal=cal(requester_wait=60))
    log = Log().status(m(10), "new", "open").status(m(20), "open", "open")
    log.agent(m(30)).status(m(30), "open", "closed").status(m(50), "closed", "open")
    got = one(run(log, pol, m(100)), "requester_wait")
    assert (got.ended_at, got.outcome, got.state, got.elapsed_seconds) == (
        m(30),
        "achieved",
        "fulfilled",
        1800,
    )
    assert got.trail == trail((m(0), "start", "created"), (m(30), "stop", "closed"))


def test_customer_reply_on_a_closed_ticket_starts_nothing() -> None:
    log = Log().agent(m(5)).status(m(10), "new", "closed").customer(m(20))
    got = run(log, policy(normal=EVERY), m(30))
    assert of(got, "next_reply") == []


# --- business hours --------------------------------------------------------------------


def test_due_at_can_be_the_end_of_a_business_interval() -> None:
    # given Wednesday 15:00, 120 business minutes, hours 09:00-17:00
    log = Log(at=utc(5, 15))
    pol = policy(normal={"first_reply": SlaTarget(120, True)})
    live = one(evaluate(log.events, pol, WEEKDAYS, utc(5, 16)), "first_reply")
    assert (live.due_at, live.elapsed_seconds, live.business, live.at_risk_at) == (
        utc(5, 17),
        3600,
        True,
        utc(5, 16, 30),
    )
    # then at 18:00 it is breached at 17:00 although outside business hours
    late = one(evaluate(log.events, pol, WEEKDAYS, utc(5, 18)), "first_reply")
    assert (late.outcome, late.due_at, late.state, late.elapsed_seconds) == (
        "breached",
        utc(5, 17),
        "active",
        7200,
    )


def test_created_outside_business_hours_accrues_from_the_next_business_instant() -> None:
    log = Log(at=utc(8, 10))  # Saturday
    pol = policy(normal={"first_reply": SlaTarget(60, True)})
    got = one(evaluate(log.events, pol, WEEKDAYS, utc(8, 12)), "first_reply")
    assert (got.elapsed_seconds, got.due_at, got.state, got.at_risk, got.at_risk_at) == (
        0,
        utc(10, 10),
        "active",
        False,
        utc(10, 9, 45),
    )


def test_priority_change_from_business_to_calendar_target_recounts_in_calendar_hours() -> None:
    # given Friday 16:30 with 120 business minutes (30 used by Friday 17:00)
    pol = policy(
        normal={"first_reply": SlaTarget(120, True)}, urgent={"first_reply": SlaTarget(240, False)}
    )
    log = Log(at=utc(7, 16, 30)).priority(utc(10, 9), "normal", "urgent")
    before = one(evaluate(log.events, pol, WEEKDAYS, utc(10, 8)), "first_reply")
    assert (before.due_at, before.elapsed_seconds) == (utc(10, 10, 30), 1800)
    # when it becomes urgent on Monday 09:00: 64.5 calendar hours > 4 h
    got = one(evaluate(log.events, pol, WEEKDAYS, utc(10, 9, 30)), "first_reply")
    assert (got.outcome, got.due_at, got.business, got.target_minutes, got.elapsed_seconds) == (
        "breached",
        utc(10, 9),
        False,
        240,
        234000,
    )


def test_business_due_at_follows_the_schedule_zone_across_dst() -> None:
    # given Friday 16:00 EST (21:00Z), 120 business minutes, New York 09:00-17:00; DST starts
    # Sunday 9 March, so Monday 09:00 EDT is 13:00Z
    log = Log(at=utc(7, 21))
    pol = policy(normal={"first_reply": SlaTarget(120, True)})
    got = one(evaluate(log.events, pol, NEW_YORK, utc(10, 12)), "first_reply")
    assert (got.elapsed_seconds, got.due_at, got.at_risk_at) == (3600, utc(10, 14), utc(10, 13, 30))


def test_business_clock_counts_running_business_time_only() -> None:
    # given Monday 16:00, agent_work 240 business minutes, pending from 16:45 to Tuesday 10:00
    log = Log(at=utc(3, 16)).status(utc(3, 16, 30), "new", "open")
    log.status(utc(3, 16, 45), "open", "pending")
    log.customer(utc(4, 10)).status(utc(4, 10), "pending", "open")
    pol = policy(normal={"agent_work": SlaTarget(240, True)})
    # when
    got = one(evaluate(log.events, pol, WEEKDAYS, utc(4, 11)), "agent_work")
    # then 45 + 60 = 105 min elapsed; 135 left from 11:00; at risk from 180 min (135 from 10:00)
    assert (got.elapsed_seconds, got.due_at, got.at_risk_at, got.at_risk) == (
        6300,
        utc(4, 13, 15),
        utc(4, 12, 15),
        False,
    )
    assert got.trail == trail(
        (utc(3, 16), "start", "created"),
        (utc(3, 16, 45), "pause", "status pending"),
        (utc(4, 10), "resume", "status open"),
    )


# --- policy, helpers --------------------------------------------------------------------


def test_no_policy_or_no_targets_reports_nothing() -> None:
    assert evaluate(Log().events, None, WEEKDAYS, m(100)) == []
    assert evaluate(Log().events, policy(), WEEKDAYS, m(100)) == []


def test_policy_and_target_validation() -> None:
    with pytest.raises(ValueError, match="minutes must be >= 1"):
        SlaTarget(0, False)
    with pytest.raises(ValueError, match="at_risk_fraction"):
        policy(1.5)
    with pytest.raises(ValueError, match="unknown SLA metrics"):
        policy(normal=cal(resolution=60))
    with pytest.raises(ValueError, match="unknown priority"):
        policy(p1=cal(first_reply=60))
    with pytest.raises(ValueError, match="no schedule"):
        evaluate(Log().events, policy(normal={"first_reply": SlaTarget(60, True)}), None, m(1))


def test_next_due_takes_active_unbreached_instances() -> None:
    log = Log().status(m(10), "new", "open").agent(m(10)).agent(m(50)).agent(m(200))
    pol = policy(normal=EVERY)
    # periodic #3 due +320, agent_work +240, requester_wait +480
    assert next_due(run(log, pol, m(210))) == m(240)
    # agent_work breached at +240 is no longer "next due"
    assert next_due(run(log, pol, m(250))) == m(320)
    assert next_due([]) is None


def test_projection_beyond_400_days_has_no_due_at() -> None:
    pol = policy(normal={"first_reply": SlaTarget(401 * 24 * 60, False)})
    got = one(run(Log(), pol, m(10)), "first_reply")
    assert (got.due_at, got.outcome, got.at_risk_at) == (None, "in_progress", m(433080))
