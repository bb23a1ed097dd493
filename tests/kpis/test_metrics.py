"""kpis.metrics on hand-worked logs (KPI_SPEC §4, §9).

Times are UTC in March 2024. The schedule is New York, Mon–Fri 09:00–17:00: 14:00Z–22:00Z
until Friday 8 March (EST), 13:00Z–21:00Z from Monday 11 March (EDT; DST began Sunday 10).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from kpis.metrics import NO_PRIORITY, UNASSIGNED, Attribution, Duration, TicketMetrics, compute
from policies.business_time import CALENDAR_HOURS, Schedule
from policies.sla import SlaPolicy, SlaTarget
from policies.ticket_log import AGENT, CUSTOMER, SYSTEM, LogEvent

NEW_YORK = Schedule(tz="America/New_York", weekly={d: [(9 * 60, 17 * 60)] for d in range(5)})


def t(day: int, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2024, 3, day, hour, minute, tzinfo=UTC)


class Log:
    """A ticket log with consecutive ``seq``; ``when`` is ``(day, "HH:MM")`` in March 2024."""

    def __init__(
        self,
        when: tuple[int, str],
        *,
        initiated_by: str = CUSTOMER,
        assignee: int | None = 7,
        team: int | None = 1,
        priority: str | None = "normal",
        channel: str = "email",
    ) -> None:
        self.events: list[LogEvent] = []
        role = AGENT if initiated_by == AGENT else CUSTOMER
        actor = assignee if initiated_by == AGENT else 100
        data = {"channel": channel, "priority": priority, "team": team, "assignee": assignee}
        self._add(when, "created", role, actor, initiated_by=initiated_by, **data)

    def _add(
        self, when: tuple[int, str], type_: str, role: str, actor: int | None, **data: Any
    ) -> Log:
        self.events.append(LogEvent(len(self.events) + 1, t(*when), type_, role, actor, data))
        return self

    def status(self, when: tuple[int, str], frm: str, to: str, by: int | None = None) -> Log:
        role = SYSTEM if by is None else AGENT
        return self._add(when, "status_changed", role, by, **{"from": frm, "to": to})

    def agent_reply(self, when: tuple[int, str], by: int | None) -> Log:
        return self._add(when, "public_reply", AGENT, by)

    def customer_reply(self, when: tuple[int, str]) -> Log:
        return self._add(when, "public_reply", CUSTOMER, 100)

    def system_reply(self, when: tuple[int, str]) -> Log:
        return self._add(when, "public_reply", SYSTEM, None)

    def note(self, when: tuple[int, str], by: int) -> Log:
        return self._add(when, "internal_note", AGENT, by)

    def assign(self, when: tuple[int, str], assignee: int | None, **team: int | None) -> Log:
        return self._add(when, "assigned", AGENT, 1, assignee=assignee, **team)

    def escalate(self, when: tuple[int, str], tier: int) -> Log:
        return self._add(when, "escalated", AGENT, 7, tier=tier, reason="complex")

    def priority(self, when: tuple[int, str], frm: str | None, to: str | None) -> Log:
        return self._add(when, "priority_changed", AGENT, 7, **{"from": frm, "to": to})


def at(log: Log, day: int, hhmm: str, policy: SlaPolicy | None = None) -> TicketMetrics:
    return compute(log.events, sla_policy=policy, schedule=NEW_YORK, as_of=t(day, hhmm))


# --- first_reply ---------------------------------------------------------------------------


def test_inbound_first_reply_skips_system_replies_and_notes() -> None:
    # given: created Mon 09:00 EST, an auto-acknowledgement, a note, then the agent's reply
    log = (
        Log((4, "14:00"))
        .system_reply((4, "14:00"))
        .note((4, "14:10"), by=7)
        .status((4, "14:30"), "new", "open", by=7)
        .agent_reply((4, "14:30"), by=7)
    )
    # when
    m = at(log, 4, "15:00")
    # then
    assert m.first_reply == Duration(calendar_seconds=1800, business_seconds=1800)
    assert m.first_reply.calendar_minutes == 30.0
    assert m.first_reply_attribution == Attribution(t(4, "14:30"), 7, 1, "normal")
    assert (m.agent_replies, m.customer_followups) == (1, 0)
    assert m.inbound is True


def test_reply_before_business_hours_has_business_duration_zero() -> None:
    # given: created and answered on Sunday 3 March
    log = Log((3, "15:00")).agent_reply((3, "16:00"), by=7)
    # when
    m = at(log, 3, "17:00")
    # then: kept, not dropped (§3)
    assert m.first_reply == Duration(3600, 0)


def test_outbound_first_reply_runs_from_the_first_customer_reply() -> None:
    # given: an agent writes out (creation message), follows up, the customer answers at 16:00
    log = (
        Log((4, "15:00"), initiated_by=AGENT)
        .status((4, "15:00"), "new", "pending", by=7)
        .agent_reply((4, "15:10"), by=7)
        .customer_reply((4, "16:00"))
        .status((4, "16:00"), "pending", "open")
        .agent_reply((4, "16:45"), by=8)
        .status((4, "17:00"), "open", "solved", by=8)
    )
    # when
    m = at(log, 4, "18:00")
    # then: 16:00 -> 16:45; the creation message is not an agent reply; fcr is inbound only
    assert m.first_reply == Duration(2700, 2700)
    assert m.first_reply_attribution == Attribution(t(4, "16:45"), 8, 1, "normal")
    assert (m.agent_replies, m.customer_followups, m.inbound) == (2, 1, False)
    assert (m.zero_touch, m.one_touch, m.two_touch, m.fcr) == (False, False, True, None)


def test_outbound_without_customer_reply_has_no_first_reply() -> None:
    log = Log((4, "15:00"), initiated_by=AGENT).agent_reply((4, "15:10"), by=7)
    m = at(log, 4, "18:00")
    assert (m.first_reply, m.first_reply_attribution, m.agent_replies) == (None, None, 1)


def test_outbound_agent_reply_later_in_the_same_instant_counts_as_after() -> None:
    log = Log((4, "15:00"), initiated_by=AGENT).customer_reply((4, "16:00"))
    log.agent_reply((4, "16:00"), by=7)
    assert at(log, 4, "18:00").first_reply == Duration(0, 0)


def test_first_reply_counts_an_agent_reply_on_a_solved_ticket() -> None:
    # given: solved without a reply, then the agent writes (§9.12: any status)
    log = Log((4, "14:00")).status((4, "14:10"), "new", "solved", by=7)
    log.agent_reply((4, "14:20"), by=7)
    # when
    m = at(log, 4, "15:00")
    # then
    assert m.first_reply == Duration(1200, 1200)
    assert (m.agent_replies, m.one_touch) == (1, True)


def test_reply_with_a_transfer_in_the_same_instant_credits_the_new_team() -> None:
    # given: agent 7 replies and transfers to agent 8 / team 2 in one action
    log = Log((4, "14:00")).agent_reply((4, "14:30"), by=7).assign((4, "14:30"), 8, team=2)
    # when
    m = at(log, 4, "15:00")
    # then: the author is credited, team and priority are those after the instant (§9.14)
    assert m.first_reply_attribution == Attribution(t(4, "14:30"), 7, 2, "normal")


# --- resolution and reopen -----------------------------------------------------------------


def _reopened() -> Log:
    """Solved Mon 16:00Z by agent 7 / team 1; reopened Tue 14:00Z; re-solved by 8 / team 2."""
    return (
        Log((4, "14:00"))
        .status((4, "15:00"), "new", "open", by=7)
        .agent_reply((4, "15:00"), by=7)
        .status((4, "16:00"), "open", "solved", by=7)
        .customer_reply((5, "14:00"))
        .status((5, "14:00"), "solved", "open")
        .assign((5, "14:30"), 8, team=2)
        .agent_reply((5, "15:00"), by=8)
        .status((5, "16:00"), "open", "solved", by=8)
    )


def test_reopened_ticket_drops_last_solve_values_but_keeps_first_resolution() -> None:
    # when: reopened, not yet re-solved
    m = at(_reopened(), 5, "15:30")
    # then
    assert m.resolved is False
    assert m.first_resolution == Duration(7200, 7200)
    assert m.first_resolution_attribution == Attribution(t(4, "16:00"), 7, 1, "normal")
    assert (m.full_resolution, m.resolution_attribution) == (None, None)
    assert (m.zero_touch, m.one_touch, m.two_touch, m.fcr) == (None, None, None, None)
    # new 1 h + open 1 h on Monday, open 1.5 h on Tuesday; solved time never counts
    assert m.agent_work == Duration(12600, 12600)
    assert m.reopens == 1


def test_resolve_after_reopen_moves_full_resolution_to_the_new_solve() -> None:
    # when
    m = at(_reopened(), 5, "18:00")
    # then: Mon 14:00Z -> Tue 16:00Z = 26 h, 8 h + 2 h of business, solved time included
    assert m.full_resolution == Duration(93600, 36000)
    assert m.resolution_attribution == Attribution(t(5, "16:00"), 8, 2, "normal")
    assert m.first_resolution == Duration(7200, 7200)
    assert m.first_resolution_attribution == Attribution(t(4, "16:00"), 7, 1, "normal")
    assert m.agent_work == Duration(14400, 14400)
    assert m.requester_wait == Duration(14400, 14400)
    assert (m.reopens, m.agent_replies, m.customer_followups) == (1, 2, 1)
    assert (m.zero_touch, m.one_touch, m.two_touch, m.fcr) == (False, False, True, False)
    assert (m.assignee_stations, m.group_stations) == (2, 2)


# --- status-time metrics -------------------------------------------------------------------


def _over_the_weekend() -> Log:
    """Fri 8 Mar 16:00 EST -> pending over the weekend and the DST change -> solved Monday."""
    return (
        Log((8, "21:00"))
        .status((8, "21:30"), "new", "open", by=7)
        .agent_reply((8, "21:30"), by=7)
        .status((8, "21:45"), "open", "pending", by=7)
        .customer_reply((11, "13:00"))  # Monday 09:00 EDT
        .status((11, "13:00"), "pending", "open")
        .status((11, "14:00"), "open", "on_hold", by=7)
        .status((11, "16:00"), "on_hold", "open", by=7)
        .status((11, "17:00"), "open", "solved", by=7)
    )


def test_status_time_across_a_weekend_and_dst_in_calendar_and_business_hours() -> None:
    # when
    m = at(_over_the_weekend(), 11, "20:00")
    # then, calendar: new 30 min, open 15 min + 1 h + 1 h, pending Fri 21:45Z -> Mon 13:00Z
    # (63 h 15 min), on hold 2 h. Business: only Friday 21:45Z-22:00Z of the pending time
    # counts; Monday from 13:00Z is business time under EDT (a fixed -5 h would lose 1 h).
    assert m.agent_work == Duration(9900, 9900)
    assert m.requester_wait == Duration(17100, 17100)
    assert m.agent_wait == Duration(227700, 900)
    assert m.on_hold == Duration(7200, 7200)
    assert m.first_reply == Duration(1800, 1800)
    # Fri 21:00Z -> Mon 17:00Z = 68 h; business Fri 21:00Z-22:00Z + Mon 13:00Z-17:00Z = 5 h
    assert m.full_resolution == Duration(244800, 18000)
    assert m.full_resolution.business_minutes == 300.0
    assert m.first_resolution == m.full_resolution


def test_status_time_of_an_unresolved_ticket_runs_to_as_of() -> None:
    # when: Sunday noon, still pending
    m = at(_over_the_weekend(), 10, "12:00")
    # then: pending Fri 21:45Z -> Sun 12:00Z = 38 h 15 min, of which 15 min business
    assert m.agent_wait == Duration(137700, 900)
    assert m.requester_wait == Duration(2700, 2700)
    assert m.on_hold == Duration(0, 0)
    assert m.full_resolution is None


def test_calendar_hours_schedule_makes_business_equal_calendar() -> None:
    m = compute(
        _over_the_weekend().events, sla_policy=None, schedule=CALENDAR_HOURS, as_of=t(11, "20:00")
    )
    assert m.agent_wait == Duration(227700, 227700)


# --- counts, stations, attribution ---------------------------------------------------------


def test_counts_and_stations_skip_null_assignees_and_teams() -> None:
    # given: created unassigned with no priority; 7 (team 2), nobody, 8, 7 again; two tiers
    log = (
        Log((4, "14:00"), assignee=None, team=1, priority=None)
        .assign((4, "14:05"), 7, team=2)
        .assign((4, "14:10"), None)
        .assign((4, "14:15"), 8)
        .assign((4, "14:20"), 7)
        .escalate((4, "14:25"), tier=2)
        .escalate((4, "14:30"), tier=3)
        .priority((4, "14:35"), None, "high")
    )
    # when
    m = at(log, 4, "15:00")
    # then
    assert (m.assignee_stations, m.group_stations, m.escalations) == (2, 2, 2)
    assert m.created == Attribution(t(4, "14:00"), UNASSIGNED, 1, NO_PRIORITY)
    assert m.resolution_attribution is None


def test_ticket_without_team_or_assignee_is_attributed_to_unassigned() -> None:
    # given: nobody ever assigned; solved by the system
    log = Log((4, "14:00"), assignee=None, team=None).status((4, "14:20"), "new", "solved")
    # when
    m = at(log, 4, "15:00")
    # then
    assert (m.assignee_stations, m.group_stations) == (0, 0)
    assert m.resolution_attribution == Attribution(t(4, "14:20"), UNASSIGNED, UNASSIGNED, "normal")
    assert m.created == Attribution(t(4, "14:00"), UNASSIGNED, UNASSIGNED, "normal")


def test_created_attribution_takes_the_assignment_of_the_same_instant() -> None:
    log = Log((4, "14:00"), assignee=None).assign((4, "14:00"), 9, team=3)
    assert at(log, 4, "15:00").created == Attribution(t(4, "14:00"), 9, 3, "normal")


# --- flags ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "extra", "flags"),
    [
        # a call solved while the customer is on the line: FCR without an agent reply (§9.24)
        ("solved_on_the_call", [], (True, False, False, True)),
        ("one_reply", [("reply",)], (False, True, False, True)),
        ("two_replies", [("reply",), ("reply",)], (False, False, True, True)),
        ("escalated", [("reply",), ("escalate",)], (False, True, False, False)),
        ("customer_wrote_again", [("reply",), ("customer",)], (False, True, False, False)),
    ],
)
def test_touch_flags_and_fcr_of_a_resolved_inbound_ticket(
    _case: str, extra: list[tuple[str]], flags: tuple[bool, bool, bool, bool]
) -> None:
    # given
    log = Log((4, "14:00"), channel="phone").status((4, "14:01"), "new", "open", by=7)
    for minute, (kind,) in enumerate(extra, start=2):
        when = (4, f"14:{minute:02d}")
        if kind == "reply":
            log.agent_reply(when, by=7)
        elif kind == "escalate":
            log.escalate(when, tier=2)
        else:
            log.customer_reply(when)
    log.status((4, "14:20"), "open", "solved", by=7)
    # when
    m = at(log, 4, "15:00")
    # then
    assert (m.zero_touch, m.one_touch, m.two_touch, m.fcr) == flags
    assert m.channel == "phone"


def test_flags_are_null_while_unresolved() -> None:
    m = at(Log((4, "14:00")).agent_reply((4, "14:10"), by=7), 4, "15:00")
    assert (m.zero_touch, m.one_touch, m.two_touch, m.fcr) == (None, None, None, None)
    assert (m.resolved, m.full_resolution) == (False, None)


# --- as_of ---------------------------------------------------------------------------------


def test_events_after_as_of_are_ignored_and_events_at_as_of_included() -> None:
    # given: solved at 16:00 and reopened at 17:00
    log = (
        Log((4, "14:00"))
        .agent_reply((4, "15:00"), by=7)
        .status((4, "16:00"), "new", "solved", by=7)
        .customer_reply((4, "17:00"))
        .status((4, "17:00"), "solved", "open")
    )
    truncated = log.events[:3]
    # when
    at_solve = at(log, 4, "16:00")
    before_reopen = at(log, 4, "16:30")
    # then
    assert at_solve.full_resolution == Duration(7200, 7200)
    assert at_solve.last_event_at == t(4, "16:00")
    assert (before_reopen.reopens, before_reopen.customer_followups) == (0, 0)
    assert before_reopen == compute(
        truncated, sla_policy=None, schedule=NEW_YORK, as_of=t(4, "16:30")
    )
    assert replace(before_reopen, as_of=t(4, "16:00")) == at_solve


def test_log_without_created_up_to_as_of_is_refused() -> None:
    with pytest.raises(ValueError, match="the log has no created event at or before"):
        at(Log((4, "14:00")), 4, "13:59")


def test_data_errors_of_the_replay_are_passed_on() -> None:
    log = Log((4, "14:00")).status((4, "14:10"), "new", "closed", by=7)
    log.status((4, "14:20"), "closed", "open", by=7)
    m = at(log, 4, "15:00")
    assert [e.code for e in m.errors] == ["change_out_of_closed"]
    assert (m.resolved, m.reopens) == (True, 0)


# --- SLA -----------------------------------------------------------------------------------

FIRST_REPLY_HOUR = SlaPolicy(
    id=1, version=3, targets={"normal": {"first_reply": SlaTarget(60, business=True)}}
)


def test_sla_outcome_goes_to_the_assignee_whoever_replied() -> None:
    # given: agent 9 answers a ticket assigned to 7 after 30 business minutes
    log = Log((4, "14:00")).agent_reply((4, "14:30"), by=9)
    # when
    m = at(log, 4, "15:00", FIRST_REPLY_HOUR)
    # then
    (outcome,) = m.sla
    assert (outcome.instance.metric, outcome.instance.outcome) == ("first_reply", "achieved")
    assert outcome.attribution == Attribution(t(4, "14:30"), 7, 1, "normal")
    assert m.first_reply_attribution == Attribution(t(4, "14:30"), 9, 1, "normal")


def test_sla_breach_is_attributed_at_its_breach_instant() -> None:
    # given: due 15:00Z; reassigned to 8 / team 2 at 15:30Z; answered 16:00Z
    log = Log((4, "14:00")).assign((4, "15:30"), 8, team=2).agent_reply((4, "16:00"), by=8)
    # when
    m = at(log, 4, "17:00", FIRST_REPLY_HOUR)
    # then
    (outcome,) = m.sla
    assert (outcome.instance.outcome, outcome.instance.breached_at) == ("breached", t(4, "15:00"))
    assert outcome.attribution == Attribution(t(4, "15:00"), 7, 1, "normal")


def test_sla_in_progress_has_no_attribution_and_no_policy_means_no_instances() -> None:
    log = Log((4, "14:00"))
    (outcome,) = at(log, 4, "14:30", FIRST_REPLY_HOUR).sla
    assert (outcome.instance.outcome, outcome.attribution) == ("in_progress", None)
    assert at(log, 4, "14:30").sla == ()
