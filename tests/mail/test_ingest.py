"""The one ingest service: recording, idempotence, refusal, failure and retry, content."""

from __future__ import annotations

import hashlib

import pytest

from tests.mail.conftest import corpus
from tickets.mail.inbound import services
from tickets.mail.inbound.models import InboundMessage, InboundState, Mailbox
from tickets.models import Customer, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def test_new_mail_opens_an_email_ticket_in_the_mailbox_team(mailbox):
    record = services.ingest(corpus("new_plain.eml"), source="pipe")
    assert record.state == InboundState.PROCESSED
    assert record.outcome == "new_ticket"
    assert record.message_id == "<first.alice@customer.test>"
    assert record.from_address == "alice@customer.test"
    assert record.sha256 == hashlib.sha256(corpus("new_plain.eml")).hexdigest()
    ticket = record.ticket
    assert ticket.team == mailbox.team
    assert ticket.channel == "email"
    assert ticket.subject == "Printer on fire"
    assert ticket.description.startswith("Hello,\n\nour printer is on fire again.")
    assert ticket.requester.email == "alice@customer.test"
    assert ticket.requester.name == "Alice Example"
    assert ticket.cc == ["carol@customer.test"]
    created = ticket.events.get()
    assert (created.type, created.actor_role, created.data["channel"]) == (
        "created", "customer", "email"
    )  # fmt: skip
    assert record.event == created
    with record.raw.open("rb") as stream:
        assert stream.read() == corpus("new_plain.eml")


def test_the_same_message_twice_changes_nothing(mailbox):
    first = services.ingest(corpus("new_plain.eml"), source="imap", mailbox=mailbox, uid="7")
    again = services.ingest(corpus("new_plain.eml"), source="imap", mailbox=mailbox, uid="7")
    assert again.pk == first.pk
    # The same Message-ID arriving by another door (other bytes) is the same message too.
    other_bytes = corpus("new_plain.eml").replace(b"Hello,", b"Hello again,")
    third = services.ingest(other_bytes, source="webhook")
    assert third.pk == first.pk
    assert Ticket.objects.count() == 1
    assert InboundMessage.objects.count() == 1
    assert TicketEvent.objects.count() == 1


def test_a_known_imap_uid_is_not_processed_again_even_with_other_bytes(mailbox):
    first = services.ingest(
        corpus("new_plain.eml"), source="imap", mailbox=mailbox, uid="9", uidvalidity=3
    )
    again = services.ingest(
        corpus("alternative.eml"), source="imap", mailbox=mailbox, uid="9", uidvalidity=3
    )
    assert again.pk == first.pk
    assert Ticket.objects.count() == 1
    # A new UIDVALIDITY starts the folder's UIDs over: uid 9 is another message now.
    fresh = services.ingest(
        corpus("alternative.eml"), source="imap", mailbox=mailbox, uid="9", uidvalidity=4
    )
    assert fresh.pk != first.pk
    assert fresh.state == InboundState.PROCESSED


def test_customers_are_matched_case_insensitively(mailbox):
    known = Customer.objects.create(email="ALICE@customer.TEST", name="Alice Known")
    record = services.ingest(corpus("new_plain.eml"), source="pipe")
    assert record.ticket.requester == known
    assert Customer.objects.filter(email__iexact="alice@customer.test").count() == 1


def test_a_message_over_the_size_limit_is_refused_with_a_reason(mailbox, settings):
    settings.INBOUND_MAX_BYTES = 20 * 1024 * 1024
    big = corpus("new_plain.eml") + b"A" * (25 * 1024 * 1024)
    record = services.ingest(big, source="webhook")
    assert record.state == InboundState.REFUSED
    assert "26,214," in record.reason
    assert "20,971,520" in record.reason
    assert not record.raw
    assert Ticket.objects.count() == 0
    assert services.ingest(big, source="webhook").pk == record.pk


def test_mail_without_a_sender_is_kept_as_failed(mailbox):
    record = services.ingest(corpus("malformed_no_sender.eml"), source="pipe")
    assert record.state == InboundState.FAILED
    assert record.reason == "The message has no sender address (From)."
    assert record.raw
    assert Ticket.objects.count() == 0
    again = services.retry(record.pk)
    assert again.state == InboundState.FAILED
    assert again.attempts == 2


def test_malformed_mime_never_crashes_and_still_makes_a_ticket(mailbox):
    record = services.ingest(corpus("malformed_mime.eml"), source="pipe")
    assert record.state == InboundState.PROCESSED
    assert record.ticket.description == services.EMPTY_BODY


def test_a_failed_message_is_processed_by_a_retry_once_the_cause_is_fixed(team):
    record = services.ingest(corpus("no_mailbox.eml"), source="pipe")
    assert record.state == InboundState.FAILED
    assert "sales@acme.test" in record.reason
    assert "retry" in record.reason
    # The duplicate delivery of a failed message finds the failed record.
    assert services.ingest(corpus("no_mailbox.eml"), source="pipe").pk == record.pk
    Mailbox.objects.create(team=team, address="Sales@acme.test")
    retried = services.retry(record.pk)
    assert retried.pk == record.pk
    assert retried.state == InboundState.PROCESSED
    assert retried.attempts == 2
    assert retried.ticket.team == team
    assert retried.ticket.subject.startswith("For a mailbox")
    assert services.retry(record.pk).attempts == 2  # processed: a retry changes nothing


