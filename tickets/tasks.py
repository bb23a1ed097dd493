"""Celery tasks of the tickets app (thin: load by id or time, call one service)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from tickets.services import sla_monitor


@shared_task(
    name="tickets.tasks.monitor_sla",
    ignore_result=False,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def monitor_sla() -> dict[str, int]:
    """Record SLA at-risk and breach crossings (idempotent: safe to overlap or retry)."""
    run = sla_monitor.run_monitor()
    return {"at_risk": run.at_risk, "breaches": run.breaches}
