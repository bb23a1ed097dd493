"""JSON input nested deeper than MAX_JSON_DEPTH is refused (400 or a form error), not a 500.

Python's ``json`` parser recurses once per level, so a body nested 50,000 deep raised
``RecursionError`` (issue 13 §4); a body a few hundred levels deep parses, but would reach the
serializers and renderers that recurse again. No csops input nests more than a few levels.
The two doors for JSON: the API's parser (settings ``DEFAULT_PARSER_CLASSES``) and the admin's
JSON text areas (``JSON_FORM_FIELD`` as a ModelAdmin's ``formfield_overrides``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 32
TOO_DEEP = f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels."


def nesting_depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = ParseError(TOO_DEEP)
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if nesting_depth(data) > MAX_JSON_DEPTH:
            raise too_deep
        return data


class BoundedJSONFormField(forms.JSONField):
    """Django's JSON form field with the same depth limit (a form error)."""

    def to_python(self, value: Any) -> Any:
        try:
            converted = super().to_python(value)
        except RecursionError:
            raise ValidationError(TOO_DEEP, code="invalid") from None
        if nesting_depth(converted) > MAX_JSON_DEPTH:
            raise ValidationError(TOO_DEEP, code="invalid")
        return converted

    def bound_data(self, data: Any, initial: Any) -> Any:
        try:
            return super().bound_data(data, initial)
        except RecursionError:  # re-rendering the refused form shows the text as typed
            return forms.fields.InvalidJSONInput(data)


# ``formfield_overrides`` for a ModelAdmin that edits JSON columns.
JSON_FORM_FIELD = {models.JSONField: {"form_class": BoundedJSONFormField}}
