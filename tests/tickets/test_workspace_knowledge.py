"""The workspace's knowledge panel: suggestions from the subject and the customer's latest
message, inserting a public article into the reply, and "this answered it"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from policies.knowledge.models import TicketArticleLink
from tests.factories import make_ticket
from tests.policies.knowledge_helpers import live_article, section
from tickets.knowledge.selectors import latest_customer_message, suggested_articles
from tickets.services import customer_reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(manager, director):
    refund = live_article(manager, director, title="Refund timing")
    password = live_article(
        manager, director, title="Reset your password",
        body="Use the reset link; it expires after an hour.", sec=section("Account", "Login"),
    )  # fmt: skip
    internal = live_article(
        manager, director, title="Password reset abuse checks", visibility="internal",
        body="Verify the account owner before resetting a password.",
        sec=section("Security", "Staff"),
    )  # fmt: skip
    return refund, password, internal


def test_suggestions_match_subject_and_the_latest_customer_message(team, rep, articles):
    refund, password, internal = articles
    ticket = make_ticket(team, subject="Cannot log in", description="My password reset fails")
    found = suggested_articles(ticket, rep)
    assert {a.pk for a in found} == {password.pk, internal.pk}
    assert refund not in found


def test_the_latest_customer_message_wins_over_the_description(team, rep):
    ticket = make_ticket(team, subject="Help", description="first words")
    customer_reply(ticket.pk, customer=ticket.requester, body="Now it is about my refund")
    assert latest_customer_message(ticket) == "Now it is about my refund"


def test_panel_offers_insert_for_public_articles_only(team, rep_client, articles):
    refund, password, internal = articles
    ticket = make_ticket(team, subject="password reset")
    page = rep_client.get(reverse("tickets:ticket-articles", args=[ticket.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-article="{password.pk}"' in html
    assert f'data-article="{internal.pk}"' in html
    assert html.count('data-insert="link"') == 1  # the internal one cannot go to a customer


def test_insert_link_appends_to_what_the_reply_box_holds(team, rep_client, articles):
    _, password, internal = articles
    ticket = make_ticket(team)
    url = reverse("tickets:ticket-article-insert", args=[ticket.pk])
    response = rep_client.get(
        url, {"article": password.pk, "mode": "link", "body": "Hi Ann,"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Hi Ann,\n\nReset your password: http://testserver/help/a/{password.slug}/" in html
    text = rep_client.get(url, {"article": password.pk, "mode": "text"})
    assert "Use the reset link; it expires after an hour." in text.content.decode()
    refused = rep_client.get(url, {"article": internal.pk, "mode": "text"})
    assert refused.status_code == 422


def test_this_answered_it_links_once_and_other_teams_cannot(
    team, rep_client, client_for, rep_other_team, articles
):
    _, password, _ = articles
    ticket = make_ticket(team)
    url = reverse("tickets:ticket-article-link", args=[ticket.pk])
    assert rep_client.post(url, {"article": password.pk}).status_code == 302
    response = rep_client.post(url, {"article": password.pk}, HTTP_HX_REQUEST="true")
    assert 'id="linked-articles"' in response.content.decode()
    assert TicketArticleLink.objects.filter(ticket_id=ticket.pk).count() == 1
    other = client_for(rep_other_team).post(url, {"article": password.pk})
    assert other.status_code == 404
