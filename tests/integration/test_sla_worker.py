"""A real Celery worker on Redis runs the SLA monitor: a breach is detected, recorded,
notified and escalated end to end."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from csops.models import Notification
from tests.factories import make_ticket
from tests.integration.worker import running_worker
from tests.policies.sla_builders import make_policy
from tickets.models import EscalationRule, SlaAlert, Ticket, TicketSlaBreach
from tickets.tasks import monitor_sla

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_worker_records_and_escalates_a_breach(director, rep, manager, team):
    # given a ticket whose 30-minute first reply fell due an hour ago, and a rule that
    # raises the priority of a breached ticket to urgent
    created = (timezone.now() - timedelta(minutes=90)).replace(microsecond=0)
    with time_machine.travel(created, tick=False):
        make_policy(director, spec={"normal": {"first_reply": 30}, "urgent": {"first_reply": 5}})
        ticket = make_ticket(team, by=rep, assignee=rep)
    EscalationRule.objects.create(
        name="Breached: make it urgent",
        trigger="sla_breach",
        raise_priority_to="urgent",
        created_by=director,
        created_at=created,
        updated_at=created,
    )
    # when a real worker runs the monitor task
    with running_worker():
        monitor_sla.delay()
        seen = _wait_for(lambda: SlaAlert.objects.filter(kind="breach").exists())
    # then the breach is recorded once, with its due instant, and escalated
    assert seen, "the worker never recorded the breach"
    assert list(TicketSlaBreach.objects.values_list("ticket_id", "metric", "breached_at")) == [
        (ticket.pk, "first_reply", created + timedelta(minutes=30))
    ]
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == [
        "maria",
        "rita",
    ]
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.priority == "urgent"
    assert list(ticket.events.values_list("type", flat=True))[-1] == "priority_changed"
