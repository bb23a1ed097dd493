"""Read a team's mailbox over IMAP and ingest each new message, exactly once.

One poll (the ``POLL`` job, queued for every enabled mailbox by the beat task
``tickets.enqueue_mailbox_polls`` every ``MAILBOX_POLL_SECONDS``):

1. logs in (IMAPS / STARTTLS / plain, the password read from the environment variable the
   mailbox names), SELECTs its folder and compares the folder's UIDVALIDITY with the stored
   one. On the first poll, or when it changed (the folder's UIDs start over), reading starts
   at the oldest unread message; otherwise at the UIDs above ``last_uid``, read or not (a
   colleague who opened a message in webmail does not hide it from the poller);
2. fetches them in batches of ``MAILBOX_FETCH_BATCH`` with ``BODY.PEEK[]`` and hands each
   batch to ``services.ingest_batch``: every message's inbound record, keyed by (mailbox,
   UIDVALIDITY, UID), commits with its ticket change, the batch in one transaction;
3. only then marks the batch ``\\Seen`` (or moves it to the processed folder) and moves
   ``last_uid`` past it.

A crash between 2 and 3 leaves the messages unread and ``last_uid`` behind them: the next poll
fetches them again and ``ingest`` finds their records and changes nothing, then they are
marked. No duplicate ticket, nothing lost.

A mailbox that cannot be read (wrong password, unknown folder, server down, bad certificate)
gets the reason in ``last_error`` (shown in the admin) and rests for
``MAILBOX_ERROR_BACKOFF_SECONDS``; the poll job itself ends normally, so the beat and the
other mailboxes go on. A poll reads for at most ``MAILBOX_POLL_BUDGET_SECONDS`` and reports
that more is waiting (the job runs again at once), so no poll outlives its job's lease.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from csops import jobs
from csops.models import Job
from tickets.mail.inbound import imap, services
from tickets.mail.inbound.models import InboundSource, Mailbox

log = logging.getLogger(__name__)

POLL = "tickets.poll_mailbox"  # job kind: one poll of one mailbox (tickets/mail/inbound/jobs.py)
MAX_BATCH_BYTES = 32 * 1024 * 1024  # a FETCH answer held in memory at once, at most


@dataclass(frozen=True)
class PollResult:
    ingested: int = 0
    more: bool = False  # the budget ran out with messages still waiting
    error: str = ""


def poll_key(mailbox_id: int) -> str:
    return f"mailbox-poll:{mailbox_id}"


@transaction.atomic
def enqueue_polls() -> int:
    """Queue a poll of every enabled mailbox that has none under way (the beat task); a
    mailbox whose last poll failed waits ``MAILBOX_ERROR_BACKOFF_SECONDS``. Returns how many
    were queued."""
    resting = timezone.now() - timedelta(seconds=settings.MAILBOX_ERROR_BACKOFF_SECONDS)
    due = (
        Mailbox.objects.filter(enabled=True)
        .exclude(imap_host="")
        .exclude(~Q(last_error=""), last_polled_at__gt=resting)
        .values_list("pk", flat=True)
    )
    return sum(
        jobs.enqueue_recurring(POLL, key=poll_key(pk), payload={"mailbox": pk}) for pk in due
    )


def poll_now(mailbox_id: int) -> bool:
    """Make the mailbox's poll due now and wake a worker (the IDLE listener, on new mail).
    True when a poll that has not yet started is due; False while one is running (it may have
    listed the folder before the new mail came) or waits for a later time: ask again."""
    key = poll_key(mailbox_id)
    if jobs.enqueue_recurring(POLL, key=key, payload={"mailbox": mailbox_id}):
        return True
    return Job.objects.filter(key=key, state=Job.State.PENDING, due_at__lte=timezone.now()).exists()


def account_for(mailbox: Mailbox) -> imap.Account:
    """The mailbox's IMAP account; its password from the environment variable it names."""
    if not mailbox.imap_host:
        raise imap.ImapError("No IMAP server is set for this mailbox.")
    if not mailbox.password_env:
        raise imap.ImapError(
            "No password variable is set: enter the name of the environment variable that "
            "holds the IMAP password in 'Password env'."
        )
    password = os.environ.get(mailbox.password_env)
    if password is None:
        raise imap.ImapError(
            f"The environment variable {mailbox.password_env} (the IMAP password) is not set "
            "in the worker's environment."
        )
    return imap.Account(
        host=mailbox.imap_host,
        port=mailbox.imap_port,
        security=mailbox.imap_security,
        username=mailbox.imap_username or mailbox.address,
        password=password,
        timeout=settings.IMAP_TIMEOUT_SECONDS,
        ca_file=settings.IMAP_CA_FILE,
    )


def poll(mailbox_id: int, *, budget_seconds: float | None = None) -> PollResult:
    """One poll of one mailbox (see the module's docstring). A disabled or deleted mailbox is
    not read."""
    mailbox = Mailbox.objects.filter(pk=mailbox_id, enabled=True).select_related("team").first()
    if mailbox is None:
        return PollResult()
    budget = settings.MAILBOX_POLL_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    ingested, more = 0, False
    try:
        with imap.connect(account_for(mailbox)) as session:
            validity = session.select(mailbox.imap_folder)
            if validity != mailbox.uidvalidity:
                uids = _start_over(mailbox, session, validity)
            else:
                uids = session.uids_after(mailbox.last_uid)
            sizes = session.sizes(uids) if uids else {}
            for batch in _batches(uids, sizes):
                if time.monotonic() >= deadline:
                    more = True
                    break
                fetched = [(str(uid), raw) for uid, raw in session.fetch(batch)]
                services.ingest_batch(
                    fetched, mailbox=mailbox, source=InboundSource.IMAP, uidvalidity=validity
                )
                ingested += len(fetched)
                # The records of the batch are committed: now, and only now, mark the mail.
                session.mark_processed(batch, move_to=mailbox.imap_processed_folder)
                _advance(mailbox, validity, batch[-1])
    except imap.ImapError as exc:
        log.warning("mailbox %s could not be read: %s", mailbox.address, exc)
        _record(mailbox, error=str(exc))
        return PollResult(ingested=ingested, error=str(exc))
    _record(mailbox, error="")
    return PollResult(ingested=ingested, more=more)


def _start_over(mailbox: Mailbox, session: imap.Session, validity: int) -> list[int]:
    """First poll, or a folder whose UIDs were renumbered: read from its oldest unread message
    on (records of messages already processed are found again by Message-ID and content)."""
    unseen = session.unseen_uids()
    start = unseen[0] - 1 if unseen else max(session.uids_after(0), default=0)
    Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=validity, last_uid=start)
    mailbox.uidvalidity, mailbox.last_uid = validity, start
    return unseen


def _batches(uids: list[int], sizes: dict[int, int]) -> Iterator[list[int]]:
    batch: list[int] = []
    total = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if batch and (len(batch) >= settings.MAILBOX_FETCH_BATCH or total + size > MAX_BATCH_BYTES):
            yield batch
            batch, total = [], 0
        batch.append(uid)
        total += size
    if batch:
        yield batch


def _advance(mailbox: Mailbox, validity: int, uid: int) -> None:
    Mailbox.objects.filter(pk=mailbox.pk, uidvalidity=validity, last_uid__lt=uid).update(
        last_uid=uid
    )
    mailbox.last_uid = max(mailbox.last_uid, uid)


def _record(mailbox: Mailbox, *, error: str) -> None:
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_polled_at=timezone.now(), last_error=error[:2000]
    )