@pytest.mark.parametrize(
    ("name", "subject", "text"),
    [
        ("charset_utf8.eml", "Größe ändern – 🚀", "Die Größe ändert sich nicht – bitte helfen 🚀."),
        ("charset_latin1.eml", "Größe ändern", "Die Größe ändert sich nicht, Grüße."),
        ("charset_cp1252.eml", "Smart quotes", "“Quoted” — it costs 5 € … really."),
        ("charset_iso2022jp.eml", "注文について", "こんにちは、注文について質問があります。"),
        ("charset_undeclared.eml", "No charset declared", "Café crème, naïve:"),
        ("charset_unknown.eml", "Bogus subject", "Bytes"),
    ],
)
def test_charsets_are_decoded(mailbox, name, subject, text):
    record = services.ingest(corpus(name), source="pipe")
    assert record.state == InboundState.PROCESSED
    assert record.ticket.subject == subject
    assert record.ticket.description.startswith(text)
    assert record.ticket.requester.name == "Jürgen Müller"


def test_html_only_mail_is_read_as_text():
    from tickets.mail.inbound.parse import parse

    mail = parse(corpus("html_only.eml"))
    assert "Hello **support**" in mail.text
    assert "[page](https://example.test/page)" in mail.text
    assert "alert" not in mail.text
    assert "color:red" not in mail.text
    assert "<script" not in mail.html
    assert "onclick" not in mail.html
    assert "<img" not in mail.html
    assert '<a href="https://example.test/page" rel="noopener noreferrer nofollow">' in mail.html


def test_multipart_alternative_prefers_the_text_part():
    from tickets.mail.inbound.parse import parse

    mail = parse(corpus("alternative.eml"))
    assert mail.text == "The plain text version wins."
    assert "<i>HTML</i>" in mail.html


def test_nested_multiparts_keep_text_inline_images_and_odd_filenames():
    from tickets.mail.inbound.parse import parse

    mail = parse(corpus("nested_attachments.eml"))
    assert mail.text == "See the screenshot and the two files."
    files = {(a.filename, a.content_type, a.inline) for a in mail.attachments}
    assert files == {
        ("screen shot.png", "image/png", True),
        ("Rechnung März ü.pdf", "application/pdf", False),
        ("../../etc/passwd; rm -rf.txt", "application/octet-stream", False),
    }
    png = next(a for a in mail.attachments if a.content_type == "image/png")
    assert png.content.startswith(b"\x89PNG")
    assert png.content_id == "shot@nina"


def test_quoted_history_is_cut(mailbox):
    services.ingest(corpus("new_plain.eml"), source="pipe")
    record = services.ingest(corpus("own_followup.eml"), source="pipe")
    assert record.event.body == "Forgot to say: it is the one on the 2nd floor."


def test_admins_see_failed_messages_and_retry_them(team, admin_user, client_for):
    from django.urls import reverse

    record = services.ingest(corpus("no_mailbox.eml"), source="pipe")
    client = client_for(admin_user)
    changelist = reverse("admin:tickets_inboundmessage_changelist")
    page = client.get(changelist + "?state__exact=failed")
    assert page.status_code == 200
    assert "olga@customer.test" in page.content.decode()
    assert client.get(reverse("admin:tickets_mailbox_add")).status_code == 200
    Mailbox.objects.create(team=team, address="sales@acme.test")
    done = client.post(
        changelist, {"action": "retry", "_selected_action": [record.pk]}, follow=True
    )
    assert "1 message(s) processed." in done.content.decode()
    record.refresh_from_db()
    assert record.state == InboundState.PROCESSED


def test_attachments_and_inline_images_are_kept_on_the_message(mailbox):
    record = services.ingest(corpus("nested_attachments.eml"), source="pipe")
    assert record.state == InboundState.PROCESSED
    files = {
        (a.filename, a.content_type, a.inline, a.content_id) for a in record.event.attachments.all()
    }
    names = {f[0] for f in files}
    assert ("screen shot.png", "image/png", True, "shot@nina") in files
    assert ("Rechnung März ü.pdf", "application/pdf", False, "") in files
    assert len(files) == 3
    assert not any("/" in n for n in names)  # "../../etc/passwd; rm -rf.txt" made safe
    assert record.reason == ""


def test_a_refused_file_is_named_and_the_message_kept(mailbox):
    raw = (
        corpus("nested_attachments.eml")
        .replace(b"Content-Type: application/octet-stream", b"Content-Type: text/html")
        .replace(
            b"bm90IHJlYWxseSBhIHBhc3N3ZCBmaWxl",  # base64 of the fake passwd text
            b"PGh0bWw+PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0PjwvaHRtbD4=",  # <html><script>...
        )
    )
    record = services.ingest(raw, source="pipe")
    assert record.state == InboundState.PROCESSED
    assert record.event.attachments.count() == 2
    assert record.reason.startswith("Files not kept:")


def test_a_display_name_longer_than_a_customer_name_is_cut(mailbox):
    raw = corpus("new_plain.eml").replace(b"Alice Example", b"Alice " + b"Q" * 300, 1)
    record = services.ingest(raw, source="pipe")
    assert record.state == InboundState.PROCESSED
    assert record.ticket.requester.name == "Alice " + "Q" * 114
