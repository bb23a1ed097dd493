"""Turning domain errors into browser responses, in one place for every UI view.

A full-page request gets the page re-rendered with the message (status 409/422/403/404);
an htmx request gets the ``#errors`` region swapped by the base template's handler.
"""

from __future__ import annotations

from functools import wraps

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
