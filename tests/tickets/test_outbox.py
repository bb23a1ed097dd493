"""Outbound email of public replies (tickets.mail): one outbox row per public reply, sent once
by the durable job runner, retried with back-off, failed messages shown with a Retry button;
and the bytes a real SMTP server receives (threading headers, text and HTML parts)."""

from __future__ import annotations

import asyncio
import socket
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from csops import jobs
from csops.errors import NotFound
from csops.jobs import runner
from csops.models import Job
from tests.factories import CustomerFactory, UserFactory, make_incident, make_ticket
from tests.tickets.smtp_peer import smtp_server
from tickets import services
from tickets.mail import services as outbox
from tickets.mail.inbound.tokens import reply_address, subject_reference
from tickets.models import OutboundMessage, OutboxState
from tickets.services import incidents

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(team):
    return make_ticket(
        team, requester=CustomerFactory(email="casey@example.org"), subject="Cannot log in"
    )


def _closed_port() -> int:
    """A local port with nothing listening: connecting is refused at once (a real failure)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


def _make_due() -> None:
    Job.objects.filter(state=Job.State.PENDING).update(due_at=timezone.now())


# --- Queueing ---------------------------------------------------------------------------


def test_each_public_reply_gets_one_outbox_row_and_notes_none(ticket, rep):
    services.reply(ticket.pk, by=rep, body="We are looking into it.")
    services.reply(ticket.pk, by=rep, body="Customer seems upset", public=False)
    services.customer_reply(ticket.pk, customer=ticket.requester, body="Any news?")
    services.reply(ticket.pk, by=rep, body="Fixed now.", new_status="solved")

    rows = list(OutboundMessage.objects.filter(ticket=ticket).order_by("pk"))
    assert [r.event.body for r in rows] == ["We are looking into it.", "Fixed now."]
    assert all(r.recipients == ["casey@example.org"] for r in rows)
    assert all(r.subject == f"{subject_reference(ticket.pk)} Cannot log in" for r in rows)
    assert all(r.state == OutboxState.QUEUED for r in rows)
    # one send job per row, in the reply's transaction
    keys = sorted(Job.objects.filter(kind=outbox.SEND).values_list("key", flat=True))
    assert keys == sorted(f"outbox-mail:{r.pk}:0" for r in rows)
    # threading: the second message answers the first
    first, second = rows
    assert (first.in_reply_to, first.references) == ("", "")
    assert second.in_reply_to == first.message_id
    assert second.references == first.message_id
    assert first.message_id.startswith("<")
    assert first.message_id.endswith("@csops.localhost>")


def test_replies_by_api_macro_and_incident_update_are_mailed(ticket, rep, manager, team):
    from policies.models import Macro

    # the API
    response = _api(rep).post(
        f"/api/v1/tickets/{ticket.pk}/events/",
        {"body": "From the API", "public": True, "version": ticket.version},
        content_type="application/json",
    )
    assert response.status_code == 201
    # a macro
    now = timezone.now()
    macro = Macro.objects.create(
        title="Thanks", body="Thanks!", created_by=manager, created_at=now, updated_at=now
    )
    from tickets.services import procedures

    procedures.reply_with_macro(ticket.pk, by=rep, macro_id=macro.pk, body="Thanks from a macro")
    # an incident update to its linked tickets
    incident = make_incident(manager, team, [ticket.pk])
    update = incidents.post_update(incident.pk, by=manager, body="Fixed by 11:00.")
    incidents.deliver_batch(update.pk)

    bodies = list(
        OutboundMessage.objects.filter(ticket=ticket).order_by("pk").values_list("event__body")
    )
    assert bodies == [("From the API",), ("Thanks from a macro",), ("Fixed by 11:00.",)]


def _api(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# --- Sending ----------------------------------------------------------------------------


def test_the_job_sends_once_even_when_run_again(ticket, rep):
    services.reply(ticket.pk, by=rep, body="Hello **there**")
    message = OutboundMessage.objects.get(ticket=ticket)

    assert runner.run_due() == 1
    # a duplicated job (e.g. a re-driven one) finds the row sent and sends nothing
    jobs.enqueue(outbox.SEND, key="duplicate", payload={"message": message.pk})
    assert runner.run_due() == 1
    assert outbox.send(message.pk) is False

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxState.SENT, 1)
    assert message.sent_at is not None
    sent = mail.outbox[0]
    assert sent.to == ["casey@example.org"]
    assert sent.extra_headers["Message-ID"] == message.message_id
    assert "Auto-Submitted" not in sent.extra_headers
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html"
    assert "<strong>there</strong>" in html


def test_markdown_html_part_is_sanitized(ticket, rep):
    services.reply(ticket.pk, by=rep, body="Hi <script>alert(1)</script> [x](javascript:alert(1))")
    runner.run_due()
    html = mail.outbox[0].alternatives[0][0]
    assert "<script" not in html
    assert "javascript:" not in html
    # the text part is the reply as written
    assert mail.outbox[0].body.startswith("Hi <script>")


def test_a_requester_without_email_gets_no_row(team, rep):
    ticket = make_ticket(team, requester=CustomerFactory(email=""))
    services.reply(ticket.pk, by=rep, body="Hello")
    assert not OutboundMessage.objects.exists()


def test_failure_is_retried_with_backoff_then_failed_and_shown_with_retry(
    ticket, rep, rep_client, settings
):
    settings.JOB_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_MAX_ATTEMPTS = 2
    _smtp(settings, _closed_port())  # nothing listens: the connection is refused
    services.reply(ticket.pk, by=rep, body="We are on it.")
    message = OutboundMessage.objects.get(ticket=ticket)

    # first try fails: the error is recorded and the job waits its back-off
    runner.run_due()
    message.refresh_from_db()
    job = Job.objects.get(kind=outbox.SEND)
    assert (message.state, message.attempts) == (OutboxState.QUEUED, 1)
    assert "ConnectionRefusedError" in message.last_error
    assert job.state == Job.State.PENDING
    assert job.due_at > timezone.now() + timedelta(seconds=25)
    assert runner.run_due() == 0  # not before its back-off

    # the last try fails: the message is failed
    _make_due()
    runner.run_due()
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxState.FAILED, 2)

    # the workspace shows the error and a Retry button next to the reply
    page = rep_client.get(reverse("tickets:ticket-detail", args=[ticket.pk])).content.decode()
    assert 'data-delivery="failed"' in page
    assert "ConnectionRefusedError" in page
    retry_url = reverse("tickets:outbound-retry", args=[message.pk])
    assert f'action="{retry_url}"' in page

    # the API shows the delivery state on the reply's event
    events = rep_client.get(f"/api/v1/tickets/{ticket.pk}/events/").json()["results"]
    reply = next(e for e in events if e["body"] == "We are on it.")
    assert reply["delivery"]["state"] == "failed"
    assert "ConnectionRefusedError" in reply["delivery"]["last_error"]
    assert all(e["delivery"] is None for e in events if e["type"] != "public_reply")

    # Retry, once mail works again, sends it with the same Message-ID
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = rep_client.post(retry_url)
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.state, message.attempts, message.retries) == (OutboxState.QUEUED, 0, 1)
    runner.run_due()
    message.refresh_from_db()
    assert message.state == OutboxState.SENT
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [message.message_id]


def _failed(ticket, rep) -> OutboundMessage:
    services.reply(ticket.pk, by=rep, body="Hello")
    message = OutboundMessage.objects.get(ticket=ticket)
    OutboundMessage.objects.filter(pk=message.pk).update(
        state=OutboxState.FAILED, attempts=5, last_error="SMTPRecipientsRefused: no"
    )
    return message


def test_retry_is_refused_to_who_may_not_reply_on_the_ticket(
    ticket, rep, client_for, rep_other_team
):
    message = _failed(ticket, rep)
    response = client_for(rep_other_team).post(reverse("tickets:outbound-retry", args=[message.pk]))
    assert response.status_code == 404
    message.refresh_from_db()
    assert (message.state, message.retries) == (OutboxState.FAILED, 0)


def test_retry_of_a_message_not_failed_is_a_clear_422(ticket, rep, rep_client):
    services.reply(ticket.pk, by=rep, body="Hello")
    message = OutboundMessage.objects.get(ticket=ticket)
    response = rep_client.post(reverse("tickets:outbound-retry", args=[message.pk]))
    assert response.status_code == 422
    assert "This message is queued." in response.content.decode()
    message.refresh_from_db()
    assert (message.state, message.retries) == (OutboxState.QUEUED, 0)


def test_sent_and_queued_states_show_in_the_workspace(ticket, rep, rep_client):
    services.reply(ticket.pk, by=rep, body="First")
    runner.run_due()
    services.reply(ticket.pk, by=rep, body="Second")
    page = rep_client.get(reverse("tickets:ticket-detail", args=[ticket.pk])).content.decode()
    assert page.count('data-delivery="sent"') == 1
    assert page.count('data-delivery="queued"') == 1
    assert "Emailed to casey@example.org" in page
    assert "Retry" not in page


# --- A real SMTP server -----------------------------------------------------------------


def test_replies_reach_a_real_smtp_server_threaded_with_text_and_html(ticket, rep, settings):
    with smtp_server() as (port, inbox):
        _smtp(settings, port)
        services.reply(ticket.pk, by=rep, body="We reset your *password*.")
        runner.run_due()
        services.reply(ticket.pk, by=rep, body="Did it work?")
        runner.run_due()
    first_row, second_row = OutboundMessage.objects.filter(ticket=ticket).order_by("pk")
    assert len(inbox) == 2
    first, second = inbox
    assert first["Subject"] == f"{subject_reference(ticket.pk)} Cannot log in"
    assert first["From"] == settings.DEFAULT_FROM_EMAIL
    assert first["To"] == "casey@example.org"
    assert first["Reply-To"] == reply_address(settings.DEFAULT_FROM_EMAIL, ticket.pk)
    assert first["Message-ID"] == first_row.message_id
    assert first["In-Reply-To"] is None
    assert first["References"] is None
    assert first["Auto-Submitted"] is None
    assert second["Message-ID"] == second_row.message_id
    assert second["In-Reply-To"] == first_row.message_id
    assert second["References"] == first_row.message_id
    assert second["Subject"] == f"{subject_reference(ticket.pk)} Cannot log in"
    # multipart/alternative: the text as written, the HTML rendered from its Markdown
    assert first.get_content_type() == "multipart/alternative"
    text = first.get_body(preferencelist=("plain",)).get_content()
    html = first.get_body(preferencelist=("html",)).get_content()
    assert text.strip() == "We reset your *password*."
    assert "<em>password</em>" in html
    assert second_row.state == OutboxState.SENT


# --- Admin ------------------------------------------------------------------------------


def test_admin_lists_the_outbox_read_only_and_retries_failed_messages(
    ticket, rep, admin_user, client_for
):
    failed = _failed(ticket, rep)
    services.reply(ticket.pk, by=rep, body="Still queued")
    queued = OutboundMessage.objects.exclude(pk=failed.pk).get()
    client = client_for(admin_user)
    changelist = reverse("admin:tickets_outboundmessage_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    assert escape(failed.message_id) in page.content.decode()
    # read-only: no add page, the change page has no save button
    assert client.get(reverse("admin:tickets_outboundmessage_add")).status_code == 403
    detail = client.get(reverse("admin:tickets_outboundmessage_change", args=[failed.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    # the retry action queues the failed one again and refuses the queued one
    response = client.post(
        changelist,
        {"action": "retry", "_selected_action": [failed.pk, queued.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "1 message(s) queued again." in text
    assert f"#{queued.pk}: This message is queued." in text
    failed.refresh_from_db()
    assert (failed.state, failed.retries) == (OutboxState.QUEUED, 1)


def test_outbox_gives_up_before_its_job_does(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 50
    assert outbox.max_attempts() == Job._meta.get_field("max_attempts").default
    settings.OUTBOX_MAX_ATTEMPTS = 3
    assert outbox.max_attempts() == 3


# --- Two senders at once ----------------------------------------------------------------


class _SlowInbox:
    """A real SMTP peer that takes its time to accept, so two senders overlap."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        await asyncio.sleep(0.5)
        self.messages.append(envelope.content)
        return "250 Message accepted for delivery"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_row_send_it_once(team, settings):
    rep = UserFactory(username="rita", role="Rep")
    team.members.add(rep)
    ticket = make_ticket(team, requester=CustomerFactory(email="casey@example.org"))
    services.reply(ticket.pk, by=rep, body="Only once, please")
    message = OutboundMessage.objects.get(ticket=ticket)
    inbox = _SlowInbox()
    port = _closed_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    _smtp(settings, port)
    results: list[bool] = []

    def worker() -> None:
        try:
            results.append(outbox.send(message.pk))
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        controller.stop()
    assert sorted(results) == [False, True]
    assert len(inbox.messages) == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxState.SENT, 1)


