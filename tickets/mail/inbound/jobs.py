"""The mailbox poll's job handler (csops.jobs), imported by tickets/jobs.py at start-up."""

from __future__ import annotations

from csops.jobs import Again, handler
from tickets.mail.inbound import poll


@handler(poll.POLL)
def poll_mailbox(payload: dict) -> Again | None:
    """One poll; runs again at once while messages wait beyond its time budget."""
    return Again() if poll.poll(payload["mailbox"]).more else None
