"""The form fields an outgoing endpoint's page shares, and saving such a form through its
service."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.validators import URLValidator
from django.db.models import Choices

from csops.errors import InvalidInput
from tickets.endpoints.fields import HTTP_ONLY

T = TypeVar("T")


def url_field(label: str) -> forms.URLField:
    return forms.URLField(
        max_length=500,
        label=label,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={"invalid": HTTP_ONLY},
    )


def events_field(kinds: type[Choices], offered: list[str]) -> forms.MultipleChoiceField:
    """Check boxes of the ``offered`` values of ``kinds``, with their labels."""
    return forms.MultipleChoiceField(
        choices=[(value, kinds(value).label) for value in offered],
        widget=forms.CheckboxSelectMultiple,
    )


def save_form(form: forms.Form, save: Callable[..., T]) -> T | None:
    """Call ``save`` with the form's values; a rule the service refuses becomes form errors."""
    if not form.is_valid():
        return None
    try:
        return save(**form.cleaned_data)
    except InvalidInput as exc:
        for name, errors in exc.fields.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
        return None
