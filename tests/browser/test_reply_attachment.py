"""A rep replies from the workspace with a file attached (multipart through htmx); a real
worker mails the reply and the customer's mail, read from a real SMTP server, carries the
file byte for byte. The conversation lists the file with its size; the download is a file."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, wait_for
from tests.factories import CustomerFactory, make_ticket
from tests.integration.worker import running_worker
from tests.tickets.attachment_files import PDF
from tests.tickets.smtp_peer import smtp_server
from tickets.models import Attachment, OutboundMessage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def _replies(inbox) -> list:
    """The rep's reply among the mail received (the ticket's acknowledgment may come too)."""
    return [
        m
        for m in inbox
        if (body := m.get_body(("plain",))) is not None
        and body.get_content().strip() == "Here is your return label."
    ]


def test_rep_reply_with_attachment_reaches_the_customer(new_page, rep, team):
    ticket = make_ticket(
        team, requester=CustomerFactory(email="casey@example.org"), subject="Need the label"
    )
    with smtp_server() as (port, inbox):
        env = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "JOB_POLL_SECONDS": "1",
            # the worker reads the files where this test's server stores them (the field's
            # storage is fixed when the model loads)
            "MEDIA_ROOT": str(Attachment._meta.get_field("file").storage.location),
        }
        with running_worker(beat=True, env=env):
            page = new_page()
            login(page, rep.username)
            page.goto(f"/tickets/{ticket.pk}/")
            page.fill("#id_body", "Here is your return label.")
            page.set_input_files(
                "#id_attachments",
                files=[{"name": "label.pdf", "mimeType": "application/pdf", "buffer": PDF}],
            )
            page.click("#reply-form button[name=send]")
            link = page.locator(".conversation .attachments a", has_text="label.pdf")
            expect(link).to_be_visible()
            expect(page.locator(".conversation .attachments")).to_contain_text("bytes")
            with page.expect_download() as download:
                link.click()
            assert download.value.suggested_filename == "label.pdf"

            sent = wait_for(lambda: _replies(inbox), timeout=150)
            rows = list(OutboundMessage.objects.values_list("state", "attempts", "last_error"))
            assert sent, f"the reply was never mailed: {rows}"
    [mail] = _replies(inbox)  # mailed once
    assert mail["To"] == "casey@example.org"
    assert mail.get_body(("plain",)).get_content().strip() == "Here is your return label."
    [part] = list(mail.iter_attachments())
    assert (part.get_filename(), part.get_content_type(), part.get_content()) == (
        "label.pdf",
        "application/pdf",
        PDF,
    )
