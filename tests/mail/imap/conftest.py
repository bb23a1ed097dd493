"""An account of its own on the session's IMAP server (``dovecot_server``, tests/conftest.py)
for each test, and a team mailbox that reads it."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from django.utils import timezone

from tests.dovecot import SPARE_PASSWORD, Dovecot
from tickets.mail.inbound.models import Mailbox

PASSWORD_ENV = "CSOPS_TEST_IMAP_PASSWORD"


@pytest.fixture
def imap_user(dovecot_server) -> str:
    return dovecot_server.take_user()


@pytest.fixture
def imap_mailbox(team, dovecot_server, imap_user, monkeypatch) -> Mailbox:
    monkeypatch.setenv(PASSWORD_ENV, SPARE_PASSWORD)
    return make_mailbox(team, dovecot_server, imap_user)


def make_mailbox(team, server: Dovecot, user: str, **fields) -> Mailbox:
    values = {
        "team": team,
        "address": f"{user}@acme.test",
        "imap_host": server.host,
        "imap_port": server.port,
        "imap_security": "none",
        "imap_username": user,
        "password_env": PASSWORD_ENV,
        **fields,
    }
    return Mailbox.objects.create(**values)


def mail(
    *,
    subject: str,
    body: str = "Hello,\n\nplease help.\n",
    sender: str = "Casey Customer <casey@customer.test>",
    to: str = "support@acme.test",
    in_reply_to: str = "",
    message_id: str = "",
    attachment: bytes | None = None,
) -> tuple[bytes, str]:
    """(raw bytes, Message-ID) of a customer's message."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = message_id or make_msgid(domain="customer.test")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body)
    if attachment is not None:
        message.add_attachment(
            attachment, maintype="application", subtype="pdf", filename="invoice.pdf"
        )
    return message.as_bytes(), message["Message-ID"]
