"""Escalation services: who may escalate and handle, the record, the ticket's log."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from csops.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotFound,
    StaleTicket,
)
from csops.models import Notification
from csops.roles import Role
from tests.factories import TeamFactory, UserFactory, make_ticket
from tickets.models import Escalation, Ticket
from tickets.services import escalations

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def tier2(db):
    team = TeamFactory(name="Tier 2", slug="tier-2", tier=2)
    boss = UserFactory(username="tess", role=Role.MANAGER)
    team.managers.add(boss)
    return team


def _escalate(ticket, by, **kw):
    kw.setdefault("target", "manager")
    kw.setdefault("category", "refund_approval")
    kw.setdefault("reason", "Refund above my limit")
    return escalations.escalate(ticket.pk, by=by, **kw)


def test_rep_escalates_to_manager_in_one_action(rep, manager, team):
    # given a new ticket of the rep's team
    with time_machine.travel(T0, tick=False):
        ticket = make_ticket(team)
    # when the rep escalates it to the team's manager
    with time_machine.travel(T0.replace(minute=5), tick=False):
        esc = _escalate(ticket, rep, expected_version=1)
    # then the record and the ticket's log agree, with one instant
    esc.refresh_from_db()
    assert (esc.state, esc.from_team_id, esc.to_team_id, esc.to_tier, esc.target) == (
        "open",
        team.pk,
        team.pk,
        1,
        "manager",
    )
    assert (esc.raised_by_id, esc.owner_id, esc.category) == (rep.pk, None, "refund_approval")
    assert esc.created_at == T0.replace(minute=5)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.team_id, ticket.version) == ("open", team.pk, 2)
    log = list(ticket.events.order_by("pk").values_list("type", "at", "data"))
    assert log[1:] == [
        ("status_changed", T0.replace(minute=5), {"from": "new", "to": "open"}),
        (
            "escalated",
            T0.replace(minute=5),
            {"tier": 1, "reason": "Needs refund approval: Refund above my limit"},
        ),
    ]
    assert list(Notification.objects.values_list("user__username", "key")) == [
        ("maria", f"escalation:{esc.pk}:opened")
    ]


def test_next_tier_moves_the_ticket_to_that_team(rep, team, tier2):
    ticket = make_ticket(team)
    esc = _escalate(ticket, rep, target="tier", category="technical", reason="Database error")
    ticket.refresh_from_db()
    assert (esc.to_team_id, esc.to_tier, ticket.team_id, ticket.assignee_id) == (
        tier2.pk,
        2,
        tier2.pk,
        None,
    )
    assert list(ticket.events.order_by("pk").values_list("type", flat=True)) == [
        "created",
        "status_changed",
        "escalated",
        "assigned",
    ]


def test_next_tier_without_a_higher_team_is_refused(rep, team):
    ticket = make_ticket(team)
    with pytest.raises(InvalidInput) as exc:
        _escalate(ticket, rep, target="tier")
    assert exc.value.fields == {"to_team": ["No higher tier exists."]}
    assert Escalation.objects.count() == 0


def test_reason_and_category_are_required(rep, team):
    ticket = make_ticket(team)
    with pytest.raises(InvalidInput) as exc:
        _escalate(ticket, rep, reason="  ", category="whatever")
    assert exc.value.fields == {
        "reason": ["Say why the ticket needs escalating."],
        "category": ["Choose a category."],
    }


def test_second_open_escalation_is_refused(rep, team):
    ticket = make_ticket(team)
    first = _escalate(ticket, rep)
    with pytest.raises(Conflict) as exc:
        _escalate(ticket, rep)
    assert exc.value.detail == f"Ticket #{ticket.pk} already has an open escalation (#{first.pk})."
    assert Ticket.objects.get(pk=ticket.pk).events.filter(type="escalated").count() == 1


def test_rep_of_another_team_cannot_escalate(rep_other_team, team):
    ticket = make_ticket(team)
    with pytest.raises(NotFound):
        _escalate(ticket, rep_other_team)


def test_stale_version_is_refused(rep, team):
    ticket = make_ticket(team)
    with pytest.raises(StaleTicket):
        _escalate(ticket, rep, expected_version=7)
    assert Escalation.objects.count() == 0


def test_solved_ticket_cannot_be_escalated(rep, team):
    ticket = make_ticket(team)
    from tickets import services

    services.update_ticket(ticket.pk, by=rep, expected_version=None, status="solved")
    with pytest.raises(InvalidTransition):
        _escalate(ticket, rep)


def test_manager_accepts_then_resolves_with_times(rep, manager, team):
    with time_machine.travel(T0, tick=False):
        esc = _escalate(make_ticket(team), rep)
    with time_machine.travel(T0.replace(minute=12), tick=False):
        escalations.accept(esc.pk, by=manager)
    with time_machine.travel(T0.replace(minute=40), tick=False):
        escalations.resolve(esc.pk, by=manager, guidance="Refund approved up to 200 EUR")
    esc.refresh_from_db()
    assert (esc.state, esc.owner_id, esc.accepted_at, esc.resolved_at) == (
        "resolved",
        manager.pk,
        T0.replace(minute=12),
        T0.replace(minute=40),
    )
    note = esc.ticket.events.order_by("pk").last()
    assert (note.type, note.actor_id, note.body) == (
        "internal_note",
        manager.pk,
        "Escalation resolved: Refund approved up to 200 EUR",
    )


def test_resolve_needs_accept_first(rep, manager, team):
    esc = _escalate(make_ticket(team), rep)
    with pytest.raises(InvalidTransition):
        escalations.resolve(esc.pk, by=manager)


def test_return_hands_the_ticket_back_to_the_rep_with_guidance(rep, team, tier2):
    ticket = make_ticket(team)
    esc = _escalate(ticket, rep, target="tier", category="technical", reason="Error 500")
    boss = tier2.managers.get()
    escalations.return_to_rep(esc.pk, by=boss, guidance="Clear the cache first")
    esc.refresh_from_db()
    ticket.refresh_from_db()
    assert (esc.state, esc.owner_id, esc.guidance) == ("returned", boss.pk, "Clear the cache first")
    assert (ticket.team_id, ticket.assignee_id) == (team.pk, rep.pk)
    last = list(ticket.events.order_by("pk").values_list("type", "body"))[-2:]
    assert last == [
        ("assigned", ""),
        ("internal_note", "Escalation returned: Clear the cache first"),
    ]
    assert Notification.objects.filter(user=rep, key=f"escalation:{esc.pk}:returned").count() == 1


def test_return_needs_guidance(rep, manager, team):
    esc = _escalate(make_ticket(team), rep)
    with pytest.raises(InvalidInput) as exc:
        escalations.return_to_rep(esc.pk, by=manager, guidance=" ")
    assert exc.value.fields == {"guidance": ["Tell the rep what to do next."]}


@pytest.mark.parametrize("_case", ["rep", "rep2", "other_manager"])
def test_only_target_team_managers_or_directors_handle(_case, rep, rep2, team, tier2):
    esc = _escalate(make_ticket(team), rep)  # to Tier 1's managers
    users = {"rep": rep, "rep2": rep2, "other_manager": tier2.managers.get()}
    expected = NotFound if _case == "other_manager" else NotAllowed
    with pytest.raises(expected):
        escalations.accept(esc.pk, by=users[_case])
    assert Escalation.objects.get(pk=esc.pk).state == "open"


def test_director_may_handle_any_escalation(rep, director, team):
    esc = _escalate(make_ticket(team), rep)
    assert escalations.accept(esc.pk, by=director).owner_id == director.pk


def test_after_resolution_a_new_escalation_may_open(rep, manager, team):
    ticket = make_ticket(team)
    esc = _escalate(ticket, rep)
    escalations.accept(esc.pk, by=manager)
    escalations.resolve(esc.pk, by=manager)
    again = _escalate(ticket, rep, category="complaint", reason="Customer still unhappy")
    assert list(ticket.escalations.order_by("pk").values_list("state", flat=True)) == [
        "resolved",
        "open",
    ]
    assert again.category == "complaint"
