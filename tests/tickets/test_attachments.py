"""Attachments (tickets.attachments): the checks every file passes (size per file and per
message, type from the content), storage, agents' replies with files in the workspace and the
API, the download (only for people who may see the ticket, never inline), and the bytes a
real SMTP server receives for a public reply with a file."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csops.errors import InvalidInput
from csops.jobs import runner
from tests.factories import CustomerFactory, make_ticket
from tests.tickets.attachment_files import EXE, HTML, PDF, PNG, SVG, TEXT
from tests.tickets.smtp_peer import smtp_server
from tickets import services
from tickets.attachments.services import IncomingFile, attach, check_files, display_name
from tickets.models import Attachment, TicketEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(team):
    return make_ticket(
        team, requester=CustomerFactory(email="casey@example.org"), subject="Broken parcel"
    )


def _refusal(files) -> list[str]:
    with pytest.raises(InvalidInput) as exc:
        check_files(files)
    return exc.value.fields["attachments"]


# --- Checks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "name", "content", "content_type", "stored_name"),
    [
        ("png", "photo.png", PNG, "image/png", "photo.png"),
        ("pdf", "invoice.pdf", PDF, "application/pdf", "invoice.pdf"),
        ("text", "notes.txt", TEXT, "text/plain", "notes.txt"),
        ("csv keeps its name", "export.csv", b"a,b\n1,2\n", "text/plain", "export.csv"),
        ("png named pdf gets png", "scan.pdf", PNG, "image/png", "scan.png"),
    ],
)
def test_accepted_types_come_from_the_content(_case, name, content, content_type, stored_name):
    [checked] = check_files([(name, content)])
    assert (checked.content_type, checked.filename, checked.size) == (
        content_type,
        stored_name,
        len(content),
    )


@pytest.mark.parametrize(
    ("_case", "name", "content", "found"),
    [
        ("exe named pdf", "invoice.pdf", EXE, "a program"),
        ("html named txt", "readme.txt", HTML, "HTML"),
        ("svg with a script", "logo.png", SVG, "image/svg+xml"),
        ("shell script", "notes.txt", b"#!/bin/sh\nrm -rf ~\n", "a script"),
        ("bare markup", "page.txt", b"  <script>alert(1)</script>", "HTML or other markup"),
    ],
)
def test_programs_and_markup_are_refused_whatever_the_name(_case, name, content, found):
    assert _refusal([(name, content)]) == [
        f"{name} is not accepted: its content is {found}, whatever its name says. "
        "Attach documents, images, PDF, ZIP or text files."
    ]


def test_a_file_over_the_per_file_limit_is_refused_with_both_sizes(settings):
    settings.ATTACHMENT_MAX_FILE_BYTES = 2048
    assert _refusal([("big.txt", b"x" * 3000)]) == [
        "big.txt is 3 KB; each file may be at most 2 KB."
    ]


def test_files_over_the_per_message_limit_are_refused_together(settings):
    settings.ATTACHMENT_MAX_FILE_BYTES = 2048
    settings.ATTACHMENT_MAX_MESSAGE_BYTES = 3072
    files = [("a.txt", b"a" * 2000), ("b.txt", b"b" * 2000)]
    assert _refusal(files) == ["These files are 4 KB together; one message may carry at most 3 KB."]


def test_every_problem_is_listed_at_once():
    assert _refusal([("empty.txt", b""), ("x.pdf", EXE)]) == [
        "empty.txt is empty.",
        "x.pdf is not accepted: its content is a program, whatever its name says. "
        "Attach documents, images, PDF, ZIP or text files.",
    ]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\report.pdf", "report.pdf"),
        ("bad\x00na\rme.txt", "bad na me.txt"),
        ("   ", "attachment"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_display_names_drop_folders_and_control_characters(raw, shown):
    assert display_name(raw) == shown


def test_attach_stores_under_a_random_name_with_hash_and_size(ticket, rep):
    event = ticket.events.get()
    [stored] = attach(
        event,
        [SimpleUploadedFile("../../evil.png", PNG, content_type="text/html")],
        by=rep,
    )
    stored.refresh_from_db()
    assert stored.filename == "evil.png"
    assert stored.content_type == "image/png"  # the content's, not the browser's claim
    assert (stored.size, stored.sha256) == (len(PNG), hashlib.sha256(PNG).hexdigest())
    assert "evil" not in stored.file.name
    assert stored.file.name.startswith("attachments/")
    with stored.file.open("rb") as f:
        assert f.read() == PNG
    assert (stored.ticket_id, stored.event_id, stored.uploaded_by_id) == (
        ticket.pk,
        event.pk,
        rep.pk,
    )


def test_mail_parts_keep_their_content_id_and_inline_flag(ticket):
    [stored] = attach(
        ticket.events.get(), [IncomingFile("logo.png", PNG, content_id="<logo@x>", inline=True)]
    )
    assert (stored.content_id, stored.inline, stored.uploaded_by_id) == ("<logo@x>", True, None)


# --- Replies with files -------------------------------------------------------------------


def test_workspace_reply_with_files_lists_them_in_the_conversation(ticket, rep_client):
    url = reverse("tickets:ticket-reply", args=[ticket.pk])
    response = rep_client.post(
        url,
        {
            "body": "Here is the label.",
            "kind": "public",
            "version": ticket.version,
            "attachments": [
                SimpleUploadedFile("label.pdf", PDF),
                SimpleUploadedFile("photo.png", PNG),
            ],
        },
    )
    assert response.status_code == 302
    reply = TicketEvent.objects.get(ticket=ticket, type="public_reply")
    names = list(reply.attachments.values_list("filename", "content_type"))
    assert names == [("label.pdf", "application/pdf"), ("photo.png", "image/png")]
    page = rep_client.get(reverse("tickets:ticket-detail", args=[ticket.pk])).content.decode()
    for a in reply.attachments.all():
        assert reverse("tickets:attachment-download", args=[a.pk]) in page
    assert 'label.pdf</a> <span class="muted">' in page


def test_workspace_reply_with_a_refused_file_keeps_the_draft_and_records_nothing(
    ticket, rep_client
):
    response = rep_client.post(
        reverse("tickets:ticket-reply", args=[ticket.pk]),
        {
            "body": "Invoice attached.",
            "kind": "public",
            "version": ticket.version,
            "attachments": [SimpleUploadedFile("invoice.pdf", EXE)],
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="attachments-errors"' in page
    assert "invoice.pdf is not accepted: its content is a program" in page
    assert "Invoice attached.</textarea>" in page
    assert ticket.events.count() == 1
    assert Attachment.objects.count() == 0


def test_api_reply_takes_files_as_multipart_and_lists_them_on_the_event(ticket, rep_client):
    url = reverse("tickets-api:ticket-events", args=[ticket.pk])
    response = rep_client.post(
        url,
        {"body": "Label attached", "public": "true", "version": ticket.version,
         "attachments": [SimpleUploadedFile("label.pdf", PDF)]},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    log = rep_client.get(url).json()["results"]
    [a] = log[-1]["attachments"]
    stored = Attachment.objects.get()
    assert a == {
        "id": stored.pk,
        "filename": "label.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "inline": False,
        "download": reverse("tickets-api:attachment-download", args=[stored.pk]),
    }


def test_api_reply_over_the_limit_is_a_422_naming_the_file(ticket, rep_client, settings):
    settings.ATTACHMENT_MAX_FILE_BYTES = 1024
    response = rep_client.post(
        reverse("tickets-api:ticket-events", args=[ticket.pk]),
        {"body": "Big", "public": "true", "version": ticket.version,
         "attachments": [SimpleUploadedFile("big.txt", b"y" * 5000)]},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid",
        "detail": "The attachments are not accepted.",
        "fields": {"attachments": ["big.txt is 5 KB; each file may be at most 1 KB."]},
    }
    assert ticket.events.count() == 1
    assert Attachment.objects.count() == 0


# --- Download -----------------------------------------------------------------------------


def _with_file(ticket, rep, name="notes.txt", content=TEXT) -> Attachment:
    services.reply(ticket.pk, by=rep, body="See file", attachments=[(name, content)])
    return Attachment.objects.get(ticket=ticket)


@pytest.mark.parametrize(
    "url_name", ["tickets:attachment-download", "tickets-api:attachment-download"]
)
def test_download_is_a_file_never_rendered(ticket, rep, rep_client, url_name):
    attachment = _with_file(ticket, rep)
    response = rep_client.get(reverse(url_name, args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TEXT
    assert response["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert response["Content-Type"] == "text/plain"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_a_stored_html_type_is_still_served_as_bytes(ticket, rep, rep_client):
    attachment = _with_file(ticket, rep)
    Attachment.objects.filter(pk=attachment.pk).update(content_type="text/html")
    response = rep_client.get(reverse("tickets:attachment-download", args=[attachment.pk]))
    assert response["Content-Type"] == "application/octet-stream"


@pytest.mark.parametrize(
    "url_name", ["tickets:attachment-download", "tickets-api:attachment-download"]
)
def test_rep_outside_the_ticket_teams_cannot_download(
    ticket, rep, rep_other_team, client_for, url_name
):
    attachment = _with_file(ticket, rep)
    response = client_for(rep_other_team).get(reverse(url_name, args=[attachment.pk]))
    assert response.status_code == 404
    assert b"Broken parcel" not in response.content
    assert TEXT not in response.content


# --- Outbound mail ------------------------------------------------------------------------


def test_public_reply_mail_carries_the_reps_files(ticket, rep, settings):
    with smtp_server() as (port, inbox):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
        services.reply(
            ticket.pk,
            by=rep,
            body="The label and a photo.",
            attachments=[("label.pdf", PDF), ("photo.png", PNG)],
        )
        services.reply(ticket.pk, by=rep, body="Note: checked", public=False,
                       attachments=[("internal.txt", TEXT)])  # fmt: skip
        runner.run_due()
    [message] = inbox
    assert message.get_content_type() == "multipart/mixed"
    assert message.get_body(preferencelist=("plain",)).get_content().strip() == (
        "The label and a photo."
    )
    parts = [
        (p.get_filename(), p.get_content_type(), p.get_content())
        for p in message.iter_attachments()
    ]
    assert parts == [
        ("label.pdf", "application/pdf", PDF),
        ("photo.png", "image/png", PNG),
    ]
