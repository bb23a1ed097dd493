"""Pages show people by their names, stored values by their labels and durations in one
format (issue 18 §3): escalations board, queue filter, KPI dashboard and drill-down, SLA
policy page, policy history and acknowledgment coverage."""

from __future__ import annotations

import html
import re

import pytest
import time_machine
from django.utils import timezone

from csops.roles import Role
from tests.factories import UserFactory, make_ticket
from tests.kpis.dashboard_data import build
from tests.kpis.engine_helpers import at
from tests.policies.documents_helpers import published
from tests.policies.sla_builders import make_policy
from tickets.models import EscalationRule
from tickets.services import escalations

pytestmark = pytest.mark.django_db

NOW = "2026-03-02T12:00:00+00:00"
DAY = {"preset": "custom", "start": "2026-03-02", "end": "2026-03-02"}
NAMES = {
    "rita": ("Rita", "Reyes"),
    "ralph": ("Ralph", "Ruiz"),
    "otto": ("Otto", "Olsen"),
    "maria": ("Maria", "Moreno"),
    "diane": ("Diane", "Dunn"),
}


@pytest.fixture(autouse=True)
def _named(db, request):
    """Every persona the test uses gets a known full name."""

    def name(user):
        user.first_name, user.last_name = NAMES[user.username]
        user.save(update_fields=["first_name", "last_name"])

    request.node.name_persona = name
    return name


@pytest.fixture
def people(_named, rep, rep2, rep_other_team, manager, director):
    for user in (rep, rep2, rep_other_team, manager, director):
        _named(user)
    return {u.username: u for u in (rep, rep2, rep_other_team, manager, director)}


def text_of(response) -> str:
    """What a person reads: the page without tags, attributes and scripts."""
    body = response.content.decode()
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def assert_no_usernames(text: str) -> None:
    shown = [u for u in NAMES if re.search(rf"\b{u}\b", text)]
    assert shown == [], f"usernames shown: {shown}"


def options(response, name: str) -> list[str]:
    body = response.content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S)
    assert select, f"no <select name={name}>"
    return [html.unescape(o).strip() for o in re.findall(r"<option[^>]*>(.*?)</option>", select[1])]


# --- Escalations board ---------------------------------------------------------------------


def test_escalations_board_names_raiser_and_owner_and_labels_the_sort(
    people, manager_client, rep, manager, team
):
    # given an escalation raised by Rita and accepted by Maria, and an open one
    accepted = escalations.escalate(
        make_ticket(team).pk, by=rep, target="manager", category="legal", reason="Threat to sue"
    )
    escalations.accept(accepted.pk, by=manager)
    escalations.escalate(
        make_ticket(team).pk, by=rep, target="manager", category="technical", reason="Error 500"
    )
    # when Maria opens the board
    response = manager_client.get("/tickets/escalations/")
    # then people are named, the sort field is labelled and durations read in one format
    assert response.status_code == 200
    text = text_of(response)
    row = text_of(manager_client.get("/tickets/escalations/", {"owner": manager.pk}))
    assert "Rita Reyes" in row
    assert "Maria Moreno" in row
    assert_no_usernames(text)
    assert "[invalid name]" not in response.content.decode()
    assert '<label for="id_sort">Sort by</label>' in response.content.decode()
    assert options(response, "owner") == ["Anyone", "Maria Moreno"]
    accept = re.search(r'data-metric="accept">([^<]*)<', response.content.decode())[1]
    assert html.unescape(accept) in ("< 1 min", "0 min")  # the board rounds to minutes
    ages = re.findall(r'<td data-label="Age" title="[^"]*">([^<]*)</td>', response.content.decode())
    assert [html.unescape(a) for a in ages] == ["< 1 min", "< 1 min"]


def test_escalations_board_sorts_by_owner_name_not_username(
    people, manager_client, rep, manager, team
):
    # given two owners whose usernames sort the other way round from their names
    anna = UserFactory(username="zz_boss", first_name="Anna", last_name="Abbott", role=Role.MANAGER)
    team.managers.add(anna)
    for owner in (manager, anna):
        e = escalations.escalate(
            make_ticket(team).pk, by=rep, target="manager", category="legal", reason="Threat"
        )
        escalations.accept(e.pk, by=owner)
    # when the board is sorted by owner
    response = manager_client.get("/tickets/escalations/", {"sort": "owner"})
    # then Anna Abbott comes before Maria Moreno
    assert response.status_code == 200
    owners = [e.owner for e in response.context["escalations"]]
    assert owners == [anna, manager]
    assert options(response, "owner") == ["Anyone", "Anna Abbott", "Maria Moreno"]


# --- Queue ---------------------------------------------------------------------------------


