"""The end of one try of a delivery to an outgoing endpoint, alike in both apps' ``deliver``:
a delivery to a paused endpoint is cancelled unsent; after the POST the outcome is recorded,
and the delivery is delivered, failed for good after ``max_attempts()`` tries, or left pending
for the job runner's retry with back-off. The endpoint's failure streak follows (``streak``),
except for test deliveries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.conf import settings

from csops import jobs
from tickets.endpoints import streak
from tickets.endpoints.models import Delivery, Endpoint
from tickets.endpoints.transport import Outcome

# The values of both apps' delivery states (each app's choices give the labels).
DELIVERED, FAILED, CANCELLED = "delivered", "failed", "cancelled"

E = TypeVar("E", bound=Endpoint)


def max_attempts() -> int:
    return jobs.attempts_within(settings.WEBHOOK_MAX_ATTEMPTS)


def cancel_if_paused(delivery: Delivery, endpoint: Endpoint, *, is_test: bool, why: str) -> bool:
    """Cancel (and save) a delivery to a paused endpoint; a test goes out all the same."""
    if endpoint.active or is_test:
        return False
    delivery.last_error = why
    delivery.finish(CANCELLED)
    delivery.save(update_fields=["state", "finished_at", "last_error"])
    return True


def record_outcome(
    delivery: Delivery,
    endpoint: E,
    outcome: Outcome,
    *,
    is_test: bool,
    tell_paused: Callable[[E, datetime], None],
) -> None:
    """Record a try's outcome on the (locked) delivery, not yet saved, and its end if it is
    the last; the endpoint's streak is cleared or counted (and ``tell_paused`` called if that
    pauses it)."""
    delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
    if outcome.ok:
        delivery.finish(DELIVERED)
        if not is_test:
            streak.clear(endpoint)
    elif delivery.attempts >= max_attempts():
        delivery.finish(FAILED)
        if not is_test:
            streak.count_failure(endpoint, tell_paused)
