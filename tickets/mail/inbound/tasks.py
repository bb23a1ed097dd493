"""Beat task of the inbound mail: queue one poll job per enabled mailbox."""

from __future__ import annotations

from celery import shared_task

from tickets.mail.inbound import poll


@shared_task(name="tickets.enqueue_mailbox_polls", ignore_result=True)
def enqueue_mailbox_polls() -> int:
    """Every MAILBOX_POLL_SECONDS: the job row is the truth (a killed worker's poll is run
    again when its lease passes); this only makes each mailbox's poll due."""
    return poll.enqueue_polls()
