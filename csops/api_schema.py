"""What every app's API shares: the error body's schema, the error responses every operation
documents (``AutoSchema``, the project's ``DEFAULT_SCHEMA_CLASS``) and integer path ids."""

from __future__ import annotations

import copy

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
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
    return {
        code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS.get(code, ""))
        for code in codes
    }


# What each error status means, whatever the operation (csops.api.exception_handler maps them).
ERROR_DESCRIPTIONS = {
    400: "Invalid input: a malformed body or query parameter; `fields` names each field's errors.",
    401: "The API token has expired (csops.tokens); create a new one.",
    403: "Not signed in, no staff role, or outside this account's scope.",
    404: "No such object (or not visible to this account), or a page past the last one.",
    409: "A conflict with the current state: a stale version, a duplicate, or a claimed ticket.",
    415: "The body's media type is not one this operation reads (JSON, form or multipart).",
    422: "Well-formed but refused by a business rule; `detail` says which.",
}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class AutoSchema(SpectacularAutoSchema):
    """Adds the error answers any operation can give, with the one error body, to the
    responses a view documents (a view's own ``responses=`` entries win).

    Every operation can answer 401 (an expired token) and 403 (permission or scope); one with
    a path id 404; one with query parameters 400 (a bad filter, a bad page number) and, when
    paginated, 404 (a page past the end); one with a body 415 (a media type it does not
    read); a write 400 (a malformed body), 409 (a state conflict) and 422 (a business rule).
    """

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(as_stored(field), direction, bypass_extensions)
        if isinstance(field, serializers.SlugRelatedField) and not field.help_text and schema:
            # not the target column's own help ("Required. 150 characters or fewer..." of
            # a username), which says nothing true about this field
            schema.pop("description", None)
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(as_stored(field), schema)

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in sorted(self.error_codes(operation)):
            if str(code) not in responses:
                body = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
                responses[str(code)] = self._get_response_for_code(body, str(code))
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def error_codes(self, operation: dict) -> set[int]:
        where = {parameter["in"] for parameter in operation.get("parameters", [])}
        codes = {401, 403}
        if "path" in where:
            codes.add(404)
        if "query" in where:
            codes.add(400)
            if self._is_list_view() and self._get_paginator() is not None:
                codes.add(404)
        if "requestBody" in operation:
            codes.add(415)
        if self.method in WRITE_METHODS:
            codes |= {409, 422}
            if self.method != "DELETE":
                codes.add(400)
        return codes


def as_stored(field: serializers.Field) -> serializers.Field:
    """The field as its answers are: a read-only field shows what the model column may hold.

    DRF drops ``allow_blank`` from read-only model fields and leaves ``allow_null`` off
    declared ones (``SlugRelatedField(read_only=True)``, ``source="team.name"``), so the schema
    would promise a URI, an enum value or a non-null value where the answer is ``""`` or
    ``null``. Any nullable column or relation on the source path makes the field nullable; a
    blank-able text column lets it be ``""``.
    """
    if not field.read_only or getattr(field, "many", False):
        return field
    path = model_fields_behind(field)
    if not path:
        return field
    nullable = any(getattr(model_field, "null", False) for model_field in path)
    blank = isinstance(path[-1], models.CharField | models.TextField) and path[-1].blank
    widen_null = nullable and not field.allow_null
    widen_blank = blank and hasattr(field, "allow_blank") and not field.allow_blank
    if not (widen_null or widen_blank):
        return field
    stored = copy.copy(field)
    stored.allow_null = stored.allow_null or nullable
    if widen_blank:
        stored.allow_blank = True
    return stored


def model_fields_behind(field: serializers.Field) -> list:
    """The model fields a serializer field's dotted ``source`` walks through ([] if unknown)."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or field.source == "*":
        return []
    path = []
    for name in field.source.split("."):
        if model is None:
            return []
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return []
        path.append(model_field)
        model = model_field.related_model
    return path


def path_pk(value: str, what: str, *, qualifier: str = "") -> int:
    """The URL's id; a non-integer names an object that does not exist (404, never a 500)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(f"{what} #{value} does not exist{qualifier}.") from None
