"""The KPI engine end to end with hand-worked values (KPI_SPEC.md §4, §6, §9.11, §9.15).

Given tickets worked through ``tickets.services`` at frozen instants (UTC reporting zone, no
SLA policy: calendar = business), when the worker catches up, then the metric rows and the
dashboard summary have exactly the values worked out by hand below.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from csops.errors import NotAllowed
from kpis import selectors
from kpis.models import DailyRollup, TicketMetricsRow
from kpis.selectors import DashboardFilter
from kpis.tasks import refresh_ticket_metrics, refresh_tickets_metrics
from tests.factories import make_ticket
from tests.kpis.engine_helpers import at, catch_up
from tickets.services import tickets as services

pytestmark = pytest.mark.django_db

DAY1, DAY2 = date(2025, 3, 3), date(2025, 3, 4)
NOW = datetime(2025, 3, 5, 12, 0, tzinfo=UTC)


@pytest.fixture
def worked(team, rep, other_team, rep_other_team):
    """A: replied after 10 min, solved after 1 h (day 1).
    B: claimed by rep after 20 min, replied after 30 min, solved day 1 11:00, reopened by the
       customer day 2 08:00, replied and solved day 2 09:00 (full resolution 24 h, moves to
       day 2).
    C: replied after 2 h, left open (backlog). D: created day 2 10:00, untouched (backlog).
    E: another team's ticket (day 1), replied after 1 min."""
    a = at("2025-03-03T09:00:00+00:00", lambda: make_ticket(team))
    b = at("2025-03-03T09:00:00+00:00", lambda: make_ticket(team))
    c = at("2025-03-03T10:00:00+00:00", lambda: make_ticket(team))
    e = at("2025-03-03T10:00:00+00:00", lambda: make_ticket(other_team))
    at("2025-03-03T09:10:00+00:00", lambda: services.reply(a.pk, by=rep, body="Try this"))
    at("2025-03-03T09:20:00+00:00", lambda: services.claim(b.pk, by=rep))
    at("2025-03-03T09:30:00+00:00", lambda: services.reply(b.pk, by=rep, body="Looking"))
    at(
        "2025-03-03T10:00:00+00:00",
        lambda: services.reply(a.pk, by=rep, body="Done", public=False, new_status="solved"),
    )
    at("2025-03-03T10:01:00+00:00", lambda: services.reply(e.pk, by=rep_other_team, body="Hi"))
    at(
        "2025-03-03T11:00:00+00:00",
        lambda: services.update_ticket(b.pk, by=rep, expected_version=None, status="solved"),
    )
    at("2025-03-03T12:00:00+00:00", lambda: services.reply(c.pk, by=rep, body="On it"))
    d = at("2025-03-04T10:00:00+00:00", lambda: make_ticket(team))
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def _reopen_and_resolve_b(b, rep) -> None:
    at(
        "2025-03-04T08:00:00+00:00",
        lambda: services.customer_reply(b.pk, customer=b.requester, body="Still broken"),
    )
    at(
        "2025-03-04T09:00:00+00:00",
        lambda: services.reply(b.pk, by=rep, body="Fixed now", new_status="solved"),
    )


def _row(ticket) -> TicketMetricsRow:
    return TicketMetricsRow.objects.get(ticket=ticket)


def test_rows_hold_the_spec_values(worked, rep):
    _reopen_and_resolve_b(worked["b"], rep)
    catch_up()
    a, b, c = _row(worked["a"]), _row(worked["b"]), _row(worked["c"])
    assert (a.first_reply_cal, a.full_resolution_cal, a.resolved_day) == (600, 3600, DAY1)
    assert (a.agent_replies, a.one_touch, a.fcr, a.reopens) == (1, True, True, 0)
    assert (b.first_reply_cal, b.first_resolution_cal, b.full_resolution_cal) == (1800, 7200, 86400)
    assert (b.first_resolution_day, b.resolved_day, b.reopens, b.fcr) == (DAY1, DAY2, 1, False)
    assert (b.agent_replies, b.one_touch, b.customer_followups) == (2, False, 1)
    assert (b.resolved_agent_id, b.resolved_team_id) == (rep.pk, worked["b"].team_id)
    assert (c.status, c.resolved, c.resolved_day, c.full_resolution_cal) == (
        "open",
        False,
        None,
        None,
    )
    assert c.first_reply_agent_id == rep.pk
    assert c.first_reply_bus == 7200


def test_director_summary_exact(worked, rep, director):
    _reopen_and_resolve_b(worked["b"], rep)
    catch_up()
    f = DashboardFilter(start=DAY1, end=DAY2, team=worked["a"].team_id)
    s = selectors.summary(director, f, now=NOW)
    t = s.tiles
    assert (t["created"].value, t["resolved"].value) == (4, 2)
    # first replies 600, 1800, 7200 s: median 30 min; p90 h=1.8 -> 1800+0.8*5400 = 6120 s
    assert s.first_reply == selectors.Stat(3, 3200 / 60, 30.0, 102.0)
    # full resolutions 3600, 86400 s: median 45000 s; p90 h=0.9 -> 3600+0.9*82800 = 78120 s
    assert s.full_resolution == selectors.Stat(2, 750.0, 750.0, 1302.0)
    assert (t["fcr"].value, t["one_touch"].value, t["reopen_rate"].value) == (50.0, 50.0, 50.0)
    # backlog at NOW: C (open, 50 h old) and D (new, 26 h old)
    assert (s.backlog.count, s.backlog.actionable) == (2, 2)
    assert s.backlog.median_age_days == pytest.approx(38 / 24)
    assert s.backlog.buckets == {"0-1d": 0, "1-3d": 2, "3-7d": 0, "7-30d": 0, "30d+": 0}
    # the previous period (two days before) is empty
    assert (t["created"].previous, t["first_reply_median"].previous) == (0, None)
    assert t["fcr"].previous is None


