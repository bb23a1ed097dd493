"""Dashboard pages through the real selectors, on the hand-worked dataset of dashboard_data."""

from __future__ import annotations

import pytest
import time_machine

from tests.kpis.dashboard_data import build

pytestmark = pytest.mark.django_db

NOW = "2026-03-02T12:00:00+00:00"
DAY = {"preset": "custom", "start": "2026-03-02", "end": "2026-03-02"}


@pytest.fixture
def data(team, other_team, rep, rep_other_team):
    return build(team, other_team, rep, rep_other_team)


def _tiles(response) -> dict:
    """Every summary value the page was rendered with (tiles show median, p90 and mean)."""
    return {k: (t.value, t.previous, t.count) for k, t in response.context["summary"].tiles.items()}


@time_machine.travel(NOW, tick=False)
def test_director_sees_every_team_with_exact_values(data, director_client):
    response = director_client.get("/kpis/", DAY)
    assert response.status_code == 200
    tiles = _tiles(response)
    assert tiles["created"] == (3, 0, None)
    assert tiles["resolved"] == (1, 0, None)
    assert tiles["first_reply_median"] == (30.0, None, 3)
    assert tiles["first_reply_p90"] == pytest.approx((78.0, None, 3))
    assert tiles["first_reply_mean"][0] == pytest.approx(130 / 3)
    assert tiles["backlog"][0] == 2
    shown = {t.key: t for t in response.context["tiles"]}
    assert shown["first_reply_median"].details == (
        ("p90", pytest.approx(78.0)),
        ("mean", pytest.approx(130 / 3)),
    )


@time_machine.travel(NOW, tick=False)
def test_team_filter_narrows_to_tier_1(data, director_client, team):
    response = director_client.get("/kpis/", {**DAY, "team": team.pk})
    tiles = _tiles(response)
    assert tiles["created"][0] == 2
    assert tiles["first_reply_median"][0] == 60.0
    assert tiles["first_reply_p90"][0] == pytest.approx(84.0)


@time_machine.travel(NOW, tick=False)
def test_manager_sees_only_their_team(data, manager_client, other_team):
    response = manager_client.get("/kpis/", DAY)
    assert response.status_code == 200
    assert _tiles(response)["created"][0] == 2
    assert _tiles(response)["first_reply_median"][0] == 60.0
    # and asking for another team is refused
    refused = manager_client.get("/kpis/", {**DAY, "team": other_team.pk})
    assert refused.status_code in (403, 422)


@time_machine.travel(NOW, tick=False)
def test_rep_has_no_dashboard(data, rep_client):
    assert rep_client.get("/kpis/").status_code == 403
    assert rep_client.get("/kpis/export/tickets.csv").status_code == 403


@time_machine.travel(NOW, tick=False)
def test_htmx_filter_returns_the_body_partial(data, director_client, team):
    response = director_client.get("/kpis/", {**DAY, "team": team.pk}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="dashboard-body"')
    assert "<html" not in html


@time_machine.travel(NOW, tick=False)
def test_drill_from_first_reply_tile_lists_its_tickets(data, director_client, team):
    response = director_client.get(
        "/kpis/drill/", {**DAY, "team": team.pk, "metric": "first_reply_median"}
    )
    assert response.status_code == 200
    rows = [(r["ticket"].pk, r["first_reply"]) for r in response.context["rows"]]
    assert rows == [(data["a"].pk, 30.0), (data["b"].pk, 90.0)]
    assert response.context["total"] == 2


@time_machine.travel(NOW, tick=False)
def test_drill_by_chart_bucket_and_unknown_metric(data, director_client):
    bar = director_client.get("/kpis/drill/", {**DAY, "metric": "created", "bucket": "2026-03-02"})
    assert bar.context["total"] == 3
    bad = director_client.get("/kpis/drill/", {**DAY, "metric": "nope"})
    assert bad.status_code == 422


@time_machine.travel(NOW, tick=False)
def test_team_table_csv(data, director_client, team, other_team):
    response = director_client.get("/kpis/export/teams.csv", DAY)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        "team,team_id,Tickets created,Tickets resolved,First reply (median) [minutes],"
        "Full resolution (median) [minutes],SLA attainment [%],FCR [%],One-touch [%],"
        "Reopen rate [%]"
    )
    assert sorted(lines[1:]) == [
        f"Billing,{other_team.pk},1,,10.00,,,,,",
        f"Tier 1,{team.pk},2,1,60.00,60.00,,100.00,100.00,0.00",
    ]


@time_machine.travel(NOW, tick=False)
def test_row_level_export_streams_one_row_per_ticket(data, director_client, team):
    response = director_client.get("/kpis/export/tickets.csv", {**DAY, "team": team.pk})
    assert response.streaming
    lines = b"".join(response.streaming_content).decode().splitlines()
    header = lines[0].split(",")
    assert header[:4] == ["ticket", "subject", "status", "channel"]
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    assert [
        (r["ticket"], r["first_reply_minutes"], r["full_resolution_minutes"]) for r in rows
    ] == [
        (str(data["a"].pk), "30.00", "60.00"),
        (str(data["b"].pk), "90.00", ""),
    ]


