"""The suite never writes into the checkout's var/media: every file storage follows the
temporary MEDIA_ROOT of the run (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from staffing.models import TrainingRecord
from tickets.attachments.models import Attachment

ROOT = Path(__file__).resolve().parents[1]


def test_every_file_storage_writes_under_the_runs_media_root():
    media = Path(settings.MEDIA_ROOT)
    assert not media.is_relative_to(ROOT)
    storages = [
        Attachment._meta.get_field("file").storage,
        TrainingRecord._meta.get_field("evidence_file").storage,
        default_storage,
    ]
    for storage in storages:
        assert Path(storage.location) == media
        name = storage.save("probe/file.txt", ContentFile(b"x"))
        try:
            assert (media / name).read_bytes() == b"x"
        finally:
            storage.delete(name)
