"""Crisis notice: while an incident marked public is open, the help center shows its
customer-facing summary and status; a private or resolved one is never shown."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_incident
from tickets.services import incidents

pytestmark = pytest.mark.django_db


def _notice(client: Client) -> str:
    page = client.get(reverse("help:home")).content.decode()
    return (
        page.split('id="crisis-notice"', 1)[1].split("</section>", 1)[0]
        if ('id="crisis-notice"' in page)
        else ""
    )


def test_an_open_public_incident_shows_on_the_help_center(manager, team):
    make_incident(manager, team, public=True, customer_update="Card payments fail; we're on it.")
    make_incident(manager, team, title="Internal DB failover", customer_update="secret")
    notice = _notice(Client())
    assert "Checkout down" in notice
    assert "Investigating" in notice
    assert "Card payments fail; we&#x27;re on it." in notice
    assert "Internal DB failover" not in notice


def test_the_notice_follows_updates_and_disappears_on_resolution(manager, team):
    incident = make_incident(manager, team, public=True)
    incidents.post_update(incident.pk, by=manager, body="Fixed for most cards.")
    assert "Fixed for most cards." in _notice(Client())
    assert "Update posted" in _notice(Client())
    incidents.resolve(incident.pk, by=manager)
    assert _notice(Client()) == ""


def test_marking_an_incident_public_through_the_edit_form(manager, team, client_for):
    incident = make_incident(manager, team)
    assert _notice(Client()) == ""
    response = client_for(manager).post(
        reverse("tickets:incident-edit", args=[incident.pk]),
        {"title": incident.title, "severity": incident.severity,
         "description": incident.description, "public": "on"},
    )  # fmt: skip
    assert response.status_code in (200, 302)
    assert "Checkout down" in _notice(Client())
