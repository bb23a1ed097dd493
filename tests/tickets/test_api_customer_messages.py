"""Another system relays a customer's messages through the token API (README, "Integrations:
tickets from another system")."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from csops import tokens
from tests.factories import CustomerFactory, make_ticket
from tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_a_token_client_creates_a_ticket_and_adds_customer_messages(team, rep):
    api = Client(HTTP_AUTHORIZATION=f"Token {tokens.issue_token(rep).key}")
    customer_id = CustomerFactory(email="ann@example.org").pk
    created = api.post(
        reverse("tickets-api:ticket-list"),
        {"requester": customer_id, "subject": "Order 1042 late", "description": "Still waiting.",
         "team": team.pk, "channel": "api"},
        content_type=JSON,
    )  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    url = reverse("tickets-api:ticket-customer-messages", args=[pk])
    assert api.post(url, {"body": "Any news?"}, content_type=JSON).status_code == 201
    event = TicketEvent.objects.filter(ticket_id=pk).order_by("pk").last()
    assert (event.type, event.actor_role, event.body, event.data.get("channel")) == (
        "public_reply", "customer", "Any news?", "api",
    )  # fmt: skip
    assert api.post(url, {"body": ""}, content_type=JSON).status_code == 400


def test_a_message_on_a_closed_ticket_opens_a_follow_up(team, rep):
    ticket = make_ticket(team)
    Ticket.objects.filter(pk=ticket.pk).update(status="closed")
    api = Client(HTTP_AUTHORIZATION=f"Token {tokens.issue_token(rep).key}")
    url = reverse("tickets-api:ticket-customer-messages", args=[ticket.pk])
    response = api.post(url, {"body": "It broke again"}, content_type=JSON)
    assert response.status_code == 201
    assert response.json()["id"] != ticket.pk
    assert response.json()["subject"] == f"Re: {ticket.subject}"
