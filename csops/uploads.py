"""The one check every uploaded file passes: a size limit and a type read from its content.

The limit and the allowed types come from settings (``UPLOAD_MAX_BYTES``,
``UPLOAD_ALLOWED_TYPES``). The type is sniffed from the file's bytes with puremagic, never
taken from the name or the browser's Content-Type, and the stored name gets the extension of
the type found, so ``invoice.pdf`` holding HTML or an executable is refused and a PNG named
``x.html`` is stored as ``x.png``.
"""

from __future__ import annotations

import math
from pathlib import PurePath

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile

from csops.errors import InvalidInput

EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
}
_SNIFF_BYTES = 64 * 1024
_MB = 1024 * 1024


def _size_text(n: int) -> str:
    """Rounded up, so a file just over the limit never reads as the limit."""
    if n < 1024:
        return f"{n} bytes"
    if n < _MB:
        return f"{math.ceil(n / 1024)} KB"
    return f"{math.ceil(n * 10 / _MB) / 10:g} MB"


size_text = _size_text  # for other checks' messages (tickets.attachments)


def sniff(upload: File) -> str | None:
    """The MIME type the content shows (None if unknown); the file is left at its start."""
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return None
    return next((m.mime_type for m in matches if m.mime_type), None)


def _problem(upload: File) -> str | None:
    """What is wrong with the file (too big, a type not allowed), or None."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        return f"The file is {_size_text(upload.size)}; the limit is {_size_text(limit)}."
    mime = sniff(upload)
    allowed = settings.UPLOAD_ALLOWED_TYPES
    if mime not in allowed:
        kinds = ", ".join(EXTENSIONS.get(t, t).lstrip(".").upper() for t in allowed)
        found = f"its content is {mime}" if mime else "its content is not a known file type"
        return f"Upload {kinds}: {found}, whatever its name says."
    return None


def check_upload(upload: UploadedFile, *, field: str) -> str:
    """Refuse (422, next to ``field``) a file too big or of a type not allowed; return the
    sniffed MIME type and rename the file to carry that type's extension."""
    problem = _problem(upload)
    if problem is not None:
        raise InvalidInput("The file is not accepted.", fields={field: [problem]})
    mime = sniff(upload) or ""
    stem = PurePath(upload.name or "upload").stem or "upload"
    upload.name = stem + EXTENSIONS.get(mime, "")
    return mime


def validate_upload(value: File) -> None:
    """Model field validator: the same rules for forms that save the model directly (the
    admin). A file already stored is not checked again."""
    if getattr(value, "_committed", True):
        return
    problem = _problem(value)
    if problem is not None:
        raise ValidationError(problem, code="upload")
