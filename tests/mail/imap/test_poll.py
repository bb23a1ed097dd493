"""The mailbox poll against a real dovecot: mail delivered by APPEND becomes tickets and
replies, is marked read (or moved) only after its record committed, exactly once."""

from __future__ import annotations

import pytest

from csops.jobs import runner
from csops.models import Job
from tests.dovecot import SPARE_PASSWORD
from tests.mail.imap.conftest import PASSWORD_ENV, mail, make_mailbox
from tickets.mail.inbound import imap, poll
from tickets.mail.inbound.models import InboundMessage, Mailbox
from tickets.models import Ticket, TicketEvent
from tickets.models.events import ActorRole, EventType

pytestmark = [pytest.mark.imap, pytest.mark.postgres, pytest.mark.django_db]

SEEN = "\\Seen"


def _customer_replies(ticket: Ticket) -> list[TicketEvent]:
    return list(
        ticket.events.filter(type=EventType.PUBLIC_REPLY, actor_role=ActorRole.CUSTOMER).order_by(
            "pk"
        )
    )


def test_new_mail_becomes_tickets_and_replies_and_is_marked_read(
    imap_mailbox, dovecot_server, imap_user
):
    # given two customers' new messages and a reply to the first, delivered to the mailbox
    first, first_id = mail(subject="Printer on fire")
    second, _ = mail(subject="Refund please", sender="Dana <dana@customer.test>")
    reply, _ = mail(subject="Re: Printer on fire", body="Still burning.\n", in_reply_to=first_id)
    dovecot_server.deliver(first, second, user=imap_user)
    dovecot_server.deliver(reply, user=imap_user)

    # when the mailbox is polled
    result = poll.poll(imap_mailbox.pk)

    # then two tickets in the mailbox's team, the reply on the first, every message read
    assert result == poll.PollResult(ingested=3)
    printer = Ticket.objects.get(subject="Printer on fire")
    refund = Ticket.objects.get(subject="Refund please")
    assert printer.team == refund.team == imap_mailbox.team
    assert printer.requester.email == "casey@customer.test"
    assert [e.body.strip() for e in _customer_replies(printer)] == ["Still burning."]
    assert Ticket.objects.count() == 2
    records = InboundMessage.objects.filter(mailbox=imap_mailbox).order_by("uid")
    assert [(r.uid, r.outcome) for r in records] == [
        ("1", "new_ticket"), ("2", "new_ticket"), ("3", "reply")
    ]  # fmt: skip
    assert dovecot_server.flags(imap_user) == {1: {SEEN}, 2: {SEEN}, 3: {SEEN}}
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_uid == 3
    assert imap_mailbox.uidvalidity == records[0].uidvalidity is not None
    assert imap_mailbox.last_error == ""
    assert imap_mailbox.last_polled_at is not None


def test_a_later_poll_reads_only_the_new_mail(imap_mailbox, dovecot_server, imap_user):
    dovecot_server.deliver(mail(subject="One")[0], user=imap_user)
    assert poll.poll(imap_mailbox.pk).ingested == 1
    assert poll.poll(imap_mailbox.pk).ingested == 0

    dovecot_server.deliver(mail(subject="Two")[0], user=imap_user)
    assert poll.poll(imap_mailbox.pk) == poll.PollResult(ingested=1)
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["One", "Two"]


def test_mail_read_by_a_person_before_the_poll_is_still_taken(
    imap_mailbox, dovecot_server, imap_user
):
    # given a first poll, then a message a colleague opened in webmail before the next poll
    dovecot_server.deliver(mail(subject="Before")[0], user=imap_user)
    poll.poll(imap_mailbox.pk)
    dovecot_server.deliver(mail(subject="Opened in webmail")[0], user=imap_user)
    with dovecot_server.client(imap_user) as conn:
        conn.select("INBOX")
        conn.uid("STORE", "2", "+FLAGS", r"(\Seen)")
    # when polled, then it is above last_uid and becomes a ticket all the same
    assert poll.poll(imap_mailbox.pk).ingested == 1
    assert Ticket.objects.filter(subject="Opened in webmail").exists()


def test_a_crash_between_commit_and_flag_makes_no_duplicate(
    imap_mailbox, dovecot_server, imap_user, monkeypatch
):
    # given messages whose records commit, then a crash before the server marks them read
    dovecot_server.deliver(mail(subject="A")[0], mail(subject="B")[0], user=imap_user)

    def crash(*args, **kwargs):
        raise RuntimeError("worker died here")

    with monkeypatch.context() as patch:
        patch.setattr(imap.Session, "mark_processed", crash)
        with pytest.raises(RuntimeError, match="worker died here"):
            poll.poll(imap_mailbox.pk)
    assert Ticket.objects.count() == 2
    assert dovecot_server.flags(imap_user) == {1: set(), 2: set()}
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_uid == 0

    # when the next poll reads them again
    result = poll.poll(imap_mailbox.pk)

    # then nothing is created twice, and now they are marked
    assert result.ingested == 2
    assert Ticket.objects.count() == 2
    assert InboundMessage.objects.count() == 2
    assert TicketEvent.objects.count() == 2
    assert dovecot_server.flags(imap_user) == {1: {SEEN}, 2: {SEEN}}
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_uid == 2


