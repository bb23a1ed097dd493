"""Files from the contact form and the portal: checked by content before anything is recorded,
stored on the customer's message, downloadable in the portal only by their own address and
only from public messages (never an internal note's)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import CustomerFactory, make_ticket
from tests.tickets.attachment_files import EXE, HTML, PDF, PNG
from tickets import services
from tickets.attachments.models import Attachment
from tickets.models import Customer, Ticket
from tickets.portal import links

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Robin Web",
    "email": "robin@example.org",
    "subject": "Damaged parcel",
    "message": "Photo attached.",
}


def portal_client(email: str) -> Client:
    client = Client()
    client.get(reverse("portal:link", kwargs={"token": links.make_token(email)}))
    return client


def test_contact_form_files_are_stored_on_the_opening_message(team, client):
    photo = SimpleUploadedFile("parcel.png", PNG, content_type="image/png")
    invoice = SimpleUploadedFile("invoice.pdf", PDF, content_type="application/pdf")

    response = client.post(reverse("contact"), {**FORM, "attachments": [photo, invoice]})

    assert response.status_code == 200
    ticket = Ticket.objects.get()
    files = list(Attachment.objects.filter(ticket=ticket).order_by("pk"))
    assert [(a.filename, a.content_type, a.event.type) for a in files] == [
        ("parcel.png", "image/png", "created"),
        ("invoice.pdf", "application/pdf", "created"),
    ]


@pytest.mark.parametrize(
    ("_case", "name", "content", "problem"),
    [
        ("html named pdf", "invoice.pdf", HTML, "invoice.pdf is not accepted"),
        ("program named png", "photo.png", EXE, "photo.png is not accepted"),
        ("empty", "empty.png", b"", "The submitted file is empty."),
    ],
)
def test_a_bad_upload_is_a_form_error_and_records_nothing(
    team, client, _case, name, content, problem
):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(reverse("contact"), {**FORM, "attachments": [upload]})

    assert response.status_code == 422
    errors = response.context["form"].errors["attachments"]
    assert any(e.startswith(problem) for e in errors), errors
    assert Ticket.objects.count() == 0
    assert Customer.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_an_oversized_upload_names_the_limit(team, client, settings):
    settings.ATTACHMENT_MAX_FILE_BYTES = 100
    upload = SimpleUploadedFile("big.pdf", PDF + b"x" * 200, content_type="application/pdf")
    response = client.post(reverse("contact"), {**FORM, "attachments": [upload]})
    assert response.status_code == 422
    assert response.context["form"].errors["attachments"] == [
        "big.pdf is 277 bytes; each file may be at most 100 bytes."
    ]
    assert Ticket.objects.count() == 0


def test_a_portal_reply_carries_files_and_the_customer_downloads_them(team):
    casey = CustomerFactory(email="casey@example.org")
    ticket = make_ticket(team, requester=casey)
    client = portal_client(casey.email)

    response = client.post(
        reverse("portal:request-reply", kwargs={"pk": ticket.pk}),
        {"body": "Here is the photo.", "attachments": [SimpleUploadedFile("p.png", PNG)]},
    )

    assert response.status_code == 302
    attachment = Attachment.objects.get(ticket=ticket)
    assert (attachment.event.body, attachment.event.data) == (
        "Here is the photo.",
        {"channel": "portal"},
    )
    page = client.get(reverse("portal:request", kwargs={"pk": ticket.pk})).content.decode()
    url = reverse("portal:attachment", kwargs={"pk": attachment.pk})
    assert url in page
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PNG


def test_a_portal_reply_with_a_bad_file_records_no_message(team):
    casey = CustomerFactory(email="casey@example.org")
    ticket = make_ticket(team, requester=casey)
    events = ticket.events.count()
    response = portal_client(casey.email).post(
        reverse("portal:request-reply", kwargs={"pk": ticket.pk}),
        {"body": "See file.", "attachments": [SimpleUploadedFile("x.pdf", HTML)]},
    )
    assert response.status_code == 422
    assert ticket.events.count() == events


def test_files_of_another_customer_or_of_internal_notes_are_404(team, rep):
    casey = CustomerFactory(email="casey@example.org")
    bo = CustomerFactory(email="bo@example.org")
    mine = make_ticket(team, requester=casey)
    theirs = make_ticket(team, requester=bo)
    services.reply(theirs.pk, by=rep, body="For Bo", attachments=[("bo.pdf", PDF)])
    services.reply(mine.pk, by=rep, body="Internal", public=False, attachments=[("note.pdf", PDF)])
    services.reply(mine.pk, by=rep, body="For Casey", attachments=[("casey.pdf", PDF)])
    client = portal_client(casey.email)

    def status(name: str) -> int:
        pk = Attachment.objects.get(filename=name).pk
        return client.get(reverse("portal:attachment", kwargs={"pk": pk})).status_code

    assert (status("casey.pdf"), status("bo.pdf"), status("note.pdf")) == (200, 404, 404)
    page = client.get(reverse("portal:request", kwargs={"pk": mine.pk})).content.decode()
    assert "casey.pdf" in page
    assert "note.pdf" not in page
