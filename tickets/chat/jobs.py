"""The chat delivery job (csops.jobs), imported by tickets/jobs.py at start-up."""

from __future__ import annotations

from csops.jobs import handler
from tickets.chat import services


@handler(services.DELIVER)
def deliver_chat_message(payload: dict) -> None:
    services.deliver(payload["delivery"])
