"""The routing page, settings form, availability and required skills through HTTP (pages and
API), with exact texts."""

from __future__ import annotations

import pytest

from tests.factories import make_ticket
from tests.tickets import routing_helpers as h
from tickets.models import Ticket
from tickets.routing.models import RoutingSettings, TicketRouting

pytestmark = pytest.mark.django_db


def test_routing_page_shows_load_skills_and_why_tickets_wait(team, manager, client_for):
    a, b = h.reps(team, 2)
    h.available(b, status="away")
    german = h.skill("German")
    h.holds(a, german)
    h.rule("German", h.skill("French"), language="fr")
    h.routed(team, "skills", capacity=4)
    make_ticket(team, priority="high")  # a: 2/4
    waiting = make_ticket(team, language="fr")

    page = client_for(manager).get("/tickets/routing/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Skills, then least loaded" in html
    assert "1 of 2 available" in html
    assert f"{a.get_full_name()}</td>" in html
    assert "2/4" in html
    assert f'data-waiting="{waiting.pk}"' in html
    assert "no one with skill French is available on shift" in html
    assert 'href="/tickets/routing/"' in html  # the nav link


def test_settings_form_saves_and_keeps_history(team, other_team, manager, client_for):
    client = client_for(manager)
    response = client.post(
        f"/tickets/routing/teams/{team.pk}/",
        {
            "mode": "round_robin",
            "capacity": 5,
            "overflow_team": other_team.pk,
            "overflow_after_minutes": 15,
            "off_shift_grace_minutes": 30,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Routing of Tier 1: Round-robin." in response.content.decode()
    conf = RoutingSettings.objects.get(team=team)
    assert (
        conf.mode,
        conf.capacity,
        conf.overflow_team_id,
        conf.overflow_after_minutes,
        conf.off_shift_grace_minutes,
    ) == ("round_robin", 5, other_team.pk, 15, 30)
    assert conf.history.first().history_user_id == manager.pk


def test_settings_form_refuses_overflow_to_itself(team, manager, client_for):
    response = client_for(manager).post(
        f"/tickets/routing/teams/{team.pk}/",
        {
            "mode": "round_robin",
            "capacity": 5,
            "overflow_team": team.pk,
            "overflow_after_minutes": 15,
        },
    )
    assert response.status_code == 422
    assert "A team cannot overflow to itself." in response.content.decode()


def test_rep_sets_away_from_home_and_stops_receiving_tickets(team, rep, rep2, client_for):
    h.available(rep, rep2)
    h.routed(team, "round_robin")
    client = client_for(rep)
    home = client.get("/").content.decode()
    assert 'id="my-availability"' in home
    assert ">available<" in home

    response = client.post(
        "/tickets/routing/availability/", {"status": "away", "next": "/"}, follow=True
    )

    assert "You are away." in response.content.decode()
    assert {make_ticket(team).assignee_id for _ in range(3)} == {rep2.pk}


def test_workspace_shows_and_edits_required_skills(team, rep, client_for):
    german = h.skill("German")
    h.rule("German", german, language="de")
    ticket = make_ticket(team, language="de")
    client = client_for(rep)
    html = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'id="required-skills"' in html
    assert '<span class="badge">German</span>' in html

    french = h.skill("French")
    client.post(f"/tickets/{ticket.pk}/required-skills/", {"skills": [french.pk], "language": "fr"})

    row = TicketRouting.objects.get(ticket=ticket)
    assert (row.language, list(row.required_skills.all())) == ("fr", [french])


def test_api_availability_settings_and_skills(team, rep, manager, client_for):
    rep_api, manager_api = client_for(rep), client_for(manager)
    h.routed(team, "least_loaded")
    put = rep_api.put(
        "/api/v1/availability/", {"status": "available"}, content_type="application/json"
    )
    assert put.json() == {"status": "available", "returned": 0, "assigned": 0}
    assert rep_api.get("/api/v1/availability/").json() == {"status": "available"}
    bad = rep_api.put(
        "/api/v1/availability/", {"status": "asleep"}, content_type="application/json"
    )
    assert bad.status_code == 400

    patch = manager_api.patch(
        f"/api/v1/routing-settings/{team.pk}/", {"capacity": 0}, content_type="application/json"
    )
    assert patch.status_code == 400
    patch = manager_api.patch(
        f"/api/v1/routing-settings/{team.pk}/", {"mode": "skills"}, content_type="application/json"
    )
    assert patch.json()["mode"] == "skills"
    assert patch.json()["off_shift_grace_minutes"] == 15  # the default
    grace = manager_api.patch(
        f"/api/v1/routing-settings/{team.pk}/",
        {"off_shift_grace_minutes": 0},
        content_type="application/json",
    )
    assert (grace.status_code, grace.json()["off_shift_grace_minutes"]) == (200, 0)
    too_long = manager_api.patch(
        f"/api/v1/routing-settings/{team.pk}/",
        {"off_shift_grace_minutes": 24 * 60 + 1},
        content_type="application/json",
    )
    assert too_long.status_code == 400
    assert list(too_long.json()["fields"]) == ["off_shift_grace_minutes"]
    refused = rep_api.patch(
        f"/api/v1/routing-settings/{team.pk}/",
        {"off_shift_grace_minutes": 60},
        content_type="application/json",
    )
    assert refused.status_code in (403, 404)
    assert RoutingSettings.objects.get(team=team).off_shift_grace_minutes == 0

    skill = manager_api.post(
        "/api/v1/skills/", {"kind": "language", "name": "German"}, content_type="application/json"
    )
    assert skill.status_code == 201
    granted = manager_api.post(
        "/api/v1/person-skills/",
        {"user": rep.pk, "skill": skill.json()["id"], "level": 4},
        content_type="application/json",
    )
    assert granted.status_code == 201
    assert granted.json()["valid"] is True
    assert granted.json()["level"] == 4
    mine = rep_api.get("/api/v1/person-skills/").json()["results"]
    assert [s["skill_name"] for s in mine] == ["German"]
    refused = rep_api.post(
        "/api/v1/skills/", {"kind": "language", "name": "Dutch"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert Ticket.objects.count() == 0
