"""A message far larger than a tsvector holds is stored in full and indexed by its first part
(issue 13 §4): PostgreSQL refuses a tsvector over 1 MB ("string is too long for tsvector")."""

from __future__ import annotations

import pytest
from django.contrib.postgres.search import SearchQuery
from django.urls import reverse
from rest_framework.test import APIClient

from csops.bounds import SEARCH_INDEXED_CHARS
from tests.factories import make_ticket
from tickets import services
from tickets.models import Ticket, TicketEvent

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def distinct_words(size: int, first: str = "quokka marmalade", tag: str = "w") -> str:
    """``size`` characters of words that are all different (the worst case for a tsvector);
    messages with different tags share no word."""
    words, length, i = [first], len(first), 0
    while length < size:
        word = f"{tag}{i:x}z"
        words.append(word)
        length += len(word) + 1
        i += 1
    return " ".join(words)[:size]


def found(ticket: Ticket, words: str) -> bool:
    query = SearchQuery(words, config="english", search_type="websearch")
    return Ticket.objects.filter(pk=ticket.pk, search_vector=query).exists()


def test_a_2mb_note_is_stored_in_full_and_found_by_its_first_words(team, rep):
    # given a ticket and a 2 MB note of distinct words
    ticket = make_ticket(team)
    body = distinct_words(2_000_000)
    # when the rep adds it
    services.reply(ticket.pk, by=rep, body=body, public=False)
    # then the message is kept whole and its first words find the ticket
    assert TicketEvent.objects.get(ticket=ticket, type="internal_note").body == body
    assert found(ticket, "quokka")
    assert found(ticket, "marmalade")
    # and the text beyond the indexed prefix is not indexed
    assert len(body) > SEARCH_INDEXED_CHARS
    assert not found(ticket, body[-20:].split()[-2])


def test_many_large_messages_keep_the_ticket_writable_and_searchable(team, rep):
    # given a ticket whose index is already full of earlier large messages
    ticket = make_ticket(team, subject="Printer on fire")
    for n in range(12):
        services.reply(
            ticket.pk, by=rep, body=distinct_words(400_000, f"batch{n}", tag=f"b{n}x"), public=False
        )
    # when one more arrives
    services.reply(ticket.pk, by=rep, body="final words", public=True)
    # then every message is stored and the subject still finds the ticket
    assert (
        TicketEvent.objects.filter(
            ticket=ticket, type__in=["internal_note", "public_reply"]
        ).count()
        == 13
    )
    assert found(ticket, "printer")
    assert found(ticket, "batch0")


def test_a_2mb_ticket_description_creates_the_ticket(team):
    ticket = make_ticket(team, description=distinct_words(2_000_000))
    assert len(Ticket.objects.get(pk=ticket.pk).description) == 2_000_000
    assert found(ticket, "quokka")


def test_a_2mb_reply_through_the_page_is_stored(team, rep, rep_client):
    ticket = make_ticket(team)
    body = distinct_words(2_000_000)
    response = rep_client.post(
        reverse("tickets:ticket-reply", args=[ticket.pk]),
        {"body": body, "kind": "note", "status": "", "version": ticket.version},
    )
    assert response.status_code in (200, 302), response.content[:300]
    assert TicketEvent.objects.get(ticket=ticket, type="internal_note").body == body
    assert found(ticket, "quokka")


def test_a_2mb_note_through_the_api_is_stored(team, rep):
    ticket = make_ticket(team)
    body = distinct_words(2_000_000)
    api = APIClient()
    api.force_authenticate(rep)
    response = api.post(
        f"/api/v1/tickets/{ticket.pk}/events/",
        {"body": body, "public": False, "version": ticket.version},
        format="json",
    )
    assert response.status_code == 201, response.content[:300]
    assert TicketEvent.objects.get(ticket=ticket, type="internal_note").body == body
    assert found(ticket, "marmalade")
