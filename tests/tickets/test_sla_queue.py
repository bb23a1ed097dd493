"""The queue sorts by "next SLA due", filters at-risk and breached tickets, shows badges, and
the workspace shows each target with its countdown and audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.factories import make_ticket
from tests.policies.sla_builders import make_policy
from tickets import services

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def three_tickets(director, rep, team):
    """Due +60 (normal), +20 (high), and one with its first reply already given."""
    with time_machine.travel(T0, tick=False):
        make_policy(director, spec={"normal": {"first_reply": 60}, "high": {"first_reply": 20}})
        normal = make_ticket(team, subject="Normal one")
        high = make_ticket(team, subject="High one", priority="high")
        answered = make_ticket(team, subject="Answered one")
    with time_machine.travel(at(5), tick=False):
        services.reply(answered.pk, by=rep, body="Done.")
    return normal, high, answered


def subjects(response) -> list[str]:
    return [t.subject for t in response.context["page"].tickets]


def test_queue_sorts_by_next_sla_due_with_no_due_last(rep_client, three_tickets):
    with time_machine.travel(at(10), tick=False):
        response = rep_client.get("/tickets/", {"view": "teams", "sort": "next_sla_due_at"})
    assert response.status_code == 200
    assert subjects(response) == ["High one", "Normal one", "Answered one"]


@pytest.mark.parametrize(
    ("_case", "minutes", "sla", "expected"),
    [
        ("nothing at risk yet", 10, "at_risk", []),
        ("high at risk from +15", 16, "at_risk", ["High one"]),
        ("high breached at +20", 21, "breached", ["High one"]),
        ("normal at risk from +45", 46, "at_risk", ["Normal one"]),
        ("both breached", 61, "breached", ["High one", "Normal one"]),
    ],
)
def test_queue_filters_at_risk_and_breached(
    rep_client, three_tickets, _case, minutes, sla, expected
):
    with time_machine.travel(at(minutes), tick=False):
        response = rep_client.get(
            "/tickets/", {"view": "teams", "sla": sla, "sort": "next_sla_due_at"}
        )
    assert subjects(response) == expected


def test_queue_rows_show_sla_badges(rep_client, three_tickets):
    with time_machine.travel(at(50), tick=False):
        html = rep_client.get(
            "/tickets/", {"view": "teams", "sort": "next_sla_due_at"}
        ).content.decode()
    assert html.count('data-sla="breached"') == 1
    assert html.count('data-sla="at_risk"') == 1


def test_unknown_sla_filter_is_a_400_not_a_500(rep_client, three_tickets):
    response = rep_client.get("/tickets/", {"sla": "sometimes"})
    assert response.status_code == 400
    assert b'data-error="invalid-filter"' in response.content


def test_workspace_shows_targets_countdown_and_trail(rep_client, rep, three_tickets):
    normal, _, answered = three_tickets
    with time_machine.travel(at(50), tick=False):
        response = rep_client.get(f"/tickets/{normal.pk}/")
    panel = response.context["sla"]
    assert [(t.metric, t.state, t.at_risk, t.countdown) for t in panel.targets] == [
        ("first_reply", "active", True, "10 min 00 s left")
    ]
    html = response.content.decode()
    assert 'data-sla-due="1772445600"' in html  # 10:00Z, Unix seconds for sla.js
    assert "static/js/sla.js" in html
    assert "Standard v1" in html
    # a met target shows its state and its start/stop trail
    with time_machine.travel(at(50), tick=False):
        panel = rep_client.get(f"/tickets/{answered.pk}/").context["sla"]
    target = panel.targets[0]
    assert (target.state, target.due_at, target.countdown) == ("met", None, "")
    assert [(e.action, e.reason) for e in target.trail] == [
        ("start", "created"),
        ("stop", "agent reply"),
    ]


def test_api_lists_a_tickets_sla_instances(client_for, rep, three_tickets):
    _, high, _ = three_tickets
    with time_machine.travel(at(25), tick=False):
        response = client_for(rep).get(f"/api/v1/tickets/{high.pk}/sla/")
    assert response.status_code == 200
    body = response.json()
    assert body["policy"] == "Standard v1"
    assert body["next_sla_due_at"] == "2026-03-02T09:20:00Z"
    assert [
        (i["metric"], i["state"], i["due_at"], i["remaining_seconds"]) for i in body["instances"]
    ] == [("first_reply", "breached", "2026-03-02T09:20:00Z", -300)]
    assert body["instances"][0]["trail"][-1] == {
        "at": "2026-03-02T09:20:00Z",
        "action": "breach",
        "reason": "due",
    }


def test_api_ticket_sla_with_a_bad_id_is_a_404(client_for, rep, team):
    response = client_for(rep).get("/api/v1/tickets/abc/sla/")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_api_ticket_list_shares_the_sla_filter_and_sort(client_for, rep, three_tickets):
    with time_machine.travel(at(30), tick=False):
        client = client_for(rep)
        breached = client.get("/api/v1/tickets/", {"sla": "breached"}).json()
        ordered = client.get("/api/v1/tickets/", {"sort": "next_sla_due_at"}).json()
    assert [t["subject"] for t in breached["results"]] == ["High one"]
    assert [t["subject"] for t in ordered["results"]] == ["High one", "Normal one", "Answered one"]
