"""The one door for files into tickets: ``check_files`` then ``attach``.

Every channel (agents' replies in the workspace and the API, inbound mail, the web form, the
portal) passes its files here. A file is ``(name, bytes)``, an ``UploadedFile`` (or any
Django ``File``) or an ``IncomingFile`` (mail parts: with a Content-ID and the inline flag).

Checks (``check_files``), each with an error naming the file:
- size: at most ``ATTACHMENT_MAX_FILE_BYTES`` each, ``ATTACHMENT_MAX_MESSAGE_BYTES`` together;
- type: read from the bytes with puremagic (the name only decides between types the content
  matches), one of ``ATTACHMENT_ALLOWED_TYPES``. Text the sniffer does not know is
  ``text/plain`` unless it is markup (HTML, SVG, XML) or a script. Programs (a Windows
  executable, an installer) and HTML are refused whatever the name says.

``attach`` stores the checked files through the ``attachments`` storage and links them to
the event, inside the caller's transaction (the rows commit with the message; a rolled-back
message leaves its stored bytes unreferenced, never a row without a file).
"""

from __future__ import annotations

import hashlib
import mimetypes
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import cast

import puremagic
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files import File
from django.core.files.base import ContentFile

from csops.errors import InvalidInput
from csops.uploads import size_text
from tickets.attachments.models import Attachment
from tickets.models import TicketEvent

FIELD = "attachments"  # the form / API field every error is reported on
_SNIFF_BYTES = 64 * 1024
# Signatures of programs: a file matching one is refused whatever else it might be.
_PROGRAM_EXTENSIONS = {".exe", ".dll", ".com", ".scr", ".sys", ".msi", ".cpl", ".ocx", ".pif"}
# Text that browsers (or a shell) would run, whatever name it carries.
_MARKUP_STARTS = ("<!doctype", "<html", "<head", "<body", "<script", "<svg", "<?xml", "<iframe")
# Names people give text files: kept as they are (not renamed to .txt).
_TEXT_SUFFIXES = {".txt", ".csv", ".log", ".json", ".md", ".eml", ".tsv", ".ini", ".cfg", ".yaml"}
_NAME_MAX = 200


@dataclass(frozen=True)
class IncomingFile:
    """A file from a channel that knows more than a name: mail parts' Content-ID and inline
    disposition (images the HTML part shows with ``cid:``)."""

    name: str
    content: bytes
    content_id: str = ""
    inline: bool = False


FileLike = tuple[str, bytes] | File | IncomingFile


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content: bytes
    content_type: str
    content_id: str = ""
    inline: bool = False

    @property
    def size(self) -> int:
        return len(self.content)


