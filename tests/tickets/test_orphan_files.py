"""Stored files no row points at are deleted once older than the grace period; files of
attachments and inbound records, and young files, are kept."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from csops.models import Job
from tests.factories import make_ticket
from tests.mail.conftest import corpus
from tickets.attachments import cleanup
from tickets.attachments.models import Attachment
from tickets.attachments.services import attach, check_files
from tickets.mail.inbound import services as inbound

pytestmark = pytest.mark.django_db

OLD = timezone.now() - timedelta(days=3)


def _store(storage, name: str, *, old: bool) -> str:
    name = storage.save(name, ContentFile(b"%PDF-1.4 orphan"))
    if old:
        os.utime(storage.path(name), (OLD.timestamp(), OLD.timestamp()))
    return name


def test_old_orphans_go_and_every_referenced_or_young_file_stays(team, settings):
    settings.ORPHAN_FILE_GRACE_HOURS = 24
    ticket = make_ticket(team)
    [kept] = attach(ticket.events.get(), check_files([("a.txt", b"hello")]))
    files = Attachment._meta.get_field("file").storage
    os.utime(files.path(kept.file.name), (OLD.timestamp(), OLD.timestamp()))
    record = inbound.ingest(corpus("malformed_no_sender.eml"), source="pipe")  # raw kept
    os.utime(default_storage.path(record.raw.name), (OLD.timestamp(), OLD.timestamp()))
    old_upload = _store(files, "attachments/2026/01/rolledback", old=True)
    young_upload = _store(files, "attachments/2026/12/uploading", old=False)
    old_mail = _store(default_storage, "mail/inbound/2026/01/rolledback.eml", old=True)

    assert cleanup.clean_orphan_files() == 2

    assert not files.exists(old_upload)
    assert not default_storage.exists(old_mail)
    assert files.exists(young_upload)
    assert files.exists(kept.file.name)
    assert default_storage.exists(record.raw.name)
    assert cleanup.clean_orphan_files() == 0  # idempotent


def test_the_daily_beat_task_makes_one_cleanup_job_due():
    assert cleanup.enqueue() is True
    assert cleanup.enqueue() is False  # already due: not twice
    job = Job.objects.get(key="orphan-files")
    assert (job.kind, job.state) == (cleanup.CLEAN, Job.State.PENDING)
