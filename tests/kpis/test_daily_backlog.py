"""The daily backlog (KPI_SPEC.md §6, §9.15), hand-worked, reporting zone UTC.

| ticket | team    | 03-02                          | 03-03                 | 03-04             |
| A      | Tier 1  | 09:00 new; 10:00 rep → pending | 09:00 customer → open |                   |
| B      | Tier 1  | 09:00 new; 11:00 rep solves    |                       | 09:00 cust reopen |
| C      | Billing | 09:00 new                      | 10:00 otto solves     |                   |

Backlog at the start of the next day (X), actionable in brackets:
03-02: A (pending), C (new)  -> 2 [1]; Tier 1 1 [0]; ages 15 h -> bucket 0-1d
03-03: A (open)              -> 1 [1]; age 39 h -> bucket 1-3d
03-04: A, B (open)           -> 2 [2]; ages 63 h -> bucket 1-3d
03-05 (today, now 12:00): the live backlog A, B -> 2 [2]
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from kpis import backlog_fold, rollup
from kpis.backlog import BacklogSpan, backlog_spans, covered_days
from kpis.models import BacklogDay, DailyBacklog, TicketBacklogSpan
from kpis.models.rollups import ALL, BY_TEAM
from kpis.selectors import drilldown, timeseries
from kpis.selectors.filters import DashboardFilter
from kpis.zone import day_of
from policies.replay import replay
from policies.ticket_log import LogEvent
from tests.factories import make_ticket
from tests.kpis.engine_helpers import at, catch_up
from tickets import services

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 5, 12, tzinfo=UTC)
RANGE = DashboardFilter(start=date(2026, 3, 2), end=date(2026, 3, 5))


def _t(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=UTC)


def _ev(seq: int, at_: str, type_: str, **data) -> LogEvent:
    role = data.pop("role", "agent")
    return LogEvent(seq=seq, at=_t(at_), type=type_, actor_role=role, actor_id=7, data=data)


def test_spans_split_on_actionable_team_agent_and_priority_changes():
    log = [
        _ev(
            1,
            "2026-03-02T09:00",
            "created",
            channel="email",
            priority="normal",
            team=1,
            initiated_by="customer",
        ),
        _ev(2, "2026-03-02T10:00", "status_changed", **{"from": "new", "to": "open"}),
        _ev(3, "2026-03-02T10:00", "assigned", assignee=7),
        _ev(4, "2026-03-02T10:00", "public_reply"),
        _ev(5, "2026-03-02T10:00", "status_changed", **{"from": "open", "to": "pending"}),
        _ev(6, "2026-03-03T09:00", "public_reply", role="customer"),
        _ev(
            7,
            "2026-03-03T09:00",
            "status_changed",
            role="customer",
            **{"from": "pending", "to": "open"},
        ),
        _ev(8, "2026-03-03T11:00", "status_changed", **{"from": "open", "to": "solved"}),
        _ev(
            9,
            "2026-03-04T08:00",
            "status_changed",
            role="customer",
            **{"from": "solved", "to": "open"},
        ),
    ]
    spans = backlog_spans(replay(log, _t("2026-03-04T08:00")))
    assert spans == [
        BacklogSpan(_t("2026-03-02T09:00"), _t("2026-03-02T10:00"), True, 1, None, "normal"),
        # the 10:00 instant ends pending (only the state after the whole instant counts)
        BacklogSpan(_t("2026-03-02T10:00"), _t("2026-03-03T09:00"), False, 1, 7, "normal"),
        BacklogSpan(_t("2026-03-03T09:00"), _t("2026-03-03T11:00"), True, 1, 7, "normal"),
        BacklogSpan(_t("2026-03-04T08:00"), None, True, 1, 7, "normal"),
    ]
    days = [covered_days(s, lambda t: t.date()) for s in spans]
    # X of 03-02 is 03-03 00:00: only the pending span holds it; the open span of 03-03
    # ends before 03-04 00:00; the reopened span counts from 03-04 on.
    assert days == [None, (date(2026, 3, 2), date(2026, 3, 2)), None, (date(2026, 3, 4), None)]


@pytest.fixture
def story(team, other_team, rep, rep_other_team):
    def opened(t):
        return at("2026-03-02T09:00:00+00:00", lambda: make_ticket(t))

    a, b, c = opened(team), opened(team), opened(other_team)
    at(
        "2026-03-02T10:00:00+00:00",
        lambda: services.reply(a.pk, by=rep, body="Which model?", new_status="pending"),
    )
    at(
        "2026-03-02T11:00:00+00:00",
        lambda: services.reply(b.pk, by=rep, body="Done", new_status="solved"),
    )
    at(
        "2026-03-03T09:00:00+00:00",
        lambda: services.customer_reply(a.pk, customer=a.requester, body="Model X"),
    )
    at(
        "2026-03-03T10:00:00+00:00",
        lambda: services.reply(c.pk, by=rep_other_team, body="Done", new_status="solved"),
    )
    at(
        "2026-03-04T09:00:00+00:00",
        lambda: services.customer_reply(b.pk, customer=b.requester, body="Still broken"),
    )
    at("2026-03-05T12:00:00+00:00", catch_up)
    at("2026-03-05T12:00:00+00:00", backlog_fold.close_days)
    return {"a": a, "b": b, "c": c}


def _daily(level: int, **kw) -> dict:
    """``{day: counts}`` of one row per day (a level and filter that select one)."""
    rows = list(DailyBacklog.objects.filter(level=level, **kw).order_by("day"))
    assert len({r.day for r in rows}) == len(rows)
    return {r.day: (r.n, r.n_actionable, r.n_age_0, r.n_age_1) for r in rows}


def _all_rows() -> set:
    fields = [f.attname for f in DailyBacklog._meta.concrete_fields if f.name != "id"]
    return set(DailyBacklog.objects.values_list(*fields))


def test_daily_backlog_per_day_team_and_age(story, team):
    assert _daily(ALL) == {
        date(2026, 3, 2): (2, 1, 2, 0),
        date(2026, 3, 3): (1, 1, 0, 1),
        date(2026, 3, 4): (2, 2, 0, 2),
    }
    assert _daily(BY_TEAM, team_id=team.pk) == {
        date(2026, 3, 2): (1, 0, 1, 0),
        date(2026, 3, 3): (1, 1, 0, 1),
        date(2026, 3, 4): (2, 2, 0, 2),
    }
    assert set(BacklogDay.objects.values_list("day", flat=True)) == {
        date(2026, 3, 2),
        date(2026, 3, 3),
        date(2026, 3, 4),
    }


def test_trend_points_drill_and_api(story, director, team, director_client):
    with_now = {"now": NOW}
    points = timeseries(director, RANGE, "backlog", **with_now)
    assert [(p.key, p.value) for p in points] == [
        (date(2026, 3, 2), 2),
        (date(2026, 3, 3), 1),
        (date(2026, 3, 4), 2),
        (date(2026, 3, 5), 2),
    ]
    actionable = timeseries(director, RANGE, "actionable_backlog", **with_now)
    assert [p.value for p in actionable] == [1, 1, 2, 2]
    tier1 = DashboardFilter(start=RANGE.start, end=RANGE.end, team=team.pk)
    assert [p.value for p in timeseries(director, tier1, "actionable_backlog", **with_now)] == [
        0,
        1,
        2,
        2,
    ]
    week = DashboardFilter(start=RANGE.start, end=date(2026, 3, 4), grain="week")
    assert [(p.key, p.value) for p in timeseries(director, week, "backlog", **with_now)] == [
        (date(2026, 3, 2), 2)  # a stock: the backlog at the end of the range's last day
    ]
    with time_machine.travel(NOW, tick=False):
        api = director_client.get(
            "/api/v1/kpis/timeseries/",
            {"metric": "backlog", "start": "2026-03-02", "end": "2026-03-05"},
        )
    assert api.status_code == 200
    assert [p["value"] for p in api.json()["points"]] == [2, 1, 2, 2]
    behind = drilldown(director, RANGE, "backlog", date(2026, 3, 2), now=NOW)
    assert [t.pk for t in behind] == sorted([story["a"].pk, story["c"].pk])
    behind = drilldown(director, RANGE, "actionable_backlog", date(2026, 3, 2), now=NOW)
    assert [t.pk for t in behind] == [story["c"].pk]


def test_rebuild_gives_the_same_days_and_a_late_refresh_refolds(story):
    incremental = _all_rows()
    assert len(incremental) > 6  # every level, team and dimension
    at("2026-03-05T12:00:00+00:00", rollup.fold_all)
    assert _all_rows() == incremental
    assert TicketBacklogSpan.objects.filter(ticket=story["c"]).count() == 1


def test_a_refresh_that_lands_after_the_day_was_folded_refolds_it(team, rep):
    ticket = at("2026-03-02T09:00:00+00:00", lambda: make_ticket(team))
    at("2026-03-02T10:00:00+00:00", catch_up)
    # Solved on 03-02, but the worker misses it: 03-02 is folded with the stale open span.
    at(
        "2026-03-02T11:00:00+00:00",
        lambda: services.reply(ticket.pk, by=rep, body="Done", new_status="solved"),
    )
    at("2026-03-03T00:30:00+00:00", backlog_fold.close_days)
    assert _daily(ALL) == {date(2026, 3, 2): (1, 1, 1, 0)}
    at("2026-03-03T00:40:00+00:00", catch_up)  # the sweeper refreshes it, marking 03-02 dirty
    assert _daily(ALL) == {}  # refolded: nothing in the backlog (no rows, the day is folded)
    assert BacklogDay.objects.filter(day=date(2026, 3, 2)).exists()


def test_days_are_folded_only_once_ended(team):
    at("2026-03-02T09:00:00+00:00", lambda: make_ticket(team))
    at("2026-03-02T10:00:00+00:00", catch_up)
    assert at("2026-03-02T23:59:00+00:00", backlog_fold.close_days) == []
    assert at("2026-03-03T00:00:00+00:00", backlog_fold.close_days) == [date(2026, 3, 2)]
    assert day_of(datetime(2026, 3, 3, tzinfo=UTC)) == date(2026, 3, 3)


def test_rep_cannot_read_the_trend(story, rep):
    from csops.errors import NotAllowed

    with pytest.raises(NotAllowed):
        timeseries(rep, RANGE, "backlog", now=NOW)