def display_name(raw: str | None) -> str:
    """The sender's filename made safe to show and to offer as a download name: no folders,
    no control characters, NFC, at most 200 characters with the extension kept."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(c).startswith("C") else c for c in name)
    name = " ".join(name.split()).strip(" .")
    if not name:
        return "attachment"
    if len(name) > _NAME_MAX:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: _NAME_MAX - len(suffix)] + suffix
    return name


def _read(item: FileLike) -> tuple[str, bytes, str, bool]:
    if isinstance(item, IncomingFile):
        return item.name, item.content, item.content_id, item.inline
    if isinstance(item, File):
        item.seek(0)
        content = item.read()
        item.seek(0)
        return item.name or "", content, "", False
    name, content = item
    return name, bytes(content), "", False


def _looks_like_markup_or_script(head: bytes) -> str | None:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"#!"):
        return "a script"
    if any(start.startswith(m.encode()) for m in _MARKUP_STARTS):
        return "HTML or other markup"
    return None


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sniff window is still text.
        if exc.start < len(head) - 3:
            return _mostly_printable(head)
    return True


def _mostly_printable(head: bytes) -> bool:
    """Latin-1 / Windows-1252 text: few control bytes besides whitespace."""
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls <= len(head) // 100


def sniff(name: str, content: bytes) -> tuple[str | None, str]:
    """(the MIME type the content shows or None, a description of what was found)."""
    head = content[:_SNIFF_BYTES]
    try:
        matches = puremagic.magic_string(head, name or None)
    except (puremagic.PureError, ValueError):
        matches = []
    matches = [m for m in matches if m.byte_match]  # not guesses from the name alone
    if any(m.extension.lower() in _PROGRAM_EXTENSIONS for m in matches[:1]) or any(
        m.extension.lower() in (".exe", ".dll") for m in matches
    ):
        return None, "a program"
    typed = [m for m in matches if m.mime_type and m.mime_type != "application/octet-stream"]
    if typed:
        mime = typed[0].mime_type
        return mime, "HTML" if mime in ("text/html", "application/xhtml+xml") else mime
    if matches:
        return None, f"an unknown binary format ({matches[0].name or matches[0].extension})"
    markup = _looks_like_markup_or_script(head)
    if markup:
        return None, markup
    if _is_text(head):
        return "text/plain", "text/plain"
    return None, "not a known file type"


def _named_for(name: str, mime: str) -> str:
    """Keep the name; give it the content's extension when it claims another type."""
    if mime == "text/plain":
        suffix = PurePosixPath(name).suffix.lower()
        return name if suffix in _TEXT_SUFFIXES or not suffix else f"{name}.txt"
    known = mimetypes.guess_all_extensions(mime)
    suffix = PurePosixPath(name).suffix.lower()
    if not known or suffix in known or (suffix == ".jpg" and mime == "image/jpeg"):
        return name
    stem = PurePosixPath(name).stem if suffix else name
    return display_name(stem + known[0])


def check_files(files: Iterable[FileLike]) -> list[CheckedFile]:
    """The files read and checked, or InvalidInput (422) listing every problem on the
    ``attachments`` field."""
    per_file, per_message = (
        settings.ATTACHMENT_MAX_FILE_BYTES,
        settings.ATTACHMENT_MAX_MESSAGE_BYTES,
    )
    allowed = set(settings.ATTACHMENT_ALLOWED_TYPES)
    problems: list[str] = []
    checked: list[CheckedFile] = []
    total = 0
    for item in files:
        raw_name, content, content_id, inline = _read(item)
        name = display_name(raw_name)
        total += len(content)
        if len(content) > per_file:
            problems.append(
                f"{name} is {size_text(len(content))}; "
                f"each file may be at most {size_text(per_file)}."
            )
            continue
        if not content:
            problems.append(f"{name} is empty.")
            continue
        mime, found = sniff(name, content)
        if mime is None or mime not in allowed:
            problems.append(
                f"{name} is not accepted: its content is {found}, whatever its name says. "
                "Attach documents, images, PDF, ZIP or text files."
            )
            continue
        checked.append(CheckedFile(_named_for(name, mime), content, mime, content_id[:255], inline))
    if total > per_message:
        problems.append(
            f"These files are {size_text(total)} together; "
            f"one message may carry at most {size_text(per_message)}."
        )
    if problems:
        raise InvalidInput("The attachments are not accepted.", fields={FIELD: problems})
    return checked


def attach(
    event: TicketEvent, files: Iterable[FileLike | CheckedFile], *, by: User | None = None
) -> list[Attachment]:
    """Store the files and link them to ``event`` (and its ticket). Checks them first unless
    they were checked already (``CheckedFile``); call inside the message's transaction."""
    given = list(files)
    if not given:
        return []
    items: list[CheckedFile] = (
        [f for f in given if isinstance(f, CheckedFile)]
        if all(isinstance(f, CheckedFile) for f in given)
        else check_files(cast("list[FileLike]", given))
    )
    stored = []
    for f in items:
        attachment = Attachment(
            ticket_id=event.ticket_id,
            event=event,
            filename=f.filename,
            content_type=f.content_type,
            size=f.size,
            sha256=hashlib.sha256(f.content).hexdigest(),
            content_id=f.content_id,
            inline=f.inline,
            uploaded_by=by,
        )
        attachment.file.save("upload", ContentFile(f.content), save=False)
        attachment.save()
        stored.append(attachment)
    return stored
