"""Uploads: a size limit and a type sniffed from the content (csops.uploads), with the error
next to the form's field or in the API's JSON body."""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from django.utils.html import escape

from staffing.models import TrainingRecord
from tests.staffing import builders

pytestmark = pytest.mark.django_db
NOW = "2026-03-10 09:00Z"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
KINDS = "Upload PDF, PNG, JPG, WEBP"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _complete(client, record, upload, **extra):
    body = {"completed_on": "2026-03-10", "hours": "1", "evidence_file": upload, **extra}
    return client.post(f"/staff/training/{record.pk}/complete/", body)


def _field_error(response) -> str:
    message = response.context["form"].errors["evidence_file"][0]
    page = response.content.decode()
    assert 'id="evidence_file-errors"' in page  # shown next to the field
    assert escape(message) in page
    return message


@time_machine.travel(NOW, tick=False)
def test_an_oversize_file_is_refused_next_to_the_field(rep_client, rep, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    record = builders.record(rep)
    big = SimpleUploadedFile("cert.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    response = _complete(rep_client, record, big)
    assert response.status_code == 422
    assert _field_error(response) == "The file is 3 KB; the limit is 1 KB."
    assert TrainingRecord.objects.get(pk=record.pk).completed_on is None


@time_machine.travel(NOW, tick=False)
def test_the_default_limit_refuses_more_than_10_mb(rep_client, rep):
    record = builders.record(rep)
    big = SimpleUploadedFile(
        "cert.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
    )
    response = _complete(rep_client, record, big)
    assert response.status_code == 422
    assert _field_error(response) == "The file is 10.1 MB; the limit is 10 MB."
    assert TrainingRecord.objects.get(pk=record.pk).completed_on is None


@pytest.mark.parametrize(
    ("_case", "name", "content", "found"),
    [
        ("exe_named_pdf", "cert.pdf", EXE, "application/vnd.microsoft.portable-executable"),
        ("html_named_png", "badge.png", HTML, "text/html"),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_a_disguised_file_is_refused_by_its_content(rep_client, rep, _case, name, content, found):
    record = builders.record(rep)
    disguised = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = _complete(rep_client, record, disguised)
    assert response.status_code == 422
    assert _field_error(response) == f"{KINDS}: its content is {found}, whatever its name says."
    assert TrainingRecord.objects.get(pk=record.pk).evidence_file.name == ""


@time_machine.travel(NOW, tick=False)
def test_unknown_content_is_refused(rep_client, rep):
    record = builders.record(rep)
    response = _complete(rep_client, record, SimpleUploadedFile("notes.pdf", b"just words"))
    assert _field_error(response) == (
        f"{KINDS}: its content is not a known file type, whatever its name says."
    )


@time_machine.travel(NOW, tick=False)
def test_an_allowed_file_is_stored_under_its_contents_extension(rep_client, rep):
    record = builders.record(rep)
    response = _complete(rep_client, record, SimpleUploadedFile("badge.html", PNG))
    assert response.status_code == 302
    record.refresh_from_db()
    stored = Path(record.evidence_file.name)
    assert (stored.name.startswith("badge"), stored.suffix) == (True, ".png")
    download = rep_client.get(f"/staff/training/{record.pk}/evidence/")
    assert download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG


@time_machine.travel(NOW, tick=False)
def test_api_refuses_a_disguised_file_with_a_json_error(rep_client, rep):
    record = builders.record(rep)
    response = rep_client.post(
        f"/api/v1/training-records/{record.pk}/complete/",
        {"completed_on": "2026-03-10", "evidence_file": SimpleUploadedFile("cert.pdf", EXE)},
    )
    assert (response.status_code, response.json()) == (
        422,
        {
            "error": "invalid",
            "detail": "The completion is not valid.",
            "fields": {
                "evidence_file": [
                    f"{KINDS}: its content is application/vnd.microsoft.portable-executable,"
                    " whatever its name says."
                ]
            },
        },
    )
    assert TrainingRecord.objects.get(pk=record.pk).completed_on is None


@time_machine.travel(NOW, tick=False)
def test_api_refuses_an_oversize_file(rep_client, rep, settings):
    settings.UPLOAD_MAX_BYTES = 100
    record = builders.record(rep)
    response = rep_client.post(
        f"/api/v1/training-records/{record.pk}/complete/",
        {"completed_on": "2026-03-10", "evidence_file": SimpleUploadedFile("c.pdf", PDF * 4)},
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "evidence_file": [f"The file is {len(PDF) * 4} bytes; the limit is 100 bytes."]
    }


@time_machine.travel(NOW, tick=False)
def test_the_admin_form_refuses_a_disguised_file_too(rep):
    """The model field's validator: the admin saves TrainingRecord without the service."""
    record = builders.record(rep)
    AdminForm = modelform_factory(TrainingRecord, fields=["evidence_file"])  # noqa: N806
    form = AdminForm({}, {"evidence_file": SimpleUploadedFile("cert.pdf", EXE)}, instance=record)
    assert form.errors == {
        "evidence_file": [
            f"{KINDS}: its content is application/vnd.microsoft.portable-executable,"
            " whatever its name says."
        ]
    }
    ok = AdminForm({}, {"evidence_file": SimpleUploadedFile("cert.pdf", PDF)}, instance=record)
    assert ok.is_valid()
    # a file already stored is not read again when the record is saved later
    ok.save()
    record.refresh_from_db()
    record.full_clean()
