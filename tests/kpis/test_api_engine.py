"""KPI API: /api/v1/kpis/summary/, /api/v1/kpis/timeseries/, /api/v1/tickets/{id}/metrics/."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from tests.factories import make_ticket
from tests.kpis.engine_helpers import at, catch_up
from tickets.services import tickets as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(team, other_team, rep, rep_other_team):
    a = at("2025-03-03T09:00:00+00:00", lambda: make_ticket(team))
    b = at("2025-03-03T09:00:00+00:00", lambda: make_ticket(other_team))
    at(
        "2025-03-03T09:06:00+00:00",
        lambda: services.reply(a.pk, by=rep, body="Hi", new_status="solved"),
    )
    at("2025-03-03T09:30:00+00:00", lambda: services.reply(b.pk, by=rep_other_team, body="Hi"))
    catch_up()
    return a, b


def test_summary_for_a_director(worked, client_for, director):
    with time_machine.travel(datetime(2025, 3, 4, 12, tzinfo=UTC), tick=False):
        r = client_for(director).get(
            "/api/v1/kpis/summary/", {"start": "2025-03-03", "end": "2025-03-03"}
        )
    assert r.status_code == 200
    body = r.json()
    assert body["tiles"]["created"] == {
        "key": "created",
        "value": 2.0,
        "previous": 0.0,
        "count": None,
    }
    assert body["first_reply"] == {"count": 2, "mean": 18.0, "median": 18.0, "p90": 27.6}
    assert body["backlog"]["count"] == 1
    assert body["filter"]["business"] is False


def test_manager_summary_is_scoped_and_other_teams_refused(worked, client_for, manager, other_team):
    c = client_for(manager)
    r = c.get("/api/v1/kpis/summary/", {"start": "2025-03-03", "end": "2025-03-03"})
    assert r.json()["tiles"]["created"]["value"] == 1.0
    r = c.get(
        "/api/v1/kpis/summary/", {"start": "2025-03-03", "end": "2025-03-03", "team": other_team.pk}
    )
    assert r.status_code == 403
    assert r.json()["error"]


def test_bad_filters_are_400_not_500(client_for, director):
    c = client_for(director)
    assert (
        c.get("/api/v1/kpis/summary/", {"start": "2025-03-05", "end": "2025-03-01"}).status_code
        == 400
    )
    assert c.get("/api/v1/kpis/summary/", {"start": "yesterday"}).status_code == 400
    assert c.get("/api/v1/kpis/timeseries/", {"metric": "bogus"}).status_code == 400
    assert c.get("/api/v1/kpis/summary/", {"agent": "x1"}).status_code == 400


def test_timeseries_weekly(worked, client_for, director):
    r = client_for(director).get(
        "/api/v1/kpis/timeseries/",
        {
            "start": "2025-03-03",
            "end": "2025-03-16",
            "grain": "week",
            "metric": "first_reply_median",
        },
    )
    assert r.status_code == 200
    points = r.json()["points"]
    assert [(p["start"], p["value"], p["count"]) for p in points] == [
        ("2025-03-03", 18.0, 2),
        ("2025-03-10", None, 0),
    ]


def test_ticket_metrics_follow_ticket_scope(worked, client_for, rep, rep_other_team):
    a, _ = worked
    r = client_for(rep).get(f"/api/v1/tickets/{a.pk}/metrics/")
    assert r.status_code == 200
    body = r.json()
    assert body["durations"]["first_reply"] == {"calendar_minutes": 6.0, "business_minutes": 6.0}
    assert body["flags"] == {
        "zero_touch": False,
        "one_touch": True,
        "two_touch": False,
        "fcr": True,
    }
    assert body["attribution"]["last_solve"]["day"] == "2025-03-03"
    assert client_for(rep_other_team).get(f"/api/v1/tickets/{a.pk}/metrics/").status_code == 404
