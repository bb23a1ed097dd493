"""Goals: who may set them, validation, the status rule, and the API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from kpis.goals import goal_status
from kpis.models import Goal
from tests.kpis.dashboard_data import build

pytestmark = pytest.mark.django_db

NOW = "2026-03-02T12:00:00+00:00"
MARCH = {"period_start": "2026-03-01", "period_end": "2026-03-31"}


@pytest.mark.parametrize(
    ("_case", "metric", "target", "value", "today", "expected"),
    [
        (
            "median under target",
            "first_reply_median",
            "60",
            55.0,
            date(2026, 3, 10),
            ("on_track", 55.0),
        ),
        (
            "exactly on target",
            "first_reply_median",
            "60",
            60.0,
            date(2026, 3, 10),
            ("on_track", 60.0),
        ),
        ("within 10 %", "first_reply_median", "60", 65.0, date(2026, 3, 10), ("at_risk", 65.0)),
        ("beyond 10 %", "first_reply_median", "60", 67.0, date(2026, 3, 10), ("off_track", 67.0)),
        (
            "ended and missed",
            "first_reply_median",
            "60",
            61.0,
            date(2026, 4, 2),
            ("off_track", 61.0),
        ),
        ("csat above", "csat", "90", 92.5, date(2026, 3, 10), ("on_track", 92.5)),
        ("csat 1 point under", "csat", "90", 89.0, date(2026, 3, 10), ("at_risk", 89.0)),
        # volumes extrapolate: 40 resolved in 10 of 31 days -> 124 by the end
        ("volume projected", "resolved", "120", 40, date(2026, 3, 10), ("on_track", 124.0)),
        ("volume short", "resolved", "150", 40, date(2026, 3, 10), ("off_track", 124.0)),
        ("no data", "csat", "90", None, date(2026, 3, 10), ("no_data", None)),
        ("not started", "csat", "90", None, date(2026, 2, 27), ("not_started", None)),
    ],
)
def test_goal_status_rule(_case, metric, target, value, today, expected):
    s = goal_status(
        metric=metric,
        target=Decimal(target),
        value=value,
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        today=today,
    )
    assert (s.status, s.projection) == expected


def test_director_sets_a_goal_through_the_form(director_client, team):
    response = director_client.post(
        "/kpis/goals/",
        {
            "metric": "first_reply_median",
            "team": team.pk,
            "hours": "business",
            "target": "60",
            **MARCH,
            "note": "Q1 push",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.metric, goal.team_id, goal.hours, goal.target, str(goal.period_end)) == (
        "first_reply_median",
        team.pk,
        "business",
        Decimal("60.00"),
        "2026-03-31",
    )


@pytest.mark.parametrize("persona", ["manager_client", "rep_client"])
def test_others_cannot_set_goals(request, persona, team):
    client = request.getfixturevalue(persona)
    response = client.post(
        "/kpis/goals/", {"metric": "csat", "hours": "business", "target": "90", **MARCH}
    )
    assert response.status_code == 403
    assert Goal.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "data", "field"),
    [
        ("percent over 100", {"metric": "csat", "target": "150"}, "target"),
        (
            "end before start",
            {"metric": "csat", "target": "90", "period_end": "2026-02-01"},
            "period_end",
        ),
        ("unknown metric", {"metric": "happiness", "target": "1"}, "metric"),
    ],
)
def test_invalid_goals_show_field_errors(director_client, _case, data, field):
    payload = {"hours": "business", **MARCH, **data}
    response = director_client.post("/kpis/goals/", payload)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert Goal.objects.count() == 0


@pytest.mark.postgres  # department-wide goals are unique by NULLS NOT DISTINCT (PostgreSQL)
def test_duplicate_goal_is_refused(director_client):
    payload = {"metric": "csat", "hours": "business", "target": "90", **MARCH}
    assert director_client.post("/kpis/goals/", payload).status_code == 302
    again = director_client.post("/kpis/goals/", payload)
    assert again.status_code == 422
    assert "already exists" in again.content.decode()


@time_machine.travel(NOW, tick=False)
def test_tile_shows_goal_status_with_real_values(
    team, other_team, rep, rep_other_team, director, director_client
):
    build(team, other_team, rep, rep_other_team)
    director_client.post(
        "/kpis/goals/",
        {
            "metric": "first_reply_median",
            "team": team.pk,
            "hours": "calendar",
            "target": "55",
            **MARCH,
        },
    )
    response = director_client.get(
        "/kpis/", {"preset": "custom", "start": "2026-03-02", "end": "2026-03-02", "team": team.pk}
    )
    tile = next(t for t in response.context["tiles"] if t.key == "first_reply_median")
    # Tier 1's median first reply to date is 60 min: 5 over a 55 target, within 10 % -> at risk
    assert (tile.goal_status.status, tile.goal_status.value, tile.goal_status.projection) == (
        "at_risk",
        60.0,
        60.0,
    )


@time_machine.travel(NOW, tick=False)
def test_goals_api_create_list_and_refusals(client_for, director, manager, team, other_team):
    d, m = client_for(director), client_for(manager)
    body = {"metric": "csat", "team": other_team.pk, "target": "90", **MARCH}
    created = d.post("/api/v1/goals/", body, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["status"] == "no_data"
    d.post("/api/v1/goals/", {**body, "team": team.pk}, content_type="application/json")
    refused = m.post("/api/v1/goals/", {**body, "target": "80"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"] == "not_allowed"
    # managers read their team's goals only
    listed = m.get("/api/v1/goals/").json()
    assert [(g["metric"], g["team"]) for g in listed["results"]] == [("csat", team.pk)]
    bad = d.post("/api/v1/goals/", {**body, "target": "101"}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["fields"] == {"target": ["A percentage target lies between 0 and 100."]}
    goal_id = created.json()["id"]
    assert m.delete(f"/api/v1/goals/{goal_id}/").status_code == 403
    assert (
        d.patch(
            f"/api/v1/goals/{goal_id}/", {"target": "85"}, content_type="application/json"
        ).json()["target"]
        == "85.00"
    )
    assert d.delete(f"/api/v1/goals/{goal_id}/").status_code == 204
    assert Goal.objects.count() == 1