def test_freshness_and_tile_definitions_are_shown(data, director_client):
    # right after the engine caught up: "as of 0 s ago", no warning
    with time_machine.travel(NOW, tick=False):
        html = director_client.get("/kpis/", DAY).content.decode()
    assert "As of <time" in html
    assert "0 s ago" in html
    assert "data-warning" not in html
    assert "100 × positive ÷ rated" in html  # the CSAT definition on hover
    # ten minutes without any worker sign of life: the warning shows
    with time_machine.travel("2026-03-02T12:10:00+00:00", tick=False):
        later = director_client.get("/kpis/freshness/").content.decode()
    assert 'data-warning="workers-down"' in later
    assert "The KPI workers are down" in later


def _answer(ticket, rating: int, comment: str, instant: str) -> None:
    from tickets.services import surveys

    with time_machine.travel(instant, tick=False):
        invitation = surveys.invite_for_solve(ticket.pk) or ticket.survey_invitations.first()
        surveys.submit_response(invitation, rating=rating, comment=comment)


def test_csat_tile_counts_the_latest_answer(data, director_client):
    _answer(data["a"], 2, "Slow", "2026-03-02T11:00:00+00:00")
    with time_machine.travel(NOW, tick=False):
        assert _tiles(director_client.get("/kpis/", DAY))["csat"] == (0.0, None, 1)
    _answer(data["a"], 5, "Sorted", "2026-03-02T11:30:00+00:00")
    with time_machine.travel(NOW, tick=False):
        assert _tiles(director_client.get("/kpis/", DAY))["csat"] == (100.0, None, 1)
        drill = director_client.get("/kpis/drill/", {**DAY, "metric": "csat"})
    assert [r["ticket"].pk for r in drill.context["rows"]] == [data["a"].pk]


def test_voice_of_the_customer_is_scoped_and_filterable(
    data, manager_client, director_client, rep_other_team
):
    from tickets import services

    at_ = "2026-03-02T13:00:00+00:00"
    with time_machine.travel(at_, tick=False):
        services.update_ticket(
            data["c"].pk, by=rep_other_team, expected_version=None, status="solved"
        )
    _answer(data["a"], 2, "Took ages", "2026-03-02T14:00:00+00:00")
    _answer(data["c"], 5, "Great billing help", "2026-03-02T14:10:00+00:00")
    with time_machine.travel("2026-03-02T15:00:00+00:00", tick=False):
        mine = manager_client.get("/kpis/voice/", {**DAY, "with_comment": "on"})
        everyone = director_client.get("/kpis/voice/", {**DAY, "with_comment": "on"})
        negative = director_client.get("/kpis/voice/", {**DAY, "sentiment": "negative"})
    assert [r.comment for r in mine.context["page"]] == ["Took ages"]
    assert [r.comment for r in everyone.context["page"]] == ["Great billing help", "Took ages"]
    assert [r.ticket_id for r in negative.context["page"]] == [data["a"].pk]
    assert f"/tickets/{data['a'].pk}/" in mine.content.decode()


