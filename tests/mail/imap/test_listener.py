"""The IMAP IDLE listener against a real dovecot: IDLE reports new mail, the listener makes the
mailbox's poll due at once, survives the server dropping it, and follows the mailbox list."""

from __future__ import annotations

import subprocess
import threading
import time

import pytest
from django.utils import timezone

from csops.jobs import runner
from csops.models import Job
from tests.mail.imap.conftest import mail
from tickets.mail.inbound import imap, listener, poll
from tickets.mail.inbound.models import InboundMessage, Mailbox
from tickets.models import Ticket

pytestmark = [pytest.mark.imap, pytest.mark.postgres]


def _wait_for(predicate, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _kick(server, user: str) -> None:
    """The server drops the user's sessions (``* BYE``), as on a restart."""
    subprocess.run(
        ["doveadm", "-c", str(server.root / "dovecot.conf"), "kick", user],
        check=True,
        capture_output=True,
    )


def _account(server, user: str) -> imap.Account:
    return imap.Account(server.host, server.port, "none", user, server.users[user], timeout=10)


def test_idle_reports_new_mail_and_ends_on_time_or_when_stopped(dovecot_server):
    user = dovecot_server.take_user()
    stop = threading.Event()
    with imap.connect(_account(dovecot_server, user)) as session:
        session.watch("INBOX")
        # nothing arrives: the round ends after its time, without news
        started = time.monotonic()
        assert session.wait_for_mail(1.0, stop) is False
        assert 0.9 < time.monotonic() - started < 5
        # a message delivered meanwhile ends the round at once
        delivery = threading.Timer(0.3, dovecot_server.deliver, [mail(subject="Hi")[0]])
        delivery.kwargs = {"user": user}
        delivery.start()
        started = time.monotonic()
        assert session.wait_for_mail(60, stop) is True
        assert time.monotonic() - started < 10
        delivery.join()
        # stopping ends a long round within about a second, and the session is still usable
        threading.Timer(0.3, stop.set).start()
        started = time.monotonic()
        assert session.wait_for_mail(60, stop) is False
        assert time.monotonic() - started < 5
        assert session.select("INBOX") > 0
        # the server going away is an ImapError (the listener reconnects)
        stop.clear()
        _kick(dovecot_server, user)
        with pytest.raises(imap.ImapError, match="ended the session|closed the connection"):
            session.wait_for_mail(10, stop)


def test_a_folder_that_does_not_exist_cannot_be_watched(dovecot_server):
    user = dovecot_server.take_user()
    with (
        imap.connect(_account(dovecot_server, user)) as session,
        pytest.raises(imap.ImapError, match="does not exist"),
    ):
        session.watch("Nowhere")


def _due_poll(mailbox: Mailbox) -> bool:
    return Job.objects.filter(
        key=poll.poll_key(mailbox.pk), state=Job.State.PENDING, due_at__lte=timezone.now()
    ).exists()


@pytest.fixture
def running_listener():
    """The listener's main loop in a thread of this process (its own database connection)."""
    started: list[tuple[listener.Listener, threading.Event, threading.Thread]] = []

    def start(**options) -> listener.Listener:
        loop = listener.Listener(**options)
        stop = threading.Event()
        thread = threading.Thread(target=loop.run, args=(stop,), daemon=True)
        thread.start()
        started.append((loop, stop, thread))
        return loop

    yield start
    for _, stop, thread in started:
        stop.set()
        thread.join(15)
        assert not thread.is_alive()


@pytest.mark.django_db(transaction=True)
def test_new_mail_makes_the_poll_due_at_once_even_after_the_server_dropped_the_listener(
    imap_mailbox, dovecot_server, imap_user, running_listener
):
    # given the listener, connected; its connection asks for a catch-up poll, which runs
    loop = running_listener(idle_seconds=60, refresh_seconds=1)
    assert _wait_for(lambda: _due_poll(imap_mailbox))
    watcher = loop.watchers[imap_mailbox.pk]
    assert watcher.connections == 1
    assert runner.run_due(budget_seconds=30) >= 1
    assert not _due_poll(imap_mailbox)

    # when a message arrives, the poll is due within seconds (no beat), and reads it
    dovecot_server.deliver(mail(subject="Printer on fire")[0], user=imap_user)
    assert _wait_for(lambda: _due_poll(imap_mailbox), timeout=10)
    runner.run_due(budget_seconds=30)
    assert Ticket.objects.filter(subject="Printer on fire").count() == 1

    # when the server drops the session, the listener comes back and still hears new mail
    _kick(dovecot_server, imap_user)
    assert _wait_for(lambda: watcher.connections == 2, timeout=20)
    runner.run_due(budget_seconds=30)  # the catch-up poll of the reconnection: nothing new
    dovecot_server.deliver(mail(subject="Refund please")[0], user=imap_user)
    assert _wait_for(lambda: _due_poll(imap_mailbox), timeout=10)
    runner.run_due(budget_seconds=30)

    # then each message made one ticket, once
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == [
        "Printer on fire",
        "Refund please",
    ]
    assert InboundMessage.objects.filter(mailbox=imap_mailbox).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_listener_follows_the_mailbox_list(
    imap_mailbox, dovecot_server, imap_user, running_listener
):
    loop = running_listener(idle_seconds=60, refresh_seconds=1)
    assert _wait_for(lambda: imap_mailbox.pk in loop.watchers)
    first = loop.watchers[imap_mailbox.pk]

    # a changed folder restarts its watcher; a disabled mailbox is no longer listened to
    Mailbox.objects.filter(pk=imap_mailbox.pk).update(imap_folder="Support")
    dovecot_server.deliver(mail(subject="Make the folder")[0], user=imap_user, folder="Support")
    assert _wait_for(lambda: loop.watchers.get(imap_mailbox.pk) not in (None, first))
    assert _wait_for(lambda: not first.is_alive())
    assert loop.watchers[imap_mailbox.pk].target.folder == "Support"
    Mailbox.objects.filter(pk=imap_mailbox.pk).update(enabled=False)
    assert _wait_for(lambda: not loop.watchers)
