"""Automatic escalation rules: matching, actions, and once per ticket and trigger instance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from csops.models import Notification
from tests.factories import CustomerFactory, TeamFactory, make_ticket
from tickets import services
from tickets.models import Escalation, EscalationRule, RuleFiring
from tickets.services import escalations
from tickets.services.escalations import apply_rules
from tickets.tasks_escalations import check_urgent_no_reply

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def make_rule(**kw) -> EscalationRule:
    now = timezone.now()
    kw.setdefault("name", "Rule")
    return EscalationRule.objects.create(created_at=now, updated_at=now, **kw)


def test_breach_rule_fires_once_per_metric_instance(team, manager):
    # given a rule that raises priority, notifies the managers and opens an escalation
    rule = make_rule(
        name="Breach",
        trigger="sla_breach",
        raise_priority_to="urgent",
        notify="team_managers",
        open_escalation=True,
        escalation_category="complaint",
    )
    ticket = make_ticket(team, priority="normal")
    # when the monitor reports the breach twice (a retry) and then another instance
    first = apply_rules(ticket.pk, "sla_breach", metric="first_reply", index=1)
    again = apply_rules(ticket.pk, "sla_breach", metric="first_reply", index=1)
    # then the rule fired once, with all its actions in one logged action
    assert first == [rule]
    assert again == []
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.version) == ("urgent", 2)
    assert list(ticket.events.order_by("pk").values_list("type", "actor_role")) == [
        ("created", "customer"),
        ("priority_changed", "system"),
        ("escalated", "system"),
    ]
    esc = Escalation.objects.get()
    assert (esc.state, esc.raised_by_id, esc.rule_id, esc.to_team_id, esc.category) == (
        "open",
        None,
        rule.pk,
        team.pk,
        "complaint",
    )
    assert list(RuleFiring.objects.values_list("instance", "actions")) == [
        ("first_reply:1", ["priority:urgent", "escalation", "notify:team_managers"])
    ]
    assert Notification.objects.filter(user=manager).count() == 2  # rule notice + escalation


def test_metric_filter_and_inactive_rules(team):
    make_rule(trigger="sla_at_risk", metric="next_reply", raise_priority_to="high")
    make_rule(trigger="sla_at_risk", raise_priority_to="urgent", active=False)
    ticket = make_ticket(team, priority="low")
    assert apply_rules(ticket.pk, "sla_at_risk", metric="first_reply") == []
    fired = apply_rules(ticket.pk, "sla_at_risk", metric="next_reply", index=2)
    assert [r.metric for r in fired] == ["next_reply"]
    ticket.refresh_from_db()
    assert ticket.priority == "high"


def test_priority_is_never_lowered(team):
    make_rule(trigger="sla_breach", raise_priority_to="high")
    ticket = make_ticket(team, priority="urgent")
    apply_rules(ticket.pk, "sla_breach", metric="first_reply")
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.version) == ("urgent", 1)
    assert RuleFiring.objects.get().actions == []


def test_reassign_to_team(team):
    billing = TeamFactory(name="Escalations desk", slug="esc-desk", tier=2)
    make_rule(trigger="sla_breach", reassign_team=billing)
    ticket = make_ticket(team)
    apply_rules(ticket.pk, "sla_breach", metric="first_reply")
    ticket.refresh_from_db()
    assert (ticket.team_id, ticket.assignee_id) == (billing.pk, None)
    assert ticket.events.last().data == {"assignee": None, "team": billing.pk}


def test_open_escalation_action_skips_when_one_is_open(team, rep):
    make_rule(trigger="sla_breach", open_escalation=True)
    ticket = make_ticket(team)
    escalations.escalate(ticket.pk, by=rep, target="manager", category="other", reason="Stuck")
    apply_rules(ticket.pk, "sla_breach", metric="first_reply")
    assert Escalation.objects.count() == 1
    assert RuleFiring.objects.get().actions == ["escalation:already-open"]


def test_customer_keyword_rule_fires_on_customer_reply(team, django_capture_on_commit_callbacks):
    make_rule(trigger="customer_keyword", keywords="lawyer, chargeback", raise_priority_to="urgent")
    customer = CustomerFactory()
    ticket = make_ticket(team, requester=customer, priority="normal")
    # a word that only contains a keyword does not match
    with django_capture_on_commit_callbacks(execute=True):
        services.customer_reply(ticket.pk, customer=customer, body="My lawyers-in-training…")
    ticket.refresh_from_db()
    assert ticket.priority == "normal"
    with django_capture_on_commit_callbacks(execute=True):
        services.customer_reply(ticket.pk, customer=customer, body="I will file a CHARGEBACK.")
    ticket.refresh_from_db()
    assert ticket.priority == "urgent"
    reply = ticket.events.filter(type="public_reply").order_by("pk").last()
    assert RuleFiring.objects.get().instance == f"event_id={reply.pk}"


def test_urgent_no_reply_task_fires_once_per_unanswered_message(team, rep):
    make_rule(trigger="urgent_no_reply", minutes=30, notify="assignee")
    make_rule(name="Late", trigger="urgent_no_reply", minutes=120, raise_priority_to="urgent")
    customer = CustomerFactory()
    with time_machine.travel(T0, tick=False):
        waiting = make_ticket(team, requester=customer, priority="urgent")
        answered = make_ticket(team, priority="urgent")
        services.claim(waiting.pk, by=rep)
        services.reply(answered.pk, by=rep, body="On it")
        make_ticket(team, priority="high")  # not urgent
    # 29 minutes: nothing yet
    with time_machine.travel(T0 + timedelta(minutes=29), tick=False):
        assert check_urgent_no_reply() == 0
    # 31 minutes: the 30-minute rule fires for the waiting ticket only; a re-run adds nothing
    with time_machine.travel(T0 + timedelta(minutes=31), tick=False):
        assert check_urgent_no_reply() == 1
        assert check_urgent_no_reply() == 0
    assert list(RuleFiring.objects.values_list("ticket_id", "rule__minutes")) == [(waiting.pk, 30)]
    assert Notification.objects.filter(user=rep).count() == 1
    # a new customer message starts a new instance
    with time_machine.travel(T0 + timedelta(minutes=40), tick=False):
        services.customer_reply(waiting.pk, customer=customer, body="Hello?")
    with time_machine.travel(T0 + timedelta(minutes=71), tick=False):
        assert check_urgent_no_reply() == 1
    assert RuleFiring.objects.filter(ticket=waiting).count() == 2


def test_closed_ticket_is_left_alone(team, rep):
    make_rule(trigger="negative_csat", notify="team_managers")
    ticket = make_ticket(team)
    services.update_ticket(ticket.pk, by=rep, expected_version=None, status="closed")
    assert apply_rules(ticket.pk, "negative_csat", response_id=5) == []
    assert RuleFiring.objects.count() == 0
