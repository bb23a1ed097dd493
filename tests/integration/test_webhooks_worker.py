"""Webhook deliveries through a real Celery worker (with beat) on Redis to a real HTTP
receiver, with the worker SIGKILLed while a delivery waits for the receiver's answer: a
second worker finishes the fan-out, and every delivery is logged delivered exactly once (the
one cut off is sent again with the same X-Csops-Delivery id, which a receiver drops). Run
with one job thread per worker and with four (JOB_THREADS)."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from tests.factories import make_ticket
from tests.integration.faults import kill
from tests.integration.worker import running_worker
from tests.tickets.webhook_receiver import running_receiver
from tickets.webhooks import services as webhooks
from tickets.webhooks.models import DeliveryAttempt, DeliveryState, WebhookDelivery

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

FAST = {"JOB_POLL_SECONDS": "1", "JOB_LEASE_SECONDS": "4", "WEBHOOK_TIMEOUT_SECONDS": "5"}
TICKETS = 25  # x 2 subscriptions = 50 deliveries
STALL_AT = 15  # the receiver holds the 15th request while the worker is killed


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def _delivered() -> int:
    return WebhookDelivery.objects.filter(state=DeliveryState.DELIVERED).count()


@pytest.mark.parametrize("threads", [1, 4])
def test_a_worker_killed_mid_fan_out_leaves_each_delivery_logged_once(
    team, director, record_property, threads
):
    env = {**FAST, "JOB_THREADS": str(threads)}
    script = [("sleep", 0.05)] * (STALL_AT - 1) + [("stall", 3.0)]
    with running_receiver(script=script, default=("sleep", 0.05)) as receiver:
        subs = [
            webhooks.create_subscription(
                by=director, name=f"Sink {n}", url=receiver.url, events=["ticket.created"]
            )
            for n in (1, 2)
        ]
        for n in range(TICKETS):
            make_ticket(team, subject=f"Order {n} missing")
        total = WebhookDelivery.objects.count()
        assert total == 2 * TICKETS

        with running_worker(beat=True, env=env) as worker:
            assert receiver.stalled.wait(60), "the worker never delivered"
            kill(worker.pid)  # while it waits for the stalled answer, row locked
            worker.wait(timeout=10)
        done_at_kill = _delivered()
        record_property("delivered_at_kill", done_at_kill)
        assert done_at_kill < total, "the fan-out finished before the kill: proved nothing"

        started = time.monotonic()
        with running_worker(beat=True, env=env):
            assert _wait_for(lambda: _delivered() == total, 90), (
                f"{_delivered()} of {total} delivered"
            )
        record_property("seconds_to_finish_after_restart", round(time.monotonic() - started, 1))

    # every delivery is logged delivered, with exactly one successful attempt
    states = Counter(WebhookDelivery.objects.values_list("state", flat=True))
    assert states == {DeliveryState.DELIVERED: total}
    ok = Counter(
        DeliveryAttempt.objects.filter(status_code=200).values_list("delivery_id", flat=True)
    )
    assert sorted(ok.values()) == [1] * total
    # the receiver got every delivery, signed; the one cut off by the kill came twice with
    # the same id (a receiver dedupes on X-Csops-Delivery)
    secrets = {s.pk: s.secret for s in subs}
    uuids = {str(d.uuid): d.subscription_id for d in WebhookDelivery.objects.all()}
    seen = Counter(r.delivery for r in receiver.requests)
    assert set(seen) == set(uuids)
    assert all(r.verify(secrets[uuids[r.delivery]]) for r in receiver.requests)
    # (with several threads, the others' deliveries in flight at the kill may come twice too)
    repeated = [uuid for uuid, n in seen.items() if n > 1]
    assert 1 <= len(repeated) <= threads, seen.most_common(5)
