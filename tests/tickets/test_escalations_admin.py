"""The admin lists every escalation/incident model; escalations are read-only there."""

from __future__ import annotations

import pytest

from tests.factories import make_ticket
from tickets.services import escalations, incidents

pytestmark = pytest.mark.django_db

MODELS = [
    "escalation",
    "escalationrule",
    "rulefiring",
    "incident",
    "incidentupdate",
    "incidentdelivery",
    "spikealert",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_renders(model, client_for, admin_user, rep, manager, team):
    ticket = make_ticket(team)
    escalations.escalate(ticket.pk, by=rep, target="manager", category="other", reason="Help")
    incident = incidents.declare(
        by=manager,
        team=team,
        title="Outage",
        severity="sev1",
        description="d",
        customer_update="u",
    )
    incidents.link_tickets(incident.pk, by=manager, ticket_ids=[ticket.pk])
    incidents.post_update(incident.pk, by=manager, body="Update")
    response = client_for(admin_user).get(f"/admin/tickets/{model}/")
    assert response.status_code == 200


def test_escalation_cannot_be_added_in_admin(client_for, admin_user):
    assert client_for(admin_user).get("/admin/tickets/escalation/add/").status_code == 403
