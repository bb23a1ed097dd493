"""Escalation and incident pages and API: forms, htmx partials, error bodies."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tests.factories import make_ticket
from tickets.models import Escalation, EscalationRule, Incident
from tickets.services import escalations, incidents

pytestmark = pytest.mark.django_db


def _escalate(ticket, by):
    return escalations.escalate(
        ticket.pk, by=by, target="manager", category="legal", reason="Customer threatens to sue"
    )


def test_workspace_shows_escalate_form_and_then_the_state(rep_client, rep, team):
    ticket = make_ticket(team)
    page = rep_client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'id="escalate-form"' in page
    _escalate(ticket, rep)
    page = rep_client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'id="escalate-form"' not in page
    assert 'data-state="open"' in page
    assert "Legal: Customer threatens to sue" in page


def test_escalate_without_reason_shows_the_error_next_to_the_field(rep_client, team):
    ticket = make_ticket(team)
    response = rep_client.post(
        f"/tickets/{ticket.pk}/escalate/",
        {"target": "manager", "category": "legal", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert re.search(r'id="reason-errors"><li>This field is required.</li>', body)
    assert Escalation.objects.count() == 0


def test_escalate_by_form_post_redirects_to_the_ticket(rep_client, team):
    ticket = make_ticket(team)
    response = rep_client.post(
        f"/tickets/{ticket.pk}/escalate/",
        {"target": "manager", "category": "technical", "reason": "Error 500 on export"},
    )
    assert (response.status_code, response["Location"]) == (302, f"/tickets/{ticket.pk}/")
    assert Escalation.objects.get().reason == "Error 500 on export"


def test_board_lists_and_measures(manager_client, manager, rep, team):
    a = _escalate(make_ticket(team), rep)
    _escalate(make_ticket(team), rep)
    escalations.accept(a.pk, by=manager)
    response = manager_client.get("/tickets/escalations/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('<tr id="escalation-') == 2
    assert '<dd data-metric="open">1</dd>' in body
    assert '<dd data-metric="accepted">1</dd>' in body
    only_open = manager_client.get("/tickets/escalations/?state=open").content.decode()
    assert only_open.count('<tr id="escalation-') == 1


def test_accept_by_htmx_returns_the_row(manager_client, rep, team):
    esc = _escalate(make_ticket(team), rep)
    response = manager_client.post(f"/tickets/escalations/{esc.pk}/accept/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "escalations-changed"
    assert f'<tr id="escalation-{esc.pk}" data-state="accepted">' in response.content.decode()


def test_accepting_twice_is_a_422_with_the_reason(manager_client, manager, rep, team):
    esc = _escalate(make_ticket(team), rep)
    escalations.accept(esc.pk, by=manager)
    response = manager_client.post(f"/tickets/escalations/{esc.pk}/accept/")
    assert response.status_code == 422
    assert f"Escalation #{esc.pk} is accepted, not open." in response.content.decode()


def test_director_creates_a_rule_and_bad_rules_are_refused(director_client):
    bad = director_client.post(
        "/tickets/escalations/rules/",
        {
            "name": "Urgent",
            "trigger": "urgent_no_reply",
            "position": 0,
            "notify": "directors",
            "escalation_category": "other",
        },
    )
    assert bad.status_code == 422
    assert "An urgent-no-reply rule needs a number of minutes." in bad.content.decode()
    ok = director_client.post(
        "/tickets/escalations/rules/",
        {
            "name": "Urgent",
            "trigger": "urgent_no_reply",
            "minutes": 15,
            "position": 0,
            "notify": "directors",
            "escalation_category": "other",
            "active": "on",
        },
    )
    assert ok.status_code == 302
    rule = EscalationRule.objects.get()
    assert (rule.trigger, rule.minutes, rule.notify, rule.active) == (
        "urgent_no_reply",
        15,
        "directors",
        True,
    )


def test_manager_declares_links_from_queue_and_posts(manager_client, manager, team):
    response = manager_client.post(
        "/tickets/incidents/",
        {
            "title": "Payments down",
            "severity": "sev1",
            "team": team.pk,
            "description": "PSP outage",
            "customer_update": "Payments fail; we are on it.",
        },
    )
    incident = Incident.objects.get()
    assert (response.status_code, response["Location"]) == (
        302,
        f"/tickets/incidents/{incident.pk}/",
    )
    tickets = [make_ticket(team) for _ in range(3)]
    queue = manager_client.get("/tickets/").content.decode()
    assert 'id="bulk-link"' in queue
    assert f'name="ticket" value="{tickets[0].pk}" form="bulk-link"' in queue
    response = manager_client.post(
        "/tickets/incidents/link/",
        {"incident": incident.pk, "ticket": [t.pk for t in tickets]},
    )
    assert response.status_code == 302
    assert incident.links.count() == 3
    response = manager_client.post(
        f"/tickets/incidents/{incident.pk}/updates/", {"body": "Fixed within the hour."}
    )
    assert response.status_code == 302
    update = incident.updates.get()
    page = manager_client.get(f"/tickets/incidents/{incident.pk}/").content.decode()
    assert '<dd data-count="linked">3</dd>' in page
    assert f'id="update-progress-{update.pk}" data-done="0" data-total="3"' in page
    progress = manager_client.get(f"/tickets/incidents/updates/{update.pk}/progress/")
    assert "Delivering… 0 of 3" in progress.content.decode()


def test_link_unknown_ticket_shows_the_error(manager_client, manager, team):
    incident = incidents.declare(
        by=manager, team=team, title="X", severity="sev3", description="d", customer_update="u"
    )
    response = manager_client.post(f"/tickets/incidents/{incident.pk}/link/", {"tickets": "99999"})
    assert response.status_code == 422
    assert "Ticket(s) #99999 do not exist or are not in your teams." in response.content.decode()


def test_rep_does_not_see_bulk_link_in_queue(rep_client, team):
    make_ticket(team)
    assert 'form="bulk-link"' not in rep_client.get("/tickets/").content.decode()


# --- API ----------------------------------------------------------------------------------


def test_api_escalate_and_conflict(rep_client, team):
    ticket = make_ticket(team)
    payload = {
        "ticket": ticket.pk,
        "target": "manager",
        "category": "complaint",
        "reason": "Rude courier",
    }
    first = rep_client.post("/api/v1/escalations/", payload, content_type="application/json")
    assert first.status_code == 201
    assert {k: first.json()[k] for k in ("ticket", "state", "to_tier", "raised_by")} == {
        "ticket": ticket.pk,
        "state": "open",
        "to_tier": 1,
        "raised_by": "rita",
    }
    second = rep_client.post("/api/v1/escalations/", payload, content_type="application/json")
    assert second.status_code == 409
    assert second.json() == {
        "error": "conflict",
        "detail": f"Ticket #{ticket.pk} already has an open escalation (#{first.json()['id']}).",
        "fields": {},
    }


def test_api_bad_input_is_400_with_fields(rep_client, team):
    ticket = make_ticket(team)
    response = rep_client.post(
        "/api/v1/escalations/",
        {"ticket": ticket.pk, "target": "moon"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"target", "category", "reason"}


def test_api_incident_flow(manager_client, team):
    created = manager_client.post(
        "/api/v1/incidents/",
        {
            "title": "Mail delays",
            "severity": "sev2",
            "team": team.pk,
            "description": "SMTP",
            "customer_update": "Mail is slow.",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    ids = [make_ticket(team).pk for _ in range(2)]
    linked = manager_client.post(
        f"/api/v1/incidents/{pk}/link/", {"tickets": ids}, content_type="application/json"
    )
    assert linked.json()["tickets"] == sorted(ids)
    posted = manager_client.post(
        f"/api/v1/incidents/{pk}/updates/",
        {"body": "Back to normal soon."},
        content_type="application/json",
    )
    assert posted.status_code == 202
    assert {k: posted.json()[k] for k in ("total", "done", "kind")} == {
        "total": 2,
        "done": 0,
        "kind": "update",
    }


def test_api_rep_cannot_list_incidents(rep_client):
    response = rep_client.get("/api/v1/incidents/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only managers and directors handle incidents."


def test_spike_alert_shown_to_managers_with_tickets(manager_client, team):
    from tickets.models import SpikeAlert

    tickets = [make_ticket(team) for _ in range(2)]
    SpikeAlert.objects.create(
        dimension="tag",
        key_id=1,
        key_name="sso",
        hour=timezone.now().replace(minute=0),
        count=2,
        baseline=0.0,
        ticket_ids=[t.pk for t in tickets],
        created_at=timezone.now(),
    )
    body = manager_client.get("/tickets/incidents/").content.decode()
    assert "Tag “sso”</strong>: 2 new tickets" in body
    assert f'href="/tickets/{tickets[1].pk}/"' in body


def test_board_query_count_does_not_grow_with_escalations(
    manager_client, rep, team, django_assert_max_num_queries
):
    for _ in range(12):
        _escalate(make_ticket(team), rep)
    with django_assert_max_num_queries(14):
        response = manager_client.get("/tickets/escalations/")
    assert response.content.decode().count('<tr id="escalation-') == 12


def test_incident_page_search_offers_tickets_to_link(manager_client, manager, team):
    incident = incidents.declare(
        by=manager, team=team, title="X", severity="sev3", description="d", customer_update="u"
    )
    hit = make_ticket(team, subject="Voucher code rejected")
    make_ticket(team, subject="Address change")
    body = manager_client.get(f"/tickets/incidents/{incident.pk}/?q=voucher").content.decode()
    assert body.count('type="checkbox" name="ticket"') == 1
    assert f'value="{hit.pk}"> #{hit.pk} Voucher code rejected' in body
    response = manager_client.post(f"/tickets/incidents/{incident.pk}/link/", {"ticket": [hit.pk]})
    assert response.status_code == 302
    assert list(incident.links.values_list("ticket_id", flat=True)) == [hit.pk]


def test_manager_links_a_ticket_from_its_workspace(manager_client, manager, team):
    incident = incidents.declare(
        by=manager,
        team=team,
        title="Outage",
        severity="sev2",
        description="d",
        customer_update="u",
    )
    ticket = make_ticket(team)
    page = manager_client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert f'<option value="{incident.pk}">#{incident.pk} Outage</option>' in page
    response = manager_client.post(
        "/tickets/incidents/link/", {"incident": incident.pk, "ticket": ticket.pk}
    )
    assert (response.status_code, response["Location"]) == (
        302,
        f"/tickets/incidents/{incident.pk}/",
    )
    page = manager_client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert f'<a href="/tickets/incidents/{incident.pk}/">#{incident.pk} Outage</a>' in page
