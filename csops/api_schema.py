"""What every app's API shares: the error body's schema and integer path ids."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from csops.errors import NotFound


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (``csops.api.exception_handler``)."""

    error = serializers.CharField()
    detail = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """``responses=`` entries documenting the error body for these status codes."""
    return {code: OpenApiResponse(ErrorSerializer) for code in codes}


def path_pk(value: str, what: str, *, qualifier: str = "") -> int:
    """The URL's id; a non-integer names an object that does not exist (404, never a 500)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(f"{what} #{value} does not exist{qualifier}.") from None
