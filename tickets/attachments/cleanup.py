"""Stored files no row points at, deleted once they are old enough.

Files are written before their transaction commits (``attach`` stores the bytes, then the
rows commit with the message; inbound mail stores the raw message with its record), so a
transaction that rolls back leaves its bytes behind: a reply refused after the upload, a
batch of inbound mail redone message by message. Deleting a ticket (the admin) deletes its
rows, not their files. This finds such files under the folders the models write to and
deletes those older than ``ORPHAN_FILE_GRACE_HOURS`` (a younger file may belong to a
transaction still open). Storage API only, so it works on the filesystem and on S3.

It runs as the durable job ``CLEAN`` (``tickets/jobs.py``), made due daily by the beat task
``tickets.enqueue_orphan_file_cleanup``; each run reads ``CHUNK`` names at a time and is
idempotent (a file already gone is skipped).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.utils import timezone

from csops import jobs
from tickets.attachments.models import Attachment
from tickets.mail.inbound.models import InboundMessage

log = logging.getLogger(__name__)

CLEAN = "tickets.clean_orphan_files"  # job kind (tickets/jobs.py)
CHUNK = 500


@dataclass(frozen=True)
class Folder:
    storage: Storage
    prefix: str  # where the model's upload_to writes
    model: type[models.Model]
    field: str


def folders() -> list[Folder]:
    return [
        Folder(Attachment._meta.get_field("file").storage, "attachments", Attachment, "file"),  # type: ignore[attr-defined]
        Folder(default_storage, "mail/inbound", InboundMessage, "raw"),
    ]


def enqueue() -> bool:
    """Make the cleanup job due (the daily beat task)."""
    return jobs.enqueue_recurring(CLEAN, key="orphan-files")


def _names(storage: Storage, prefix: str) -> Iterator[str]:
    try:
        dirs, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{prefix}/{name}"
    for sub in sorted(dirs):
        yield from _names(storage, f"{prefix}/{sub}")


def _chunks(names: Iterator[str]) -> Iterator[list[str]]:
    chunk: list[str] = []
    for name in names:
        chunk.append(name)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def clean_orphan_files(*, now: datetime | None = None) -> int:
    """Delete the orphaned files older than the grace period; returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.ORPHAN_FILE_GRACE_HOURS)
    deleted = 0
    for folder in folders():
        for chunk in _chunks(_names(folder.storage, folder.prefix)):
            known = set(
                folder.model._default_manager.filter(**{f"{folder.field}__in": chunk}).values_list(
                    folder.field, flat=True
                )
            )
            for name in chunk:
                if name in known:
                    continue
                try:
                    if folder.storage.get_modified_time(name) >= cutoff:
                        continue
                    folder.storage.delete(name)
                except FileNotFoundError:
                    continue
                deleted += 1
    if deleted:
        log.info("deleted %s orphaned files", deleted)
    return deleted