def test_rebuild_button_queues_a_job_and_shows_progress(director_client, manager_client):
    from kpis.models import RebuildJob

    assert manager_client.post("/kpis/rebuild/", HTTP_HX_REQUEST="true").status_code == 403
    response = director_client.post("/kpis/rebuild/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="rebuild-progress"' in html
    assert 'hx-trigger="every 1s"' in html
    job = RebuildJob.objects.get()
    assert (job.state, job.requested_by.username) == ("queued", "diane")
    again = director_client.post("/kpis/rebuild/", HTTP_HX_REQUEST="true")
    assert again.status_code == 409
    assert "already running" in again.content.decode()
    RebuildJob.objects.filter(pk=job.pk).update(state="done", total=3, done=3)
    progress = director_client.get("/kpis/rebuild/progress/").content.decode()
    assert "Last rebuild: done" in progress
    assert 'id="rebuild-button"' in progress


# PostgreSQL computes the percentiles in SQL; SQLite reads the values (more queries).
@pytest.mark.postgres
@time_machine.travel(NOW, tick=False)
def test_dashboard_query_count_does_not_grow_with_tickets(
    data, director_client, team, django_assert_max_num_queries
):
    # 40 measured with 3 tickets (session, summary of two periods, 5 series, goals, markers,
    # freshness; each located percentile is 5 statements in its own snapshot); none of them
    # is per ticket or per row. The team and agent tables load apart.
    with django_assert_max_num_queries(42):
        response = director_client.get("/kpis/", DAY)
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        response = director_client.get("/kpis/table/agent/", DAY)
    assert response.status_code == 200


@time_machine.travel(NOW, tick=False)
def test_agent_table_loads_after_the_page(data, director_client, rep_client):
    page = director_client.get("/kpis/", DAY).content.decode()
    assert 'hx-get="/kpis/table/agent/?' in page
    assert 'hx-get="/kpis/table/team/?' in page
    teams = director_client.get("/kpis/table/team/", DAY).context["table"]
    assert {row["name"] for row in teams["rows"]} == {"Tier 1", "Billing"}
    html = director_client.get("/kpis/table/agent/", DAY).content.decode()
    assert 'id="table-agent"' in html
    # rita: A (30 min) and B (90 min) -> median 60; otto: C (10 min)
    table = director_client.get("/kpis/table/agent/", DAY).context["table"]
    medians = [row["cells"].get("first_reply_median") for row in table["rows"]]
    assert sorted(p.value for p in medians if p is not None) == [10, 60]
    assert director_client.get("/kpis/table/nobody/", DAY).status_code == 422
    assert rep_client.get("/kpis/table/agent/", DAY).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_drill_from_backlog_age_bucket(data, director_client):
    # B and C are unresolved, created 3 h before now: both in the [0, 1d) bucket
    html = director_client.get("/kpis/", DAY).content.decode()
    assert "metric=backlog&amp;bucket=0-1d" in html
    young = director_client.get("/kpis/drill/", {**DAY, "metric": "backlog", "bucket": "0-1d"})
    old = director_client.get("/kpis/drill/", {**DAY, "metric": "backlog", "bucket": "30d+"})
    assert [r["ticket"].pk for r in young.context["rows"]] == [data["b"].pk, data["c"].pk]
    assert old.context["total"] == 0


@time_machine.travel(NOW, tick=False)
def test_trend_markers_for_policy_versions_and_training(
    data, director_client, manager_client, director, rep, rep_other_team, team, other_team
):
    from datetime import datetime

    from policies.models import PolicyDocument, PolicyVersion
    from staffing.models import Course, TrainingRecord

    at = datetime.fromisoformat("2026-03-02T08:00:00+00:00")
    doc = PolicyDocument.objects.create(
        title="Refund policy", owner=director, created_at=at, updated_at=at
    )
    PolicyVersion.objects.create(
        document=doc,
        number=2,
        state="published",
        body="Refund within 30 days.",
        effective_date=at.date(),
        author=director,
        created_at=at,
        updated_at=at,
        published_at=at,
    )
    course = Course.objects.create(title="Empathy 101")
    for user, t in ((rep, team), (rep_other_team, other_team)):
        TrainingRecord.objects.create(
            course=course, user=user, team=t, assigned_at=at, completed_on=at.date()
        )
    director_markers = director_client.get("/kpis/", DAY).context["markers"]
    manager_markers = manager_client.get("/kpis/", DAY).context["markers"]
    assert director_markers == [
        {"day": "2026-03-02", "kind": "policy", "label": "Refund policy v2"},
        {"day": "2026-03-02", "kind": "training", "label": "Empathy 101: 2 completed"},
    ]
    assert manager_markers[1] == {
        "day": "2026-03-02",
        "kind": "training",
        "label": "Empathy 101: 1 completed",
    }


@time_machine.travel(NOW, tick=False)
def test_tiles_backlog_and_series_csv(data, director_client, team):
    params = {**DAY, "team": team.pk}
    tiles = director_client.get("/kpis/export/tiles.csv", params).content.decode().splitlines()
    assert tiles[0] == (
        "metric,label,unit,value,previous,change,count,goal_target,goal_status,goal_projection"
    )
    assert tiles[1] == "created,Tickets created,count,2,0,2,,,,"
    assert "first_reply_median,First reply (median),minutes,60.00,,,2,,," in tiles
    backlog = director_client.get("/kpis/export/backlog.csv", params).content.decode()
    assert backlog.splitlines()[:2] == ["age_bucket,tickets", "0-1d,1"]
    assert "total,1" in backlog.splitlines()
    series = director_client.get("/kpis/export/series.csv", params).content.decode()
    assert series.splitlines() == [
        "bucket,created,resolved,backlog,first_reply_median_minutes,full_resolution_median_minutes",
        "2026-03-02,2,1,1,60.00,60.00",  # backlog today: the live backlog (B)
    ]
    assert director_client.get("/kpis/export/nope.csv", params).status_code == 422


@time_machine.travel(NOW, tick=False)
def test_every_tile_links_to_a_working_drilldown(data, director_client):
    page = director_client.get("/kpis/", DAY)
    for tile in page.context["tiles"]:
        response = director_client.get("/kpis/drill/", {**DAY, "metric": tile.key})
        assert response.status_code == 200, tile.key


@time_machine.travel(NOW, tick=False)
def test_agent_filter_accepts_an_agent_in_scope_and_unassigned(data, director_client, rep):
    mine = director_client.get("/kpis/", {**DAY, "agent": rep.pk})
    assert mine.status_code == 200
    assert mine.context["f"].agent == rep.pk
    assert director_client.get("/kpis/", {**DAY, "agent": "unassigned"}).status_code == 200
    assert director_client.get("/kpis/", {**DAY, "agent": "999999"}).status_code == 422
