"""Skill rules in the API (issue 15): who reads and writes them, validation, the effect on
new tickets, and the audit history."""

from __future__ import annotations

import pytest

from tests.factories import make_ticket
from tests.tickets import routing_helpers as h
from tickets.models import TicketRouting
from tickets.routing.models import SkillRule

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _post(client, **body):
    return client.post("/api/v1/skill-rules/", body, content_type=JSON)


def test_a_manager_adds_a_rule_for_their_team_and_new_tickets_need_the_skill(
    team, manager, manager_client
):
    german = h.skill("German")
    response = _post(
        manager_client, name="German speakers", team=team.pk, language="de", skills=[german.pk]
    )
    assert response.status_code == 201
    assert response.json() == {
        "id": response.json()["id"], "name": "German speakers", "team": team.pk,
        "category": None, "language": "de", "channel": "", "priority": "",
        "organization": None, "skills": [german.pk], "active": True,
    }  # fmt: skip
    ticket = make_ticket(team, language="de")
    assert list(
        TicketRouting.objects.get(ticket=ticket).required_skills.values_list("name", flat=True)
    ) == ["German"]
    rule = SkillRule.objects.get()
    # its history: created, then its skills set (newest first)
    assert [h.history_type for h in rule.history.all()] == ["~", "+"]
    assert [s.skill_id for s in rule.history.first().skills.all()] == [german.pk]


def test_rules_for_other_teams_or_every_team_are_refused_to_a_manager(
    team, other_team, manager_client, director_client
):
    german = h.skill("German")
    theirs = _post(manager_client, name="X", team=other_team.pk, skills=[german.pk])
    everyone = _post(manager_client, name="Y", skills=[german.pk])
    assert (theirs.status_code, everyone.status_code) == (403, 403)
    assert everyone.json()["detail"] == "You do not manage this team's routing."
    assert _post(director_client, name="Y", skills=[german.pk]).status_code == 201


def test_bad_rules_are_refused_with_the_field(team, manager_client):
    no_skills = _post(manager_client, name="Empty", team=team.pk, skills=[])
    assert no_skills.status_code == 422
    assert no_skills.json()["fields"] == {"skills": ["Choose at least one skill."]}
    bad_channel = _post(
        manager_client, name="Fax", team=team.pk, channel="fax", skills=[h.skill("German").pk]
    )
    assert bad_channel.status_code == 400
    assert list(bad_channel.json()["fields"]) == ["channel"]
    assert SkillRule.objects.count() == 0


def test_reps_see_no_rules_and_managers_see_their_teams_and_global_ones(
    team, other_team, rep_client, manager_client
):
    german = h.skill("German")
    for name, t in (("Ours", team), ("Theirs", other_team), ("Everyone", None)):
        SkillRule.objects.create(name=name, team=t).skills.set([german])
    assert rep_client.get("/api/v1/skill-rules/").status_code == 403
    names = [r["name"] for r in manager_client.get("/api/v1/skill-rules/").json()["results"]]
    assert names == ["Everyone", "Ours"]
    everyone = SkillRule.objects.get(name="Everyone")
    refused = manager_client.patch(
        f"/api/v1/skill-rules/{everyone.pk}/", {"active": False}, content_type=JSON
    )
    assert refused.status_code == 403
    assert SkillRule.objects.get(pk=everyone.pk).active is True
    ours = SkillRule.objects.get(name="Ours")
    assert manager_client.delete(f"/api/v1/skill-rules/{ours.pk}/").status_code == 204
    assert not SkillRule.objects.filter(pk=ours.pk).exists()
