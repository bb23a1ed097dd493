"""The API download of an attachment: the same rule and headers as the page's download."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request

from csops.api_schema import error_responses
from tickets.attachments import selectors
from tickets.attachments.views import file_response


@extend_schema(
    summary="Download an attachment (as a file; only if you may see its ticket)",
    responses={
        (200, "application/octet-stream"): OpenApiResponse(
            OpenApiTypes.BINARY, description="The file, Content-Disposition: attachment."
        ),
        **error_responses(403, 404),
    },
)
@api_view(["GET"])
def attachment_download(request: Request, pk: int) -> HttpResponse:
    return file_response(selectors.attachment_for(request.user, pk))
