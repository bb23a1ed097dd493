"""§9.17 attribution of a CSAT rating, on hand-written logs (pure: no database).

Every log starts with ticket created at 09:00 in team 1, priority normal, assigned to agent 10.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from kpis.metrics import NO_PRIORITY as KPI_NO_PRIORITY
from policies.ticket_log import LogEvent
from tickets.services.survey_attribution import (
    NO_PRIORITY,
    UNATTRIBUTED,
    RatingAttribution,
    attribute_rating,
    log_events,
)


def t(hhmm: str) -> datetime:
    return datetime.fromisoformat(f"2026-03-02T{hhmm}:00+00:00")


def created(seq: int = 1, at: str = "09:00", **data) -> LogEvent:
    fields = {"channel": "email", "priority": "normal", "team": 1, "assignee": 10, **data}
    return LogEvent(seq, t(at), "created", "customer", None, fields)


def status(seq: int, at: str, frm: str, to: str) -> LogEvent:
    return LogEvent(seq, t(at), "status_changed", "agent", 10, {"from": frm, "to": to})


def assigned(seq: int, at: str, assignee: int | None, team: int | None = None) -> LogEvent:
    data: dict = {"assignee": assignee}
    if team is not None:
        data["team"] = team
    return LogEvent(seq, t(at), "assigned", "agent", 10, data)


def priority(seq: int, at: str, frm: str | None, to: str | None) -> LogEvent:
    return LogEvent(seq, t(at), "priority_changed", "agent", 10, {"from": frm, "to": to})


def reply(seq: int, at: str) -> LogEvent:
    return LogEvent(seq, t(at), "public_reply", "agent", 10, {})


def test_reopen_and_re_solve_after_the_rating_leave_it_with_the_first_solve():
    # given: solved by agent 10 (team 1, normal) at 10:00; rated at 11:00; then reopened,
    # moved to agent 20 in team 2 at high priority, and solved again at 13:00
    log = [
        created(),
        status(2, "09:05", "new", "open"),
        status(3, "10:00", "open", "solved"),
        status(4, "12:00", "solved", "open"),
        assigned(5, "12:00", 20, team=2),
        priority(6, "12:30", "normal", "high"),
        status(7, "13:00", "open", "solved"),
    ]
    # when / then: the 11:00 rating stays with the 10:00 solve
    assert attribute_rating(log, t("11:00")) == RatingAttribution(True, 10, 1, "normal", 3)
    # and a rating at 13:00 goes to the re-solve
    assert attribute_rating(log, t("13:00")) == RatingAttribution(True, 20, 2, "high", 7)


def test_rating_while_reopened_goes_to_the_earlier_solve():
    # given: solved at 10:00 by agent 10; reopened at 10:30 and transferred to agent 20,
    # team 2 at 10:45; still open when the customer rates at 11:00
    log = [
        created(),
        status(2, "09:05", "new", "open"),
        status(3, "10:00", "open", "solved"),
        status(4, "10:30", "solved", "open"),
        assigned(5, "10:45", 20, team=2),
    ]
    # then: the last solve at or before 11:00 is the 10:00 one
    assert attribute_rating(log, t("11:00")) == RatingAttribution(True, 10, 1, "normal", 3)


@pytest.mark.parametrize(
    ("_case", "order"),
    [("transfer logged after the solve", (3, 4, 5)), ("before it", (4, 5, 3))],
)
def test_transfer_in_the_solve_instant_credits_the_new_team(_case, order):
    # given: one 10:00 action solves, transfers to agent 20 in team 2 and raises the priority
    solve_seq, assign_seq, priority_seq = order
    log = [
        created(),
        status(2, "09:05", "new", "open"),
        status(solve_seq, "10:00", "open", "solved"),
        assigned(assign_seq, "10:00", 20, team=2),
        priority(priority_seq, "10:00", "normal", "urgent"),
    ]
    # then (§2, §9.14): the state after every event at 10:00
    got = attribute_rating(log, t("10:30"))
    assert got == RatingAttribution(True, 20, 2, "urgent", solve_seq)


def test_no_solve_at_or_before_the_rating_is_unattributed():
    log = [created(), status(2, "09:05", "new", "open"), status(3, "10:00", "open", "solved")]
    # a rating one second before the solve
    assert attribute_rating(log, datetime.fromisoformat("2026-03-02T09:59:59+00:00")) == (
        UNATTRIBUTED
    )
    assert RatingAttribution(False, None, None, "") == UNATTRIBUTED
    # a log without any solve
    assert attribute_rating(log[:2], t("11:00")) == UNATTRIBUTED
    # and a rating in the solve's own second counts ("at or before")
    assert attribute_rating(log, t("10:00")) == RatingAttribution(True, 10, 1, "normal", 3)


def test_closing_a_solved_ticket_is_not_a_solve():
    # given: solved at 10:00 by agent 10, reassigned to 20 while solved, closed at 11:00
    log = [
        created(),
        status(2, "09:05", "new", "open"),
        status(3, "10:00", "open", "solved"),
        assigned(4, "10:30", 20),
        status(5, "11:00", "solved", "closed"),
    ]
    # then: solved -> closed is no solve (§2); the rating stays with the 10:00 solve
    assert attribute_rating(log, t("12:00")) == RatingAttribution(True, 10, 1, "normal", 3)


def test_closing_an_open_ticket_is_a_solve():
    log = [
        created(),
        status(2, "09:05", "new", "open"),
        assigned(3, "09:30", 20),
        status(4, "10:00", "open", "closed"),
    ]
    assert attribute_rating(log, t("12:00")) == RatingAttribution(True, 20, 1, "normal", 4)


def test_no_assignee_or_priority_is_unassigned_and_none():
    # given: an unassigned ticket without priority, solved at 10:00
    log = [
        created(assignee=None, priority=None),
        status(2, "09:05", "new", "open"),
        reply(3, "09:10"),
        status(4, "10:00", "open", "solved"),
    ]
    # then (§9.25): attributed, agent None ("unassigned"), priority "none" as the KPI rows
    assert attribute_rating(log, t("11:00")) == RatingAttribution(True, None, 1, "none", 4)
    assert NO_PRIORITY == KPI_NO_PRIORITY


def test_unassigning_before_the_solve_leaves_no_agent():
    log = [
        created(),
        status(2, "09:05", "new", "open"),
        assigned(3, "09:30", None),
        priority(4, "09:40", "normal", None),
        status(5, "10:00", "open", "solved"),
    ]
    assert attribute_rating(log, t("11:00")) == RatingAttribution(True, None, 1, "none", 5)


def test_log_events_builds_plain_events_from_rows():
    rows = [(7, t("09:00"), "created", {"team": 3, "priority": "low"})]
    assert log_events(rows) == [
        LogEvent(seq=7, at=t("09:00"), type="created", data={"team": 3, "priority": "low"})
    ]
