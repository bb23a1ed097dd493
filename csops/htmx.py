"""Turning domain errors into browser responses, in one place for every UI view.

A full-page request gets the page re-rendered with the message (status 409/422/403/404);
an htmx request gets the ``#errors`` region swapped by the base template's handler.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from csops.errors import DomainError


def error_response(request: HttpRequest, exc: DomainError) -> HttpResponse:
    html = render_to_string("_error.html", {"error": exc}, request=request)
    response = HttpResponse(html, status=exc.status)
    if request.headers.get("HX-Request"):
        response["HX-Retarget"] = "#flash"
        response["HX-Reswap"] = "innerHTML"
    return response


def domain_errors(view):
    """Decorator: render ``DomainError`` raised by a service as a clear error response."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return error_response(request, exc)

    return wrapper


class HtmxMessagesMiddleware:
    """An htmx answer carries the messages queued while handling it, swapped out of band into
    ``#flash``: a confirmation shows at once, where the person acted, and never again on a
    later page. Redirects keep theirs for the page they lead to. Place after
    MessageMiddleware (reading the messages here marks them used before it stores them)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.headers.get("HX-Request")
            or response.streaming
            or 300 <= response.status_code < 400
            or response.has_header("HX-Redirect")
            or response.has_header("HX-Location")
            or response.get("HX-Retarget") == "#flash"  # an error already rendered there
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        queued = list(messages.get_messages(request))
        if queued:
            html = render_to_string(
                "_flash.html", {"flash_messages": queued, "oob": True}, request=request
            )
            response.content += html.encode()
        return response
