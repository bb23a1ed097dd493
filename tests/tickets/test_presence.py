"""Collision: who else has the ticket open, who is writing, and a stale reply that shows the
other person's reply before asking to send (issue 15)."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from csops.people import display_name
from tests.factories import make_ticket
from tickets import services
from tickets.presence import services as presence

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(team):
    ticket = make_ticket(team, subject="Double charge")
    caches["presence"].delete(f"ticket:{ticket.pk}")  # ids repeat across test databases
    return ticket


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _beat(client, ticket, **data):
    return client.post(
        reverse("tickets:ticket-presence", kwargs={"pk": ticket.pk}), data, HTTP_HX_REQUEST="true"
    )


def test_each_person_sees_the_other_and_not_themselves(ticket, rep, rep2):
    # given: the rep opened the ticket first
    first = presence.beat(ticket.pk, rep, typing=False)
    # when: a colleague opens it too
    second = presence.beat(ticket.pk, rep2, typing=False)
    # then
    assert first == []
    assert second == [presence.Viewer(rep.pk, display_name(rep), typing=False)]
    assert presence.viewers(ticket.pk, except_user_id=rep2.pk) == second
    assert [v.user_id for v in presence.viewers(ticket.pk, except_user_id=rep.pk)] == [rep2.pk]


def test_writing_shows_then_lapses(ticket, rep, rep2):
    presence.beat(ticket.pk, rep, typing=True, now=1000.0)
    seen = presence.beat(ticket.pk, rep2, typing=False, now=1001.0)
    assert [(v.user_id, v.typing) for v in seen] == [(rep.pk, True)]
    # the writer's beats without keystrokes keep them present but no longer writing
    presence.beat(ticket.pk, rep, typing=False, now=1002.0)
    seen = presence.beat(ticket.pk, rep2, typing=False, now=1003.0)
    assert [(v.user_id, v.typing) for v in seen] == [(rep.pk, False)]


def test_a_person_who_stops_polling_disappears_after_the_ttl(ticket, rep, rep2, settings):
    presence.beat(ticket.pk, rep, typing=False, now=1000.0)
    ttl = settings.PRESENCE_TTL_SECONDS
    assert len(presence.beat(ticket.pk, rep2, typing=False, now=1000.0 + ttl)) == 1
    assert presence.beat(ticket.pk, rep2, typing=False, now=1000.0 + ttl + 1) == []


def test_leave_drops_the_person_at_once(ticket, rep, rep2):
    presence.beat(ticket.pk, rep, typing=False)
    response = _client(rep).post(reverse("tickets:ticket-presence-leave", kwargs={"pk": ticket.pk}))
    assert response.status_code == 204
    assert presence.viewers(ticket.pk, except_user_id=rep2.pk) == []


def test_poll_answers_who_is_here_with_display_names(ticket, rep, rep2):
    rep2.first_name, rep2.last_name = "Ralph", "Stone"
    rep2.save()
    _beat(_client(rep2), ticket, typing="1")
    response = _beat(_client(rep), ticket, typing="0")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-typing="1">Ralph Stone is writing a reply…</span>' in html
    assert rep.username not in html


def test_poll_says_who_changed_the_ticket_since_the_page_loaded(ticket, rep, rep2):
    rep2.first_name, rep2.last_name = "Ralph", "Stone"
    rep2.save()
    client = _client(rep)
    page = client.get(reverse("tickets:ticket-detail", kwargs={"pk": ticket.pk}))
    seen = page.context["last_event_id"]
    services.reply(ticket.pk, by=rep2, body="Refund issued.", public=True)
    html = _beat(client, ticket, version=1, seen=seen).content.decode()
    assert (
        "Changed since you opened it: Ralph Stone (Status new → open), Ralph Stone (Public reply)."
    ) in html
    # an up-to-date page is told nothing
    ticket.refresh_from_db()
    fresh = _beat(client, ticket, version=ticket.version, seen=seen)
    assert "Changed" not in fresh.content.decode()


def test_poll_of_a_ticket_outside_the_reps_teams_is_404_and_records_nothing(
    ticket, rep_other_team, rep
):
    response = _beat(_client(rep_other_team), ticket, typing="1")
    assert response.status_code == 404
    assert presence.viewers(ticket.pk, except_user_id=rep.pk) == []


def test_poll_is_light(ticket, rep, django_assert_max_num_queries):
    client = _client(rep)
    # session, user, groups/teams scope and the ticket: no more as the ticket grows
    for _ in range(5):
        services.reply(ticket.pk, by=rep, body="more", public=False)
    with django_assert_max_num_queries(5):
        assert _beat(client, ticket, typing="0").status_code == 200


def test_poll_query_count_does_not_grow_with_viewers_and_reads_no_ticket_text(
    ticket, rep, rep2, manager, django_assert_num_queries
):
    # given: two colleagues have the ticket open too
    for other in (rep2, manager):
        _beat(_client(other), ticket, typing="1")
    client = _client(rep)
    _beat(client, ticket, typing="0")  # warm: content types, the first connection
    # when / then: session, user, groups, teams and the ticket's id and version, nothing else
    with django_assert_num_queries(5) as ctx:
        response = _beat(client, ticket, typing="0", version=ticket.version, seen=1)
    assert response.content.decode().count('class="presence-person') == 2
    ticket_sql = [q["sql"] for q in ctx.captured_queries if '"tickets_ticket"' in q["sql"]]
    assert len(ticket_sql) == 1
    assert '"search_vector"' not in ticket_sql[0]
    assert '"description"' not in ticket_sql[0]


def test_poll_with_junk_parameters_is_answered_not_500(ticket, rep):
    response = _beat(_client(rep), ticket, typing="x", version="abc", seen="-5")
    assert response.status_code == 200


def test_stale_reply_shows_the_other_reply_first_and_asks_before_sending(ticket, rep, rep2):
    # given: the rep opened the ticket; a colleague replied while the rep was writing
    rep2.first_name, rep2.last_name = "Ralph", "Stone"
    rep2.save()
    client = _client(rep)
    page = client.get(reverse("tickets:ticket-detail", kwargs={"pk": ticket.pk}))
    seen, version = page.context["last_event_id"], ticket.version
    services.reply(ticket.pk, by=rep2, body="We refunded the second charge.", public=True)
    url = reverse("tickets:ticket-reply", kwargs={"pk": ticket.pk})
    draft = {"body": "Let me check.", "kind": "public", "version": version, "seen": seen}

    # when: the rep sends
    response = client.post(url, draft, HTTP_HX_REQUEST="true")

    # then: 409, the colleague's reply with who wrote it, the draft kept, "Send anyway"
    html = response.content.decode()
    assert response.status_code == 409
    assert [(c.line.who, c.line.what, c.body) for c in response.context["changes"]] == [
        ("Ralph Stone", "Status new → open", ""),
        ("Ralph Stone", "Public reply", "We refunded the second charge."),
    ]
    assert "<blockquote>We refunded the second charge.</blockquote>" in html
    assert "Let me check.</textarea>" in html
    assert ">Send anyway</button>" in html
    assert ticket.events.filter(body="Let me check.").count() == 0

    # when: the rep sends anyway (the kept draft carries the fresh version)
    ticket.refresh_from_db()
    again = {**draft, "version": ticket.version, "seen": response.context["last_event_id"]}
    assert client.post(url, again, HTTP_HX_REQUEST="true").status_code == 200
    assert ticket.events.filter(body="Let me check.").count() == 1
