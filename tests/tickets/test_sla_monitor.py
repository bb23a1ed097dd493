"""The SLA monitor: crossings found by index, recorded once per (ticket, metric, instance,
kind) even when two workers run at once or a run is repeated (real threads, PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from csops.models import Notification
from tests.factories import make_ticket
from tests.policies.sla_builders import make_policy
from tickets import events, services
from tickets.models import (
    EscalationRule,
    RuleFiring,
    SlaAlert,
    Ticket,
    TicketSlaBreach,
    TicketSlaInstance,
)
from tickets.services.sla_monitor import MonitorRun, run_monitor
from tickets.tasks import monitor_sla

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.mark.django_db
def test_monitor_records_at_risk_then_breach_once_and_notifies(director, rep, manager, team):
    # given a 60-minute first reply on a ticket assigned to the rep
    with time_machine.travel(T0, tick=False):
        make_policy(director)
        ticket = make_ticket(team, by=rep, assignee=rep)
    # when the monitor runs before, at and after the at-risk instant (+45) and the due (+60)
    runs = [run_monitor(at(m)) for m in (44, 45, 50, 60, 61)]
    # then one at-risk and one breach crossing are recorded, each once
    assert runs == [
        MonitorRun(at_risk=0, breaches=0),
        MonitorRun(at_risk=1, breaches=0),
        MonitorRun(at_risk=0, breaches=0),
        MonitorRun(at_risk=0, breaches=1),
        MonitorRun(at_risk=0, breaches=0),
    ]
    assert list(SlaAlert.objects.order_by("at").values_list("kind", "at")) == [
        ("at_risk", at(45)),
        ("breach", at(60)),
    ]
    assert list(
        TicketSlaBreach.objects.values_list("ticket_id", "metric", "index", "breached_at")
    ) == [(ticket.pk, "first_reply", 1, at(60))]
    # and the assignee and the team's manager got one notice per crossing
    notices = sorted(Notification.objects.values_list("user__username", "key"))
    assert notices == [
        ("maria", f"sla:at_risk:{ticket.pk}:first_reply:1"),
        ("maria", f"sla:breach:{ticket.pk}:first_reply:1"),
        ("rita", f"sla:at_risk:{ticket.pk}:first_reply:1"),
        ("rita", f"sla:breach:{ticket.pk}:first_reply:1"),
    ]


@pytest.mark.django_db
def test_a_reply_before_the_due_time_leaves_nothing_to_record(director, rep, team):
    with time_machine.travel(T0, tick=False):
        make_policy(director)
        ticket = make_ticket(team)
    with time_machine.travel(at(30), tick=False):
        services.reply(ticket.pk, by=rep, body="On it.")
    assert run_monitor(at(120)) == MonitorRun(at_risk=0, breaches=0)
    assert SlaAlert.objects.count() == 0


@pytest.mark.django_db
def test_a_ticket_first_seen_breached_gets_only_the_breach_alert(director, team):
    with time_machine.travel(T0, tick=False):
        make_policy(director)
        make_ticket(team)
    assert run_monitor(at(90)) == MonitorRun(at_risk=0, breaches=1)
    assert list(SlaAlert.objects.values_list("kind", flat=True)) == ["breach"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_monitors_at_once_record_each_breach_once(director, rep, manager, team):
    # given five tickets whose first reply was due an hour ago
    with time_machine.travel(T0, tick=False):
        make_policy(director)
        tickets = [make_ticket(team, by=rep, assignee=rep) for _ in range(5)]
    now = at(120)
    barrier = threading.Barrier(2)
    results: list[MonitorRun] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(run_monitor(now))
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    # when two monitors run at the same instant in two threads (two connections)
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then each breach is recorded and notified exactly once in total
    assert errors == []
    assert sorted(r.breaches for r in results) in ([0, 5], [1, 4], [2, 3])
    assert sum(r.breaches for r in results) == 5
    assert SlaAlert.objects.filter(kind="breach").count() == 5
    assert TicketSlaBreach.objects.count() == 5
    assert sorted(TicketSlaBreach.objects.values_list("ticket_id", flat=True)) == sorted(
        t.pk for t in tickets
    )
    assert Notification.objects.filter(key__startswith="sla:breach:").count() == 10
    # and a retry of the task finds nothing new
    assert run_monitor(now) == MonitorRun(at_risk=0, breaches=0)


@pytest.mark.django_db
def test_monitor_task_returns_its_counts(director, team):
    with time_machine.travel(T0, tick=False):
        make_policy(director)
        make_ticket(team)
    with time_machine.travel(at(61), tick=False):
        assert monitor_sla() == {"at_risk": 0, "breaches": 1}


@pytest.mark.django_db
def test_a_breach_fires_the_escalation_rules_once_and_the_clocks_follow(director, rep, team):
    # given a rule that makes a breached ticket urgent, whose first reply target is 5 minutes
    with time_machine.travel(T0, tick=False):
        make_policy(director, spec={"normal": {"first_reply": 60}, "urgent": {"first_reply": 5}})
        ticket = make_ticket(team, by=rep, assignee=rep)
    EscalationRule.objects.create(
        name="Breached: urgent",
        trigger="sla_breach",
        raise_priority_to="urgent",
        created_by=director,
        created_at=T0,
        updated_at=T0,
    )
    # when the monitor sees the breach, twice
    with time_machine.travel(at(61), tick=False):
        first, second = run_monitor(), run_monitor()
    # then the rule fired once, and the stored instance was re-evaluated after it: breached
    # at +60 under the normal target in force then (a breach is attributed to its instant)
    assert (first.breaches, second.breaches) == (1, 0)
    assert RuleFiring.objects.count() == 1
    ticket.refresh_from_db()
    assert ticket.priority == "urgent"
    instance = TicketSlaInstance.objects.get(ticket=ticket, metric="first_reply")
    assert (
        instance.outcome,
        instance.target_minutes,
        instance.breached_at,
        instance.evaluated_at,
    ) == ("breached", 60, at(60), at(61))
    assert instance.trail[-1] == {
        "at": "2026-03-02T10:00:00+00:00",
        "action": "breach",
        "reason": "due",
    }


@pytest.mark.django_db
def test_a_reply_logged_without_re_evaluation_is_seen_before_alerting(director, rep, team):
    # given a writer that logs an agent reply at +30 but does not re-evaluate the SLA
    with time_machine.travel(T0, tick=False):
        make_policy(director)
        ticket = make_ticket(team)
    events.append(
        [
            events.status_changed(ticket, at(30), rep, "new", "open"),
            events.agent_reply(ticket, at(30), rep, "Sent from elsewhere."),
        ]
    )
    Ticket.objects.filter(pk=ticket.pk).update(status="open", updated_at=at(30))
    # when the monitor runs after the stored due time
    run = run_monitor(at(90))
    # then it re-evaluates, finds the first reply met and records nothing
    assert run == MonitorRun(at_risk=0, breaches=0)
    assert SlaAlert.objects.count() == 0
    instance = TicketSlaInstance.objects.get(ticket=ticket, metric="first_reply")
    assert (instance.outcome, instance.ended_at) == ("achieved", at(30))