def test_queue_assignee_filter_lists_names_in_name_order(people, manager_client, rep, team):
    make_ticket(team)
    response = manager_client.get("/tickets/")
    assert response.status_code == 200
    names = [o for o in options(response, "assignee") if o != "---------"]
    assert names == ["Maria Moreno", "Ralph Ruiz", "Rita Reyes"]
    updated = re.findall(r'<td data-label="Updated"[^>]*>([^<]*)</td>', response.content.decode())
    assert [html.unescape(u) for u in updated] == ["< 1 min ago"]


# --- KPI dashboard and drill-down ----------------------------------------------------------


@pytest.fixture
def kpi_data(people, team, other_team, rep, rep_other_team, director):
    at(
        "2026-03-01T00:00:00+00:00",
        lambda: make_policy(
            director, spec={"normal": {"first_reply": 60, "requester_wait": 240, "agent_work": 120}}
        ),
    )
    return build(team, other_team, rep, rep_other_team)


@time_machine.travel(NOW, tick=False)
def test_dashboard_shows_metric_labels_and_one_duration_format(kpi_data, director_client):
    response = director_client.get("/kpis/", DAY)
    assert response.status_code == 200
    body = response.content.decode()
    sla = re.search(r'<table class="table" id="sla-table">(.*?)</table>', body, re.S)[1]
    metrics = re.findall(r"<tr><td><a [^>]*>([^<]*)</a>", sla)
    assert metrics
    assert set(metrics) == {
        "First reply",
        "Next reply",
        "Periodic update",
        "Requester wait",
        "Agent work",
    }
    for key in ("first_reply", "next_reply", "periodic_update", "requester_wait", "agent_work"):
        assert f">{key}<" not in body
    # first reply: median 30 min, p90 78 min, mean 130/3 min
    tile = re.search(r'id="tile-first_reply_median".*?</a>', body, re.S)[0]
    assert '<strong class="tile-value">30 min</strong>' in tile
    assert "p90: 1.3 h" in tile
    assert "mean: 43 min" in tile
    assert "Under 1 day" in text_of(response)


@time_machine.travel(NOW, tick=False)
def test_per_agent_table_names_people_and_puts_unassigned_last(kpi_data, director_client, team):
    # given ticket C's tickets created without an assignee (the "created" row of no agent)
    response = director_client.get("/kpis/table/agent/", DAY)
    assert response.status_code == 200
    names = [r["name"] for r in response.context["table"]["rows"]]
    assert names[-1] == "Unassigned"
    assert names[:-1] == sorted(names[:-1], key=str.lower)
    assert {"Rita Reyes", "Otto Olsen"} <= set(names)
    text = text_of(response)
    assert_no_usernames(text)
    assert "unassigned" not in text
    assert "1 h" in text  # Rita's median first reply: 30 and 90 min


@time_machine.travel(NOW, tick=False)
def test_drilldown_shows_labels_not_stored_values(kpi_data, director_client, rep, team):
    response = director_client.get(
        "/kpis/drill/",
        {**DAY, "metric": "first_reply_median", "team": team.pk, "agent": rep.pk,
         "channel": "web", "priority": "normal"},
    )  # fmt: skip
    assert response.status_code == 200
    text = " ".join(text_of(response).split())
    assert f"Team {team.name} · Agent Rita Reyes · Web form · Normal priority" in text
    everyone = director_client.get("/kpis/drill/", {**DAY, "metric": "created"})
    cells = re.findall(r"<td>([^<]*)</td>", everyone.content.decode())
    assert {"Solved", "Open"} <= set(cells)
    assert "Email" in cells
    assert not {"solved", "open", "new", "email", "web"} & set(cells)
    first = director_client.get("/kpis/drill/", {**DAY, "metric": "first_reply_median"})
    durations = re.findall(r'<td class="num">([^<]*)</td>', first.content.decode())
    assert {"10 min", "30 min", "1.5 h"} <= set(durations)


@time_machine.travel(NOW, tick=False)
def test_agent_csv_names_people_and_units_in_the_header(kpi_data, director_client, rep):
    lines = director_client.get("/kpis/export/agents.csv", DAY).content.decode().splitlines()
    assert lines[0].startswith("agent,agent_id,Tickets created,Tickets resolved,")
    assert "First reply (median) [minutes]" in lines[0]
    assert any(line.startswith(f"Rita Reyes,{rep.pk},") for line in lines)
    assert lines[-1].startswith("Unassigned,,")
    sla = director_client.get("/kpis/export/sla.csv", DAY).content.decode().splitlines()
    assert sla[0] == "sla_metric,achieved,breached,attainment_pct,previous_attainment_pct"


# --- Policies ------------------------------------------------------------------------------


