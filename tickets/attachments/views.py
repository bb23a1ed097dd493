"""The download of an attachment: only for people who may see its ticket, always as a file
(``Content-Disposition: attachment``, ``nosniff``), never rendered by the browser."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from csops.htmx import domain_errors
from tickets.attachments import selectors

_NEVER_INLINE = {"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml"}


def file_response(attachment) -> FileResponse:
    content_type = attachment.content_type
    if content_type in _NEVER_INLINE or not content_type:
        content_type = "application/octet-stream"
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@domain_errors
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    return file_response(selectors.attachment_for(request.user, pk))