# --- Mail to staff (no ticket) ----------------------------------------------------------


def test_a_staff_mail_reaches_smtp_with_its_own_html_attachment_and_headers(settings):
    with smtp_server() as (port, inbox):
        _smtp(settings, port)
        row = outbox.queue_staff_mail(
            recipient="dana@staff.example.com",
            subject="Your weekly KPI digest",
            text="Tickets created: 12",
            html="<!DOCTYPE html><html><body><p>Tickets created: <b>12</b></p></body></html>",
            tag="digest.1",
            files=[("kpis.csv", "metric,value\r\ncreated,12\r\n", "text/csv")],
            headers={"List-Unsubscribe": "<http://testserver/u/x/>"},
        )
        runner.run_due()
    row.refresh_from_db()
    assert (row.ticket_id, row.kind, row.state) == (None, "digest", OutboxState.SENT)
    assert len(inbox) == 1
    sent = inbox[0]
    assert sent["To"] == "dana@staff.example.com"
    assert sent["From"] == settings.DEFAULT_FROM_EMAIL
    assert sent["Reply-To"] is None
    assert sent["Message-ID"] == row.message_id
    assert sent["Auto-Submitted"] == "auto-generated"
    assert sent["List-Unsubscribe"] == "<http://testserver/u/x/>"
    assert sent.get_body(preferencelist=("plain",)).get_content().strip() == "Tickets created: 12"
    html = sent.get_body(preferencelist=("html",)).get_content()
    assert "<p>Tickets created: <b>12</b></p>" in html
    (attachment,) = list(sent.iter_attachments())
    assert attachment.get_filename() == "kpis.csv"
    assert attachment.get_content_type() == "text/csv"
    assert attachment.get_content() == "metric,value\r\ncreated,12\r\n"


def test_only_an_admin_retries_a_failed_staff_mail(manager, admin_user):
    row = outbox.queue_staff_mail(
        recipient="dana@staff.example.com", subject="Digest", text="x", html="", tag="digest.2"
    )
    OutboundMessage.objects.filter(pk=row.pk).update(state=OutboxState.FAILED)
    with pytest.raises(NotFound):
        outbox.retry(row.pk, by=manager)
    row.refresh_from_db()
    assert (row.state, row.retries) == (OutboxState.FAILED, 0)
    outbox.retry(row.pk, by=admin_user)
    row.refresh_from_db()
    assert (row.state, row.retries) == (OutboxState.QUEUED, 1)