def test_sla_policy_page_shows_targets_in_the_duration_format(people, director, director_client):
    version = make_policy(
        director, spec={"normal": {"first_reply": 45, "requester_wait": 4800}}, priorities=["high"]
    )
    response = director_client.get(f"/policies/sla/{version.policy_id}/")
    assert response.status_code == 200
    text = " ".join(text_of(response).split())
    assert "45 min (calendar hours)" in text
    assert "3.3 d (calendar hours)" in text
    assert "4800 min" not in text
    assert "by Diane Dunn" in text
    assert "Priorities High" in text
    assert_no_usernames(text)


def test_policy_history_and_coverage_name_people(
    people, manager, director, team, rep, rep2, manager_client
):
    version = published(manager, director, ack_required=True, ack_teams=[team])
    history = manager_client.get(f"/policies/versions/{version.pk}/")
    assert history.status_code == 200
    text = " ".join(text_of(history).split())
    assert "by Maria Moreno" in text
    assert "by Diane Dunn" in text
    assert_no_usernames(text)
    detail = manager_client.get(f"/policies/documents/{version.document_id}/")
    assert_no_usernames(text_of(detail))
    coverage = manager_client.get(f"/policies/versions/{version.pk}/coverage/")
    assert coverage.status_code == 200
    text = text_of(coverage)
    assert "Rita Reyes" in text
    assert "Ralph Ruiz" in text
    assert_no_usernames(text)


def test_document_form_lists_owners_and_approvers_by_name(people, manager, director_client):
    version = published(manager, people["diane"])
    response = director_client.get(f"/policies/documents/{version.document_id}/edit/")
    assert response.status_code == 200
    assert "Maria Moreno" in options(response, "owner")
    assert "Diane Dunn" in options(response, "approver")
    assert not set(NAMES) & set(options(response, "owner") + options(response, "approver"))


@time_machine.travel(NOW, tick=False)
def test_goals_page_shows_targets_values_and_projections_formatted(kpi_data, director_client, team):
    # given a goal on Tier 1's median first reply (60 min to date: 30 and 90)
    goal = {"metric": "first_reply_median", "team": team.pk, "hours": "calendar", "target": "90"}
    period = {"period_start": "2026-03-01", "period_end": "2026-03-31"}
    assert director_client.post("/kpis/goals/", {**goal, **period}).status_code == 302
    # when the director reads the goals page
    response = director_client.get("/kpis/goals/")
    # then target, value to date and projection read as durations
    row = re.search(r'<tr id="goal-\d+">(.*?)</tr>', response.content.decode(), re.S)[1]
    cells = [c.strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
    assert (cells[2], cells[4], cells[5]) == ("≤ 1.5 h", "1 h", "1 h")


def test_escalation_rules_name_the_sla_metric_and_the_wait(director_client):
    now = timezone.now()
    EscalationRule.objects.create(
        name="Late first reply",
        trigger="sla_at_risk",
        metric="first_reply",
        minutes=90,
        created_at=now,
        updated_at=now,
    )
    response = director_client.get("/tickets/escalations/rules/")
    assert response.status_code == 200
    text = " ".join(text_of(response).split())
    assert "[First reply]" in text
    assert "[first_reply]" not in text
    assert "(1.5 h)" in text


def test_policy_list_owner_filter_and_rule_form_list_people_by_name(
    people, manager, director, director_client
):
    published(manager, director)
    documents = director_client.get("/policies/documents/")
    assert options(documents, "owner")[1:] == ["Maria Moreno"]
    rules = director_client.get("/tickets/escalations/rules/")
    reassign = options(rules, "reassign_user")
    assert {"Maria Moreno", "Rita Reyes", "Diane Dunn"} <= set(reassign)
    assert not set(NAMES) & set(reassign)


def test_admin_lists_and_drop_downs_show_name_and_username(
    people, manager, director, admin_user, client_for
):
    version = published(manager, director)
    admin = client_for(admin_user)
    listing = admin.get("/admin/policies/policydocument/").content.decode()
    assert '<td class="field-owner_person">Maria Moreno (maria)</td>' in listing
    assert '<td class="field-approver_person">' in listing
    change = admin.get(f"/admin/policies/policydocument/{version.document_id}/change/")
    assert change.status_code == 200
    assert "Maria Moreno (maria)" in options(change, "owner")


def test_refused_dashboard_filters_are_named_by_their_labels(director_client, team):
    response = director_client.get("/kpis/", {"preset": "custom", "start": "soon", "team": 99999})
    assert response.status_code == 422
    items = re.findall(r"<li>([^<]*)</li>", response.content.decode().split("invalid-filter")[1])
    assert [i.split(":")[0] for i in items] == ["Start", "Team"]
    drill = director_client.get(
        "/kpis/drill/", {"metric": "created", "preset": "custom", "start": "soon"}
    )
    assert drill.status_code == 422
    items = re.findall(r"<li>([^<]*)</li>", drill.content.decode().split("invalid-filter")[1])
    assert [i.split(":")[0] for i in items] == ["Start"]
