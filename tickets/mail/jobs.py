"""The outbox's job handler (csops.jobs), imported by tickets/jobs.py at start-up."""

from __future__ import annotations

from csops.jobs import handler
from tickets.mail import services


@handler(services.SEND)
def send_outbound_mail(payload: dict) -> None:
    services.send(payload["message"])