def test_processed_mail_is_moved_to_the_processed_folder(team, dovecot_server, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, SPARE_PASSWORD)
    user = dovecot_server.take_user()
    mailbox = make_mailbox(team, dovecot_server, user, imap_processed_folder="Processed")
    dovecot_server.deliver(mail(subject="Move me")[0], mail(subject="Me too")[0], user=user)

    assert poll.poll(mailbox.pk).ingested == 2

    assert dovecot_server.count(user) == 0
    assert dovecot_server.count(user, folder="Processed") == 2
    assert all(SEEN in f for f in dovecot_server.flags(user, folder="Processed").values())
    assert Ticket.objects.count() == 2


def test_a_folder_other_than_the_inbox(team, dovecot_server, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, SPARE_PASSWORD)
    user = dovecot_server.take_user()
    mailbox = make_mailbox(team, dovecot_server, user, imap_folder="Support Requests")
    dovecot_server.deliver(mail(subject="In the inbox")[0], user=user)
    dovecot_server.deliver(mail(subject="In the folder")[0], user=user, folder="Support Requests")

    assert poll.poll(mailbox.pk).ingested == 1
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["In the folder"]


def test_a_changed_uidvalidity_starts_over_without_duplicates(
    imap_mailbox, dovecot_server, imap_user
):
    # given a polled message, then a new one, and the folder's UIDs renumbered meanwhile
    dovecot_server.deliver(mail(subject="Old")[0], user=imap_user)
    poll.poll(imap_mailbox.pk)
    dovecot_server.deliver(mail(subject="New")[0], user=imap_user)
    Mailbox.objects.filter(pk=imap_mailbox.pk).update(uidvalidity=1, last_uid=99)

    # when polled, then the unread message is taken and the read one is not taken again
    assert poll.poll(imap_mailbox.pk).ingested == 1
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["New", "Old"]
    imap_mailbox.refresh_from_db()
    assert (imap_mailbox.uidvalidity, imap_mailbox.last_uid) != (1, 99)
    assert imap_mailbox.last_uid == 2


def test_the_first_poll_starts_at_the_oldest_unread_message(
    imap_mailbox, dovecot_server, imap_user
):
    # given a mailbox with years of read mail before csops reads it
    dovecot_server.deliver(mail(subject="Read long ago")[0], user=imap_user)
    with dovecot_server.client(imap_user) as conn:
        conn.select("INBOX")
        conn.uid("STORE", "1", "+FLAGS", r"(\Seen)")
    dovecot_server.deliver(mail(subject="Unread")[0], user=imap_user)

    assert poll.poll(imap_mailbox.pk).ingested == 1
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["Unread"]


def test_a_disabled_mailbox_is_neither_queued_nor_read(team, dovecot_server, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, SPARE_PASSWORD)
    user = dovecot_server.take_user()
    mailbox = make_mailbox(team, dovecot_server, user, enabled=False)
    dovecot_server.deliver(mail(subject="Nobody reads this")[0], user=user)

    assert poll.enqueue_polls() == 0
    assert poll.poll(mailbox.pk) == poll.PollResult()
    assert not Job.objects.filter(kind=poll.POLL).exists()
    assert Ticket.objects.count() == 0
    assert dovecot_server.flags(user) == {1: set()}
    mailbox.refresh_from_db()
    assert mailbox.last_polled_at is None


