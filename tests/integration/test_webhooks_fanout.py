"""Webhook fan-out through a real Celery worker (with beat) on Redis to a real HTTP receiver:
events arrive while the worker runs (a new ticket every PACE seconds); measures event
committed -> receiver got it (the issue's goal: p95 <= 5 s) and checks each delivery arrived
and was logged once.

Measured here (one solo worker, 2 shared cores): 1000 events x 3 subscriptions at about 20
events/s: p95 0.09 s; the same 1000 created back to back (about 40/s, 120 deliveries/s, more
than one solo worker sends): p95 6.4-9.9 s."""

from __future__ import annotations

import math
import os
import time
from collections import Counter

import pytest

from tests.factories import make_ticket
from tests.integration.worker import running_worker
from tests.tickets.webhook_receiver import running_receiver
from tickets.webhooks import services as webhooks
from tickets.webhooks.models import DeliveryAttempt, DeliveryState, WebhookDelivery

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# The figure is 1000 events; a run here keeps 100 (WEBHOOK_FANOUT_EVENTS for more). Events
# come every PACE seconds after the previous commit (WEBHOOK_FANOUT_PACE=0: back to back).
EVENTS = int(os.environ.get("WEBHOOK_FANOUT_EVENTS", "100"))
PACE = float(os.environ.get("WEBHOOK_FANOUT_PACE", "0.05"))
SUBSCRIPTIONS = 3
GOAL_P95_SECONDS = 5.0


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def test_fan_out_reaches_every_subscription_within_seconds(team, director, record_property):
    with running_receiver() as receiver:
        for n in range(SUBSCRIPTIONS):
            webhooks.create_subscription(
                by=director, name=f"Sink {n}", url=receiver.url, events=["ticket.created"]
            )
        total = EVENTS * SUBSCRIPTIONS
        with running_worker(beat=True, env={"JOB_POLL_SECONDS": "1"}):
            # a first event warms the worker up (imports, connections); not measured
            make_ticket(team, subject="Warm-up")
            assert _wait_for(lambda: len(receiver.requests) == SUBSCRIPTIONS, 60)
            committed: dict[int, float] = {}
            for n in range(EVENTS):
                ticket = make_ticket(team, subject=f"Order {n} missing")
                committed[ticket.pk] = time.time()
                time.sleep(PACE)
            assert _wait_for(lambda: len(receiver.requests) == total + SUBSCRIPTIONS, 300), (
                f"{len(receiver.requests)} of {total + SUBSCRIPTIONS} received"
            )
    arrived: dict[str, float] = {r.delivery: r.at for r in receiver.requests}
    latencies = []
    for delivery in WebhookDelivery.objects.select_related("event"):
        ticket_id = delivery.event.payload["ticket"]["id"]
        if ticket_id in committed:
            latencies.append(arrived[str(delivery.uuid)] - committed[ticket_id])
    assert len(latencies) == total
    p95 = _p95(latencies)
    record_property("deliveries", total)
    record_property("p95_event_to_delivery_seconds", round(p95, 3))
    record_property("max_event_to_delivery_seconds", round(max(latencies), 3))
    print(f"fan-out: {total} deliveries, p95 {p95:.3f} s, max {max(latencies):.3f} s")  # noqa: T201
    states = Counter(WebhookDelivery.objects.values_list("state", flat=True))
    assert states == {DeliveryState.DELIVERED: total + SUBSCRIPTIONS}
    assert DeliveryAttempt.objects.count() == total + SUBSCRIPTIONS
    assert p95 <= GOAL_P95_SECONDS
