"""Automatic assignment under real concurrency: 200 tickets created at once from 20 threads,
each with its own PostgreSQL connection, across 20 reps."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from tests.factories import CustomerFactory
from tests.tickets import routing_helpers as h
from tickets import services
from tickets.models import Ticket, TicketEvent
from tickets.routing.engine import PRIORITY_WEIGHT

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CAPACITY = 9


def test_two_hundred_tickets_at_once_leave_nobody_over_capacity(team, other_team):
    people = h.reps(team, 20)
    # Half of them also work a second routed team: both teams' routing competes for them.
    other_team.members.add(*people[:10])
    h.routed(team, "round_robin", capacity=CAPACITY)
    h.routed(other_team, "least_loaded", capacity=CAPACITY)
    customer = CustomerFactory()
    barrier = threading.Barrier(20)
    created: list[int] = []
    errors: list[BaseException] = []
    priorities = ["normal", "high", "urgent", "low"]

    def burst(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(10):
                ticket = services.create_ticket(
                    by=None,
                    requester=customer,
                    subject=f"Burst {worker}-{i}",
                    description="At once.",
                    team=other_team if (worker + i) % 4 == 0 else team,
                    priority=priorities[(worker + i) % 4],
                )
                created.append(ticket.pk)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=burst, args=(w,)) for w in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len(created) == 200
    tickets = list(Ticket.objects.filter(pk__in=created))
    load: Counter = Counter()
    for t in tickets:
        if t.assignee_id is not None:
            load[t.assignee_id] += PRIORITY_WEIGHT[t.priority]
    assert max(load.values()) <= CAPACITY, load
    # Total capacity 20 x 9 = 180 units for 250 units of work: some wait, none is lost.
    assigned = [t for t in tickets if t.assignee_id is not None]
    assert 150 <= sum(load.values()) <= 180
    events = Counter(
        TicketEvent.objects.filter(ticket_id__in=created, type="assigned").values_list(
            "ticket_id", flat=True
        )
    )
    assert set(events) == {t.pk for t in assigned}
    assert set(events.values()) == {1}, "a ticket was assigned twice"
    waiting = [t for t in tickets if t.assignee_id is None]
    assert all(t.routing.waiting_since is not None for t in waiting)