def test_a_wrong_password_is_recorded_on_the_mailbox_and_the_others_go_on(
    team, dovecot_server, monkeypatch, admin_user, client
):
    # given one mailbox with a wrong password and one that works
    monkeypatch.setenv(PASSWORD_ENV, SPARE_PASSWORD)
    monkeypatch.setenv("CSOPS_TEST_WRONG_PASSWORD", "not-the-password")
    bad_user, good_user = dovecot_server.take_user(), dovecot_server.take_user()
    bad = make_mailbox(team, dovecot_server, bad_user, password_env="CSOPS_TEST_WRONG_PASSWORD")
    good = make_mailbox(team, dovecot_server, good_user)
    dovecot_server.deliver(mail(subject="Stuck")[0], user=bad_user)
    dovecot_server.deliver(mail(subject="Through")[0], user=good_user)

    # when beat queues the polls and a worker runs the due jobs
    assert poll.enqueue_polls() == 2
    runner.run_due(budget_seconds=30)

    # then the failure is on the bad mailbox, in words, and the job itself did not fail
    bad.refresh_from_db()
    assert bad.last_error == (
        f"Login to {bad_user}@127.0.0.1:{dovecot_server.port} failed: "
        "[AUTHENTICATIONFAILED] Authentication failed."
    )
    assert bad.last_polled_at is not None
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["Through"]
    assert set(Job.objects.filter(kind=poll.POLL).values_list("state", flat=True)) == {"done"}
    # the failing mailbox rests before its next try; the good one is queued again
    assert poll.enqueue_polls() == 1
    assert Job.objects.get(key=poll.poll_key(good.pk)).state == "pending"
    assert Job.objects.get(key=poll.poll_key(bad.pk)).state == "done"
    # and an admin sees why on the mailbox list
    client.force_login(admin_user)
    page = client.get("/admin/tickets/mailbox/")
    assert page.status_code == 200
    assert "[AUTHENTICATIONFAILED] Authentication failed." in page.content.decode()


@pytest.mark.parametrize(
    ("_case", "fields", "error"),
    [
        (
            "variable not set",
            {"password_env": "CSOPS_TEST_UNSET_VARIABLE"},
            "The environment variable CSOPS_TEST_UNSET_VARIABLE (the IMAP password) is not set "
            "in the worker's environment.",
        ),
        (
            "no variable named",
            {"password_env": ""},
            "No password variable is set: enter the name of the environment variable that "
            "holds the IMAP password in 'Password env'.",
        ),
        (
            "folder missing",
            {"imap_folder": "Nowhere"},
            "Folder 'Nowhere' does not exist on {user}@127.0.0.1:{port}",
        ),
    ],
)
def test_a_mailbox_that_cannot_be_read_says_why(
    team, dovecot_server, monkeypatch, _case, fields, error
):
    monkeypatch.setenv(PASSWORD_ENV, SPARE_PASSWORD)
    monkeypatch.delenv("CSOPS_TEST_UNSET_VARIABLE", raising=False)
    user = dovecot_server.take_user()
    mailbox = make_mailbox(team, dovecot_server, user, **fields)

    result = poll.poll(mailbox.pk)

    expected = error.format(user=user, port=dovecot_server.port)
    assert result.error.startswith(expected)
    mailbox.refresh_from_db()
    assert mailbox.last_error.startswith(expected)


def test_an_unreachable_server_is_recorded(team, dovecot_server, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, SPARE_PASSWORD)
    mailbox = make_mailbox(team, dovecot_server, "nobody", imap_port=dovecot_server.port + 1)
    # (a port next to dovecot's; nothing listens there in this test)
    result = poll.poll(mailbox.pk)
    assert result.error in (
        f"Cannot connect to nobody@127.0.0.1:{dovecot_server.port + 1}: Connection refused.",
    )


def test_a_poll_gives_way_after_its_budget_and_its_job_runs_again(
    imap_mailbox, dovecot_server, imap_user, settings
):
    # given more messages than one batch, and a poll whose time is up after the first batch
    settings.MAILBOX_FETCH_BATCH = 2
    dovecot_server.deliver(*(mail(subject=f"Message {n}")[0] for n in range(5)), user=imap_user)

    assert poll.poll(imap_mailbox.pk, budget_seconds=0) == poll.PollResult(more=True)

    # when beat queues the poll and the job runs (Again: due at once while mail waits)
    assert poll.enqueue_polls() == 1
    assert poll.enqueue_polls() == 0  # one poll per mailbox under way
    runner.run_due(budget_seconds=30)

    assert Ticket.objects.count() == 5
    assert all(f == {SEEN} for f in dovecot_server.flags(imap_user).values())
    job = Job.objects.get(key=poll.poll_key(imap_mailbox.pk))
    assert (job.state, job.attempts) == ("done", 1)
    # and a finished poll is made due again by the next beat
    assert poll.enqueue_polls() == 1
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("pending", 0)


def test_attachments_reach_the_ticket(imap_mailbox, dovecot_server, imap_user):
    raw, _ = mail(subject="Invoice attached", attachment=b"%PDF-1.4\n" + b"x" * 300_000)
    dovecot_server.deliver(raw, user=imap_user)

    assert poll.poll(imap_mailbox.pk).ingested == 1
    record = InboundMessage.objects.get()
    assert record.size == len(raw.replace(b"\n", b"\r\n"))  # imaplib sends CRLF lines
    assert record.ticket.subject == "Invoice attached"
