"""An outgoing endpoint's failure streak: deliveries in a row that failed for good. At
``WEBHOOK_PAUSE_AFTER`` the endpoint is paused and someone told (the app says whom and how);
a delivered one clears it, and so does turning the endpoint on again. The callers leave test
deliveries out: they neither count towards nor reset the streak."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.utils import timezone

from tickets.endpoints.models import Endpoint

E = TypeVar("E", bound=Endpoint)


def save_changes(endpoint: Endpoint, values: dict) -> None:
    """Set and save the changed fields (checked by the caller). Turning a paused endpoint on
    again clears its streak."""
    resumed = values.get("active") is True and not endpoint.active
    for name, value in values.items():
        setattr(endpoint, name, value)
    fields = list(values)
    if resumed:
        endpoint.failure_streak, endpoint.paused_at = 0, None
        fields += ["failure_streak", "paused_at"]
    if fields:
        endpoint.save(update_fields=fields)


def clear(endpoint: Endpoint) -> None:
    """A delivery went through: the streak starts again."""
    if endpoint.failure_streak:
        type(endpoint)._default_manager.filter(pk=endpoint.pk).update(failure_streak=0)


def count_failure(endpoint: E, tell_paused: Callable[[E, datetime], None]) -> None:
    """One more delivery failed for good; pause the endpoint at the threshold and call
    ``tell_paused`` with it (locked) and the time it was paused."""
    endpoint = type(endpoint)._default_manager.select_for_update().get(pk=endpoint.pk)
    endpoint.failure_streak += 1
    fields = ["failure_streak"]
    if endpoint.active and endpoint.failure_streak >= settings.WEBHOOK_PAUSE_AFTER:
        endpoint.active, endpoint.paused_at = False, timezone.now()
        fields += ["active", "paused_at"]
        tell_paused(endpoint, endpoint.paused_at)
    endpoint.save(update_fields=fields)
