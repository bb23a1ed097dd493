"""Mail delivered to a real IMAP server (dovecot) → a real Celery worker with beat on Redis
polls it (beat queues the poll job, the job row is the truth) → tickets and replies.
Also: a worker killed in the middle of a poll leaves no duplicate once the lease passes; and
without beat, the IDLE listener (``manage.py listen_mailboxes``) makes new mail a ticket within
seconds, across a restart of the listener, without duplicates."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.dovecot import SPARE_PASSWORD
from tests.integration.worker import ROOT, _test_database_url, running_worker
from tests.mail.imap.conftest import PASSWORD_ENV, mail, make_mailbox
from tickets.mail.inbound.models import InboundMessage, Mailbox
from tickets.models import Ticket, TicketEvent
from tickets.models.events import ActorRole, EventType

pytestmark = [
    pytest.mark.imap,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

SEEN = "\\Seen"


@pytest.fixture(autouse=True)
def _worker_media(settings, tmp_path):
    # The worker writes each received message to storage: a directory of this test's own.
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _env(tmp_path, **extra: str) -> dict[str, str]:
    return {
        PASSWORD_ENV: SPARE_PASSWORD,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",  # acknowledgments
        "MAILBOX_POLL_SECONDS": "1",
        "JOB_POLL_SECONDS": "1",
        **extra,
    }


def _log(worker) -> str:
    with open(worker.log_path) as log:
        return log.read()[-3000:]


def _wait_for(predicate, timeout: float = 60.0, every: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False


def test_worker_turns_delivered_mail_into_tickets_and_replies(team, dovecot_server, tmp_path):
    user = dovecot_server.take_user()
    mailbox = make_mailbox(team, dovecot_server, user)
    first, first_id = mail(subject="Router blinks red")
    with running_worker(beat=True, env=_env(tmp_path)) as worker:
        # once the worker polls the (empty) mailbox, a message is delivered
        assert _wait_for(lambda: Mailbox.objects.get(pk=mailbox.pk).last_polled_at, timeout=60)
        dovecot_server.deliver(first, user=user)
        delivered = time.monotonic()
        assert _wait_for(lambda: Ticket.objects.filter(subject="Router blinks red").exists()), _log(
            worker
        )
        first_delay = time.monotonic() - delivered
        # the customer answers in the same thread
        reply, _ = mail(
            subject="Re: Router blinks red", body="Now it is green.", in_reply_to=first_id
        )
        dovecot_server.deliver(reply, user=user)
        ticket = Ticket.objects.get(subject="Router blinks red")
        customer_replies = TicketEvent.objects.filter(
            ticket=ticket, type=EventType.PUBLIC_REPLY, actor_role=ActorRole.CUSTOMER
        )
        assert _wait_for(customer_replies.exists), _log(worker)
        time.sleep(2.5)  # two more polls: nothing is taken twice
    assert ticket.team == mailbox.team
    assert [e.body.strip() for e in customer_replies] == ["Now it is green."]
    assert Ticket.objects.count() == 1
    assert InboundMessage.objects.filter(mailbox=mailbox).count() == 2
    assert dovecot_server.flags(user) == {1: {SEEN}, 2: {SEEN}}
    assert first_delay < 15, f"delivery -> ticket took {first_delay:.1f} s"


def test_a_worker_killed_mid_poll_leaves_no_duplicate(team, dovecot_server, tmp_path):
    # given a mailbox holding 30 messages, read 10 at a time
    user = dovecot_server.take_user()
    mailbox = make_mailbox(team, dovecot_server, user)
    count = 30
    dovecot_server.deliver(*(mail(subject=f"Crash {n}")[0] for n in range(count)), user=user)
    env = _env(tmp_path, MAILBOX_FETCH_BATCH="10", JOB_LEASE_SECONDS="3")

    # when the worker is killed (SIGKILL) once some records committed, before all are read
    with running_worker(beat=True, env=env) as worker:
        assert _wait_for(lambda: InboundMessage.objects.count() >= 2, timeout=90, every=0.01), _log(
            worker
        )
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    recorded = InboundMessage.objects.count()
    marked = sum(SEEN in f for f in dovecot_server.flags(user).values())
    assert recorded < count
    # (records that committed while their mail is still unread: the window this test is about)
    assert recorded > marked, (recorded, marked)

    # then a new worker takes the poll over once the lease passed, and every message is in
    # exactly once, every one marked read
    with running_worker(beat=True, env=env, purge=False) as worker:
        assert _wait_for(
            lambda: all(SEEN in f for f in dovecot_server.flags(user).values()), timeout=240
        ), _log(worker)
    assert InboundMessage.objects.filter(mailbox=mailbox).count() == count
    subjects = list(Ticket.objects.values_list("subject", flat=True))
    assert sorted(subjects) == sorted(f"Crash {n}" for n in range(count))
    assert len(dovecot_server.flags(user)) == count


@contextlib.contextmanager
def _listener(tmp_path, name: str) -> Iterator[subprocess.Popen]:
    """``manage.py listen_mailboxes`` against the test database; ended with SIGTERM."""
    env = {**os.environ, **_env(tmp_path), "DATABASE_URL": _test_database_url()}
    with open(tmp_path / f"{name}.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "listen_mailboxes", "--refresh-seconds", "1"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            # (up once it says so: SIGTERM before Django has started would just kill it)
            assert _wait_for(lambda: b"Listening" in (tmp_path / f"{name}.log").read_bytes())
            yield proc
        finally:
            proc.terminate()
            try:
                assert proc.wait(timeout=20) == 0, (tmp_path / f"{name}.log").read_text()
            except subprocess.TimeoutExpired:
                proc.kill()
                raise


def test_the_idle_listener_brings_mail_in_within_seconds_without_beat(
    team, dovecot_server, tmp_path
):
    user = dovecot_server.take_user()
    mailbox = make_mailbox(team, dovecot_server, user)
    with running_worker(beat=False, env=_env(tmp_path)) as worker:
        with _listener(tmp_path, "listener-1"):
            # the listener's first connection makes a catch-up poll due: the worker runs it
            assert _wait_for(lambda: Mailbox.objects.get(pk=mailbox.pk).last_polled_at), _log(
                worker
            )
            first, first_id = mail(subject="Router blinks red")
            dovecot_server.deliver(first, user=user)
            delivered = time.monotonic()
            assert _wait_for(
                lambda: Ticket.objects.filter(subject="Router blinks red").exists(), timeout=30
            ), _log(worker)
            delay = time.monotonic() - delivered
        # mail that comes while the listener is down is taken when it is back, once
        reply, _ = mail(subject="Re: Router blinks red", body="Green now.", in_reply_to=first_id)
        second, _ = mail(subject="Printer on fire")
        dovecot_server.deliver(reply, second, user=user)
        with _listener(tmp_path, "listener-2"):
            assert _wait_for(
                lambda: InboundMessage.objects.filter(mailbox=mailbox).count() == 3, timeout=30
            ), _log(worker)
            time.sleep(2)  # more wake-ups (the flags the poll set): nothing is taken twice
    assert delay < 5, f"delivery -> ticket took {delay:.1f} s with the listener"
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == [
        "Printer on fire",
        "Router blinks red",
    ]
    ticket = Ticket.objects.get(subject="Router blinks red")
    replies = TicketEvent.objects.filter(
        ticket=ticket, type=EventType.PUBLIC_REPLY, actor_role=ActorRole.CUSTOMER
    )
    assert [e.body.strip() for e in replies] == ["Green now."]
    assert InboundMessage.objects.filter(mailbox=mailbox).count() == 3
    assert dovecot_server.flags(user) == {1: {SEEN}, 2: {SEEN}, 3: {SEEN}}
