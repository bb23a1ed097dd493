"""The form fields an outgoing endpoint's page shares."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.db.models import Choices

from tickets.endpoints.fields import HTTP_ONLY


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
