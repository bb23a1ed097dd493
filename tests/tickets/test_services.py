from __future__ import annotations

import re

import pytest

from csops.errors import Conflict, InvalidInput, InvalidTransition, NotFound, StaleTicket
from tests.factories import CustomerFactory, make_ticket
from tickets import services
from tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def _log(ticket):
    return list(TicketEvent.objects.filter(ticket=ticket).values_list("type", "actor_role", "data"))


def test_inbound_ticket_starts_new_with_one_created_event(team):
    # when a customer channel creates a ticket
    ticket = make_ticket(team, channel="web", priority="high")
    # then it is new and its log holds only the creation
    assert ticket.status == "new"
    assert ticket.version == 1
    assert _log(ticket) == [
        (
            "created",
            "customer",
            {
                "channel": "web",
                "priority": "high",
                "team": team.pk,
                "assignee": None,
                "initiated_by": "customer",
                "subject": "Cannot log in",
            },
        )
    ]


def test_claim_opens_a_new_ticket_before_assigning(team, rep):
    ticket = make_ticket(team)
    claimed = services.claim(ticket.pk, by=rep)
    assert claimed.assignee == rep
    assert claimed.status == "open"
    assert claimed.version == 2
    assert [(t, d) for t, _, d in _log(ticket)][1:] == [
        ("status_changed", {"from": "new", "to": "open"}),
        ("assigned", {"assignee": rep.pk}),
    ]


def test_claim_of_claimed_ticket_names_the_owner(team, rep, rep2):
    ticket = make_ticket(team)
    services.claim(ticket.pk, by=rep)
    with pytest.raises(Conflict, match=re.escape(f"already claimed by {rep.get_full_name()}")):
        services.claim(ticket.pk, by=rep2)
    assert Ticket.objects.get(pk=ticket.pk).assignee == rep


def test_rep_outside_the_team_cannot_see_or_claim(team, rep_other_team):
    ticket = make_ticket(team)
    with pytest.raises(NotFound):
        services.claim(ticket.pk, by=rep_other_team)
    assert Ticket.objects.get(pk=ticket.pk).assignee is None
    assert TicketEvent.objects.filter(ticket=ticket).count() == 1


def test_reply_and_solve_logs_message_before_status(team, rep):
    ticket = make_ticket(team)
    services.reply(
        ticket.pk, by=rep, body="Fixed it", public=True, new_status="solved", expected_version=1
    )
    ticket.refresh_from_db()
    assert ticket.status == "solved"
    assert ticket.solved_at is not None
    assert [(t, r) for t, r, _ in _log(ticket)] == [
        ("created", "customer"),
        ("status_changed", "agent"),
        ("public_reply", "agent"),
        ("status_changed", "agent"),
    ]
    events = list(TicketEvent.objects.filter(ticket=ticket))
    assert len({e.at for e in events[1:]}) == 1  # one action, one instant


def test_stale_reply_is_refused_and_nothing_is_written(team, rep):
    ticket = make_ticket(team)
    services.reply(ticket.pk, by=rep, body="first", expected_version=1)
    with pytest.raises(StaleTicket, match="Someone else changed ticket"):
        services.reply(ticket.pk, by=rep, body="second", expected_version=1)
    assert TicketEvent.objects.filter(ticket=ticket, type="public_reply").count() == 1


def test_empty_reply_is_refused_with_field_error(team, rep):
    ticket = make_ticket(team)
    with pytest.raises(InvalidInput) as err:
        services.reply(ticket.pk, by=rep, body="   ", expected_version=1)
    assert err.value.fields == {"body": ["Write a message."]}


def test_closed_ticket_is_final(team, rep):
    ticket = make_ticket(team)
    services.update_ticket(ticket.pk, by=rep, expected_version=1, status="closed")
    with pytest.raises(InvalidTransition):
        services.update_ticket(ticket.pk, by=rep, expected_version=2, status="open")
    with pytest.raises(InvalidTransition):
        services.reply(ticket.pk, by=rep, body="hello", expected_version=2)


def test_customer_reply_reopens_solved_ticket_at_same_instant(team, rep):
    ticket = make_ticket(team)
    services.reply(ticket.pk, by=rep, body="done", new_status="solved", expected_version=1)
    services.customer_reply(ticket.pk, customer=ticket.requester, body="Still broken")
    ticket.refresh_from_db()
    assert ticket.status == "open"
    last_two = list(TicketEvent.objects.filter(ticket=ticket).order_by("-pk")[:2])[::-1]
    assert [(e.type, e.actor_role, e.data) for e in last_two] == [
        ("public_reply", "customer", {"channel": "email"}),
        ("status_changed", "system", {"from": "solved", "to": "open"}),
    ]
    assert last_two[0].at == last_two[1].at


def test_customer_message_on_closed_ticket_opens_follow_up(team, rep):
    ticket = make_ticket(team, priority="high")
    services.update_ticket(ticket.pk, by=rep, expected_version=1, status="closed")
    follow_up = services.customer_reply(ticket.pk, customer=ticket.requester, body="One more thing")
    assert follow_up.pk != ticket.pk
    assert (follow_up.subject, follow_up.priority, follow_up.status) == (
        "Re: Cannot log in",
        "high",
        "new",
    )
    assert TicketEvent.objects.filter(ticket=ticket).count() == 3


def test_transfer_drops_assignee_who_does_not_work_new_team(team, other_team, rep):
    ticket = make_ticket(team)
    services.claim(ticket.pk, by=rep)
    moved = services.update_ticket(ticket.pk, by=rep, expected_version=2, team=other_team)
    assert (moved.team_id, moved.assignee_id) == (other_team.pk, None)
    assert TicketEvent.objects.filter(ticket=ticket).last().data == {
        "assignee": None,
        "team": other_team.pk,
    }


def test_assignee_must_work_the_team(team, rep, rep_other_team):
    ticket = make_ticket(team)
    with pytest.raises(InvalidInput) as err:
        services.update_ticket(ticket.pk, by=rep, expected_version=1, assignee=rep_other_team)
    assert err.value.fields == {"assignee": ["Not a member of the ticket's team."]}


def test_agent_logged_phone_call_is_inbound_and_open(team, rep):
    customer = CustomerFactory()
    ticket = services.create_ticket(
        by=rep,
        requester=customer,
        subject="Phone: billing",
        description="Caller asks about invoice",
        team=team,
        channel="phone",
        assignee=rep,
    )
    assert (ticket.status, ticket.initiated_by, ticket.assignee) == ("open", "customer", rep)
    assert [t for t, _, _ in _log(ticket)] == ["created", "status_changed"]
