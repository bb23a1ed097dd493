"""The workspace's query count does not grow with the conversation (issue 15 §speed)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from csops.roles import Role
from tests.factories import UserFactory, make_ticket
from tickets import services
from tickets.links import services as links

pytestmark = pytest.mark.django_db

WORKSPACE_QUERIES = 24  # the workspace reads its ticket with what the page shows of it


def _queries(client, ticket) -> list[str]:
    url = reverse("tickets:ticket-detail", kwargs={"pk": ticket.pk})
    client.get(url)  # warm per-process caches (content types, templates)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def _converse(ticket, team, n: int) -> None:
    for i in range(n):
        agent = UserFactory(username=f"agent{ticket.pk}-{i}", role=Role.REP)
        team.members.add(agent)
        services.reply(ticket.pk, by=agent, body=f"Reply {i}", public=True)
        services.reply(ticket.pk, by=agent, body=f"Note {i}", public=False)
        services.customer_reply(ticket.pk, customer=ticket.requester, body=f"Answer {i}")
        services.update_ticket(ticket.pk, by=agent, expected_version=None, assignee=agent)


def test_query_count_does_not_grow_with_the_conversation(team, rep, rep_client):
    short, long = make_ticket(team), make_ticket(team)
    _converse(short, team, 1)
    _converse(long, team, 8)
    for t in (short, long):  # links and a merged ticket on both
        links.link(t.pk, other=make_ticket(team).pk, kind="related", by=rep)
        links.merge([make_ticket(team).pk], into=t.pk, by=rep)

    few, many = _queries(rep_client, short), _queries(rep_client, long)

    assert len(many) == len(few), "\n".join(many)
    # Session, user, role, teams; the ticket with its requester, people, versions, routing
    # row (one join) and tags; every team once (the team select, the history's team names,
    # the escalation's higher tiers); the log with attachments, the merged tickets' messages
    # with theirs; names in the history; links; SLA targets; procedures; macros; the other
    # selects' choices; escalation, incidents, managers, skills...: 24 in all, each asked once.
    assert len(many) <= WORKSPACE_QUERIES, "\n".join(many)
    repeated = [sql for sql, n in Counter(many).items() if n > 1]
    assert repeated == [], "\n".join(repeated)
