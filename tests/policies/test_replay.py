"""policies.replay: the §2 / §9 state rules, with hand-worked logs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from policies.replay import (
    DataError,
    Segment,
    TicketState,
    is_agent_reply,
    is_customer_reply,
    replay,
)
from policies.ticket_log import AGENT, CUSTOMER, SYSTEM, LogEvent

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday


def m(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


class Log:
    """Builds a log with consecutive ``seq`` numbers."""

    def __init__(self) -> None:
        self.events: list[LogEvent] = []

    def add(self, at: datetime, type_: str, role: str = SYSTEM, **data: Any) -> Log:
        self.events.append(LogEvent(len(self.events) + 1, at, type_, role, None, data))
        return self

    def created(self, at: datetime, priority: str | None = "normal", **data: Any) -> Log:
        data = {"channel": "email", "team": 1, "initiated_by": CUSTOMER, **data}
        return self.add(at, "created", CUSTOMER, priority=priority, **data)

    def status(self, at: datetime, frm: str, to: str) -> Log:
        return self.add(at, "status_changed", AGENT, **{"from": frm, "to": to})

    def reply(self, at: datetime, role: str) -> Log:
        return self.add(at, "public_reply", role)


def st(status: str, priority: str | None = "normal", assignee: int | None = None, team: int = 1):
    return TicketState(status, priority, assignee, team)


def test_state_at_uses_the_state_after_the_whole_instant_group() -> None:
    # given an agent's first action at +10: new -> open, assignment, priority change, reply
    log = Log().created(m(0))
    log.status(m(10), "new", "open").add(m(10), "assigned", AGENT, assignee=7, team=2)
    log.add(m(10), "priority_changed", AGENT, **{"from": "normal", "to": "high"})
    log.reply(m(10), AGENT)
    # when
    r = replay(log.events, m(60))
    # then
    assert r.state_at(m(0) - timedelta(seconds=1)) is None
    assert r.state_at(m(0)) == st("new")
    assert r.state_at(m(10) - timedelta(seconds=1)) == st("new")
    assert r.state_at(m(10)) == TicketState("open", "high", 7, 2)
    assert r.state_at(m(500)) == TicketState("open", "high", 7, 2)  # no further events
    assert r.final == TicketState("open", "high", 7, 2)


def test_step_before_is_the_state_just_before_the_event_in_seq_order() -> None:
    # given the automatic new -> open precedes the agent's reply, and a customer reply on a
    # solved ticket precedes its automatic reopen
    log = Log().created(m(0)).status(m(10), "new", "open").reply(m(10), AGENT)
    log.status(m(20), "open", "solved").reply(m(30), CUSTOMER).status(m(30), "solved", "open")
    # when
    r = replay(log.events, m(60))
    # then
    steps = r.steps
    assert [s.before.status if s.before else None for s in steps] == [
        None,
        "new",
        "open",
        "open",
        "solved",
        "solved",
    ]
    assert [s.after.status for s in steps] == ["new", "open", "open", "solved", "solved", "open"]


def test_solves_and_reopens_are_derived_from_the_replayed_status() -> None:
    # given solve, reopen, solve to closed from open, and a solved -> closed (not a solve)
    log = Log().created(m(0)).status(m(1), "new", "open").status(m(2), "open", "solved")
    log.status(m(3), "solved", "pending").status(m(4), "pending", "closed")
    # when
    r = replay(log.events, m(10))
    # then
    assert [s.at for s in r.solves] == [m(2), m(4)]
    assert [s.at for s in r.reopens] == [m(3)]
    assert r.last_solve is not None
    assert r.last_solve.at == m(4)
    assert r.resolved is True

    # given a second ticket solved then closed from solved
    log2 = Log().created(m(0)).status(m(1), "new", "solved").status(m(5), "solved", "closed")
    r2 = replay(log2.events, m(10))
    assert [s.at for s in r2.solves] == [m(1)]
    assert r2.final == st("closed")


def test_close_from_new_is_a_solve_and_a_reopen_to_pending_counts() -> None:
    log = Log().created(m(0)).status(m(1), "new", "closed")
    assert [s.at for s in replay(log.events, m(2)).solves] == [m(1)]
    log = Log().created(m(0)).status(m(1), "new", "solved").status(m(2), "solved", "pending")
    r = replay(log.events, m(3))
    assert [s.at for s in r.reopens] == [m(2)]
    assert r.last_solve is None  # not resolved at as_of
    assert r.resolved is False


def test_segments_cover_creation_to_as_of_and_skip_same_instant_states() -> None:
    # given open -> pending -> open at +20 (same instant) and a later hold
    log = Log().created(m(0)).status(m(5), "new", "open")
    log.status(m(20), "open", "pending").status(m(20), "pending", "open")
    log.add(m(30), "assigned", AGENT, assignee=9).status(m(40), "open", "on_hold")
    # when
    r = replay(log.events, m(90))
    # then
    assert r.segments == (
        Segment(m(0), m(5), st("new")),
        Segment(m(5), m(30), st("open")),
        Segment(m(30), m(40), st("open", assignee=9)),
        Segment(m(40), m(90), st("on_hold", assignee=9)),
    )


def test_segments_end_at_as_of_and_drop_an_empty_last_one() -> None:
    log = Log().created(m(0)).status(m(5), "new", "open")
    r = replay(log.events, m(5))
    assert r.segments == (Segment(m(0), m(5), st("new")),)
    assert r.final == st("open")
    assert replay(log.events, m(0)).segments == ()


def test_same_category_status_change_is_ignored_without_error() -> None:
    # given open -> open (two custom statuses of the open category)
    log = Log().created(m(0)).status(m(5), "new", "open").status(m(8), "open", "open")
    # when
    r = replay(log.events, m(10))
    # then
    assert r.steps[2].applied is False
    assert r.errors == ()
    assert r.segments == (Segment(m(0), m(5), st("new")), Segment(m(5), m(10), st("open")))


def test_change_out_of_closed_is_ignored_with_a_data_error() -> None:
    # given a closed ticket that a bad import reopens
    log = Log().created(m(0)).status(m(1), "new", "closed").status(m(5), "closed", "open")
    # when
    r = replay(log.events, m(10))
    # then
    assert r.final == st("closed")
    assert r.reopens == ()
    assert r.steps[2].applied is False
    assert r.errors == (DataError(3, m(5), "change_out_of_closed", "closed -> open ignored"),)


def test_from_is_taken_from_the_replayed_state() -> None:
    # given a change that claims "from solved" while the replayed status is pending
    log = Log().created(m(0)).status(m(1), "new", "pending").status(m(2), "solved", "open")
    # when
    r = replay(log.events, m(3))
    # then: applied as pending -> open, which is no reopen, and the mismatch is recorded
    assert r.final == st("open")
    assert r.reopens == ()
    assert r.errors == (DataError(3, m(2), "from_mismatch", "from 'solved', replay pending"),)


def test_events_after_as_of_are_ignored_and_events_at_as_of_included() -> None:
    log = Log().created(m(0)).status(m(10), "new", "open").status(m(11), "open", "solved")
    r = replay(log.events, m(10))
    assert [s.event.seq for s in r.steps] == [1, 2]
    assert r.final == st("open")
    assert r.solves == ()
    assert r.last_event_at == m(10)


def test_an_event_earlier_than_its_predecessor_is_replayed_at_its_instant() -> None:
    log = Log().created(m(0)).reply(m(10), AGENT).reply(m(4), CUSTOMER)
    r = replay(log.events, m(20))
    assert [s.at for s in r.steps] == [m(0), m(10), m(10)]
    assert r.errors == (DataError(3, m(4), "at_decreasing", f"replayed at {m(10)}"),)


def test_log_without_created_gives_no_state_and_errors() -> None:
    # given events before the created event (and one log without any)
    log = Log().reply(m(0), CUSTOMER).created(m(1))
    r = replay(log.events, m(5))
    assert r.errors == (DataError(1, m(0), "before_created", "public_reply ignored"),)
    assert r.created is not None
    assert r.created.seq == 2
    empty = replay(Log().reply(m(0), CUSTOMER).events, m(5))
    assert empty.final is None
    assert empty.state_at(m(3)) is None
    assert empty.segments == ()
    assert empty.initiated_by is None


def test_second_created_is_ignored_with_error() -> None:
    log = Log().created(m(0)).created(m(2), priority="urgent")
    r = replay(log.events, m(5))
    assert r.final == st("new")
    assert r.steps[1].applied is False
    assert r.errors == (DataError(2, m(2), "duplicate_created", "second created ignored"),)


def test_assigned_sets_team_only_when_given_and_priority_may_become_null() -> None:
    log = Log().created(m(0), assignee=3).add(m(1), "assigned", AGENT, assignee=4)
    log.add(m(2), "assigned", AGENT, assignee=None, team=5)
    log.add(m(3), "priority_changed", AGENT, **{"from": "normal", "to": None})
    r = replay(log.events, m(4))
    assert r.state_at(m(0)) == st("new", assignee=3)
    assert r.state_at(m(1)) == st("new", assignee=4)
    assert r.state_at(m(2)) == TicketState("new", "normal", None, 5)
    assert r.final == TicketState("new", None, None, 5)


def test_unknown_status_and_priority_are_ignored_with_errors() -> None:
    log = Log().created(m(0), priority="p1").status(m(1), "new", "waiting")
    log.add(m(2), "priority_changed", AGENT, to="asap")
    r = replay(log.events, m(3))
    assert r.final == st("new", priority=None)
    assert [e.code for e in r.errors] == ["unknown_priority", "unknown_status", "unknown_priority"]


def test_initiated_by_and_unknown_event_types() -> None:
    log = Log().created(m(0), initiated_by=AGENT).add(m(1), "tags_changed", AGENT, tags=["x"])
    r = replay(log.events, m(2))
    assert r.initiated_by == AGENT
    assert r.outbound is True
    assert r.steps[1].applied is True
    assert r.segments == (Segment(m(0), m(2), st("new")),)


def test_clip_intersects_segments_with_an_interval() -> None:
    log = Log().created(m(0)).status(m(5), "new", "open").status(m(20), "open", "pending")
    r = replay(log.events, m(30))
    assert r.clip(m(3), m(25)) == [
        Segment(m(3), m(5), st("new")),
        Segment(m(5), m(20), st("open")),
        Segment(m(20), m(25), st("pending")),
    ]
    assert r.clip(m(10)) == [
        Segment(m(10), m(20), st("open")),
        Segment(m(20), m(30), st("pending")),
    ]
    assert r.clip(m(7), m(7)) == []


def test_reply_kinds_follow_actor_role() -> None:
    agent = LogEvent(1, T0, "public_reply", AGENT)
    customer = LogEvent(2, T0, "public_reply", CUSTOMER)
    system = LogEvent(3, T0, "public_reply", SYSTEM)
    note = LogEvent(4, T0, "internal_note", AGENT)
    assert [is_agent_reply(e) for e in (agent, customer, system, note)] == [
        True,
        False,
        False,
        False,
    ]
    assert [is_customer_reply(e) for e in (agent, customer, system, note)] == [
        False,
        True,
        False,
        False,
    ]
