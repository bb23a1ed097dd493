"""The DRF exception handler: every API error is ``{"error", "detail", "fields"}``."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from csops.errors import DomainError

UNSTORABLE = "A value cannot be stored: a number out of range or a NUL character."


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """Field errors as ``{"name": [messages]}``; a nested serializer's errors are named by
    their path (``targets.0.minutes``), so a client can tell which item was refused."""
    if isinstance(detail, dict):
        items = detail.items()
    elif isinstance(detail, list) and any(isinstance(x, dict | list) for x in detail):
        items = enumerate(detail)
    else:
        messages = detail if isinstance(detail, list) else [detail]
        return {prefix or "non_field_errors": [str(x) for x in messages]}
    fields: dict[str, list[str]] = {}
    for key, value in items:
        if value:  # a list serializer's valid items have no errors
            fields |= _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    return fields


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(exc.as_body(), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        fields = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(
            {"error": "invalid", "detail": "Invalid input.", "fields": fields},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if isinstance(exc, DataError):
        # The database refused a value the request carried that no validator caught (a NUL
        # character in a looked-up name, a number past its column): the client's input.
        set_rollback()
        return Response(
            {"error": "invalid", "detail": UNSTORABLE, "fields": {}},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "error": "invalid",
            "detail": "Invalid input.",
            "fields": _flatten(exc.detail),
        }
        response.status_code = status.HTTP_400_BAD_REQUEST
    else:
        code = getattr(exc, "default_code", "error")
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        response.data = {"error": code, "detail": str(detail), "fields": {}}
    return response