def test_reopen_moves_resolution_to_the_new_day(worked, rep, director):
    day1 = DashboardFilter(start=DAY1, end=DAY1)
    day2 = DashboardFilter(start=DAY2, end=DAY2)
    catch_up()
    assert selectors.summary(director, day1, now=NOW).tiles["resolved"].value == 2
    at(
        "2025-03-04T08:00:00+00:00",
        lambda: services.customer_reply(
            worked["b"].pk, customer=worked["b"].requester, body="Again"
        ),
    )
    catch_up()
    assert selectors.summary(director, day1, now=NOW).tiles["resolved"].value == 1  # §9.11
    assert selectors.summary(director, day2, now=NOW).tiles["resolved"].value == 0
    at(
        "2025-03-04T09:00:00+00:00",
        lambda: services.reply(worked["b"].pk, by=rep, body="Ok", new_status="solved"),
    )
    catch_up()
    s1, s2 = (selectors.summary(director, f, now=NOW) for f in (day1, day2))
    assert (s1.tiles["resolved"].value, s2.tiles["resolved"].value) == (1, 1)
    assert s2.full_resolution.median == 1440.0
    assert s1.tiles["reopen_rate"].value == 0.0
    assert s2.tiles["reopen_rate"].value == 100.0
    # first_resolution never moves
    assert DailyRollup.objects.get(kind="first_resolution", day=DAY1, agent_id=rep.pk).n == 1


def test_manager_sees_only_their_teams(worked, manager, director, rep, other_team):
    catch_up()
    f = DashboardFilter(start=DAY1, end=DAY2)
    assert selectors.summary(director, f, now=NOW).tiles["created"].value == 5
    assert selectors.summary(manager, f, now=NOW).tiles["created"].value == 4
    with pytest.raises(NotAllowed):
        selectors.summary(manager, DashboardFilter(start=DAY1, end=DAY2, team=other_team.pk))
    with pytest.raises(NotAllowed):
        selectors.summary(rep, f)


def test_timeseries_breakdown_and_drilldown(worked, rep, director):
    catch_up()
    f = DashboardFilter(start=DAY1, end=DAY2)
    series = selectors.timeseries(director, f, "created")
    assert [(p.key, p.value) for p in series] == [(DAY1, 4), (DAY2, 1)]
    medians = selectors.timeseries(director, f, "first_reply_median")
    # day 1: 60, 600, 1800, 7200 s -> median 1200 s = 20 min; day 2 none
    assert [(p.key, p.value, p.count) for p in medians] == [(DAY1, 20.0, 4), (DAY2, None, 0)]
    weekly = selectors.timeseries(
        director, DashboardFilter(start=DAY1, end=DAY2, grain="week"), "created"
    )
    assert [(p.key, p.value) for p in weekly] == [(date(2025, 3, 3), 5)]
    by_team = selectors.breakdown(director, f, "created", by="team")
    assert [(p.key, p.value) for p in by_team] == [
        (worked["a"].team_id, 4),
        (worked["e"].team_id, 1),
    ]
    tickets = selectors.drilldown(director, f, "first_reply_median", DAY1)
    assert {t.pk for t in tickets} == {worked[k].pk for k in "abce"}
    assert sorted(t.metrics.first_reply_cal for t in tickets) == [60, 600, 1800, 7200]
    backlog = selectors.drilldown(director, f, "actionable_backlog", "1-3d", now=NOW)
    assert {t.pk for t in backlog} == {worked[k].pk for k in "cde"}


def test_refresh_task_coalesces_a_burst(worked, rep):
    b = worked["b"]
    TicketMetricsRow.objects.all().delete()
    assert refresh_ticket_metrics(b.pk) == 1  # first message of the burst applies everything
    assert refresh_ticket_metrics(b.pk) == 0  # later ones find the row current
    assert refresh_ticket_metrics(b.pk) == 0
    row = _row(b)
    assert row.source_event_id == b.events.order_by("-pk").first().pk


def test_one_refresh_task_recomputes_the_stale_tickets_of_a_batch(worked):
    a, b, c = worked["a"], worked["b"], worked["c"]
    refresh_tickets_metrics([a.pk, b.pk, c.pk])
    TicketMetricsRow.objects.filter(ticket__in=[a, b]).delete()
    assert refresh_tickets_metrics([a.pk, b.pk, c.pk]) == 2  # c's row was current
    assert refresh_tickets_metrics([a.pk, b.pk, c.pk]) == 0
    assert _row(a).source_event_id == a.events.order_by("-pk").first().pk
    assert _row(b).first_reply_cal == 1800
