"""The webhook delivery job (csops.jobs), imported by tickets/jobs.py at start-up."""

from __future__ import annotations

from csops.jobs import handler
from tickets.webhooks import services


@handler(services.DELIVER)
def deliver_webhook(payload: dict) -> None:
    services.deliver(payload["delivery"])
