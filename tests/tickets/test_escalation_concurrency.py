"""Real concurrent connections: rules and escalations act once under races."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from csops.errors import Conflict
from tests.factories import UserFactory, make_ticket
from tickets.models import Escalation, EscalationRule, RuleFiring, TicketEvent
from tickets.services import escalations

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(n: int, fn) -> list:
    barrier = threading.Barrier(n)
    results: list = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            results.append(fn(i))
        except Conflict as exc:
            results.append(exc.detail)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_eight_concurrent_monitor_runs_fire_a_rule_once(team):
    now = timezone.now()
    EscalationRule.objects.create(
        name="Breach",
        trigger="sla_breach",
        raise_priority_to="urgent",
        open_escalation=True,
        created_at=now,
        updated_at=now,
    )
    ticket = make_ticket(team)
    results = _race(
        8,
        lambda i: len(
            escalations.apply_rules(ticket.pk, "sla_breach", metric="first_reply", index=1)
        ),
    )
    assert sorted(results) == [0] * 7 + [1]
    assert RuleFiring.objects.count() == 1
    assert Escalation.objects.count() == 1
    assert TicketEvent.objects.filter(ticket=ticket, type="priority_changed").count() == 1


def test_two_reps_escalating_at_once_open_one_escalation(team):
    reps = [UserFactory(username=f"esc{i}", role="Rep") for i in range(2)]
    team.members.add(*reps)
    ticket = make_ticket(team)
    results = _race(
        2,
        lambda i: (
            escalations.escalate(
                ticket.pk, by=reps[i], target="manager", category="other", reason=f"Try {i}"
            ).pk
        ),
    )
    esc = Escalation.objects.get()
    assert sorted(map(str, results)) == sorted(
        [str(esc.pk), f"Ticket #{ticket.pk} already has an open escalation (#{esc.pk})."]
    )
    assert TicketEvent.objects.filter(ticket=ticket, type="escalated").count() == 1
