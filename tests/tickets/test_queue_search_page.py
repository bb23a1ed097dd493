"""A searched queue page (one statement that counts and orders the matches) shows the same
rows, total and links as the ordered read and the capped count it replaces."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from tests.factories import make_ticket
from tickets import selectors
from tickets.filters import TicketFilter

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _queue(user, query: str):
    request = RequestFactory().get("/tickets/")
    request.user = user
    filterset = TicketFilter(QueryDict(query), request=request)
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def _same(a: selectors.QueuePage, b: selectors.QueuePage) -> None:
    assert [t.pk for t in a.tickets] == [t.pk for t in b.tickets]
    assert (a.number, a.has_previous, a.has_next, a.total, a.total_capped) == (
        b.number,
        b.has_previous,
        b.has_next,
        b.total,
        b.total_capped,
    )


@pytest.mark.parametrize(
    "query",
    [
        "view=teams&status=any&q=refund",
        "view=teams&status=any&q=refund&sort=created_at",
        "view=teams&status=any&q=refund&sort=-priority_rank",
        "view=teams&status=any&q=refund&sort=next_sla_due_at",
    ],
)
@pytest.mark.parametrize("page", [1, 2, 3])
def test_search_page_equals_the_ordered_read(team, rep, query, page):
    # given 30 tickets about a refund (two pages and a bit) and 5 that are not
    for i in range(30):
        make_ticket(team, subject=f"Refund {i}", priority=["low", "normal", "high"][i % 3])
    for i in range(5):
        make_ticket(team, subject=f"Login {i}")
    qs = _queue(rep, query)
    # when the page is read both ways
    searched = selectors.queue_page(qs, page, search=True)
    ordered = selectors.queue_page(qs, page)
    # then they agree, and the count is exact
    _same(searched, ordered)
    assert searched.total == 30
    assert len(searched.tickets) == {1: 25, 2: 5, 3: 5}[page]  # page 3 shows the last page


def test_search_beyond_the_cap_reads_in_order(team, rep, monkeypatch):
    # given more matches than the (lowered) cap
    monkeypatch.setattr(selectors, "COUNT_CAP", 10)
    for i in range(12):
        make_ticket(team, subject=f"Refund {i}")
    qs = _queue(rep, "view=teams&status=any&q=refund")
    # when the first page is read
    searched = selectors.queue_page(qs, 1, search=True)
    # then it is the ordered read's, with the total capped
    _same(searched, selectors.queue_page(qs, 1))
    assert (searched.total, searched.total_capped) == (10, True)
    assert len(searched.tickets) == 12


def test_search_without_a_match_is_an_empty_first_page(team, rep):
    make_ticket(team, subject="Login")
    qs = _queue(rep, "view=teams&status=any&q=refund")
    page = selectors.queue_page(qs, 1, search=True)
    assert (page.tickets, page.total, page.has_next) == ([], 0, False)


def test_the_word_and_the_assignee_share_one_gin_index():
    """My tickets and a word: one GIN index holds both (tickets.0028), so PostgreSQL
    intersects them inside it (6-8 ms for "refund" at 1M tickets) instead of ANDing every
    ticket with the word (78,000) with every ticket of the rep. No index on the team alone
    is left for the planner to AND in (a quarter of a million entries per team)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'tickets_ticket'"
        )
        indexes = dict(cursor.fetchall())
    assert "gin (search_vector, assignee_id)" in indexes["ticket_search_assignee_gin"]
    assert not [d for d in indexes.values() if d.endswith("(search_vector)")]
    assert not [d for d in indexes.values() if d.endswith("btree (team_id)")]


def test_the_queue_reads_its_drop_downs_without_server_side_cursors(team, rep_client):
    """Team, assignee and tag options: one plain query each, not DECLARE, FETCH and CLOSE."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_ticket(team, subject="Refund please")
    rep_client.get("/tickets/", {"q": "refund", "status": "any"})  # warm the session
    with CaptureQueriesContext(connection) as captured:
        page = rep_client.get("/tickets/", {"q": "refund", "status": "any", "view": "teams"})
    assert page.status_code == 200
    assert f'<option value="{team.pk}">{team.name}</option>' in page.content.decode()
    assert not [q["sql"] for q in captured.captured_queries if "DECLARE" in q["sql"]]
