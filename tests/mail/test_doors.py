"""The two doors besides IMAP: ``manage.py ingest_email`` and the raw-MIME webhook. Both call
the one ingest service."""

from __future__ import annotations

import io
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tests.mail.conftest import corpus
from tickets.mail.inbound.models import InboundMessage, InboundState
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

SECRET = "s3cret-shared-with-the-provider"


@pytest.fixture
def hook(settings):
    settings.INBOUND_WEBHOOK_SECRET = SECRET
    client = Client()

    def post(raw: bytes, secret: str | None = SECRET, query: str = ""):
        headers = {"Authorization": f"Bearer {secret}"} if secret is not None else {}
        return client.post(
            reverse("mail-inbound") + query, raw, content_type="message/rfc822", headers=headers
        )

    return post


def _stdin(monkeypatch, raw: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))


def test_ingest_email_reads_one_message_from_stdin(mailbox, monkeypatch):
    _stdin(monkeypatch, corpus("new_plain.eml"))
    out = io.StringIO()
    call_command("ingest_email", "--mailbox", "SUPPORT@acme.test", stdout=out)
    record = InboundMessage.objects.get()
    assert (record.source, record.mailbox, record.outcome) == ("pipe", mailbox, "new_ticket")
    assert out.getvalue().startswith(f"Processed: new_ticket ticket #{record.ticket_id}")
    _stdin(monkeypatch, corpus("new_plain.eml"))
    call_command("ingest_email", stdout=io.StringIO())  # piped twice: still one ticket
    assert Ticket.objects.count() == 1


def test_ingest_email_refuses_an_unknown_mailbox_and_empty_input(mailbox, monkeypatch):
    _stdin(monkeypatch, corpus("new_plain.eml"))
    with pytest.raises(CommandError, match="No mailbox"):
        call_command("ingest_email", "--mailbox", "nobody@acme.test")
    _stdin(monkeypatch, b"")
    with pytest.raises(CommandError, match="empty"):
        call_command("ingest_email")
    assert not InboundMessage.objects.exists()


def test_the_webhook_takes_raw_mime_with_the_shared_secret(mailbox, hook):
    answer = hook(corpus("new_plain.eml"))
    assert answer.status_code == 200
    body = answer.json()
    record = InboundMessage.objects.get()
    assert body == {
        "record": record.pk,
        "state": "processed",
        "outcome": "new_ticket",
        "ticket": record.ticket_id,
        "reason": "",
    }
    assert record.source == "webhook"
    again = hook(corpus("new_plain.eml"))  # the provider retried: the same record
    assert (again.status_code, again.json()["record"]) == (200, record.pk)
    assert Ticket.objects.count() == 1


def test_the_webhook_refuses_without_the_right_secret(mailbox, hook, settings):
    for secret in (None, "wrong", SECRET + "x", ""):
        answer = hook(corpus("new_plain.eml"), secret=secret)
        assert answer.status_code == 401
        assert answer.json()["error"] == "unauthorized"
    settings.INBOUND_WEBHOOK_SECRET = ""  # not configured: closed, even to an empty bearer
    assert hook(corpus("new_plain.eml"), secret="").status_code == 401
    assert not InboundMessage.objects.exists()


def test_the_webhook_answers_413_and_422_as_json(mailbox, hook, settings):
    settings.INBOUND_MAX_BYTES = 1000
    big = hook(corpus("new_plain.eml") + b"x" * 2000)
    assert big.status_code == 413
    assert big.json()["error"] == "too_large"
    settings.INBOUND_MAX_BYTES = 20 * 1024 * 1024
    broken = hook(corpus("malformed_no_sender.eml"))
    assert broken.status_code == 422
    assert broken.json()["detail"] == "The message has no sender address (From)."
    assert InboundMessage.objects.get().state == InboundState.FAILED  # kept for a retry
    assert hook(b"   ").status_code == 422
    unknown = hook(corpus("new_plain.eml"), query="?mailbox=nobody@acme.test")
    assert unknown.status_code == 422
    assert Client().get(reverse("mail-inbound")).status_code == 405
