"""Periodic routing work (scheduled in csops/celery.py). The rows are the truth: a run
reads waiting tickets and people's state and acts; a lost or doubled run changes nothing."""

from __future__ import annotations

from celery import shared_task

from tickets.routing import services


@shared_task(name="tickets.routing.route_waiting")
def route_waiting() -> dict[str, int]:
    """Re-route, overflow and assign waiting tickets of every routed team."""
    return services.route_waiting()
