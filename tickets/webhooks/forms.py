"""The subscription form of the webhooks page (field types; the service checks the rest)."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator

from tickets.webhooks.models import SUBSCRIBABLE, EventType

HTTP_ONLY = "Enter an http:// or https:// URL."


class SubscriptionForm(forms.Form):
    name = forms.CharField(max_length=100)
    url = forms.URLField(
        max_length=500,
        label="URL",
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={"invalid": HTTP_ONLY},
    )
    events = forms.MultipleChoiceField(
        choices=[(value, EventType(value).label) for value in SUBSCRIBABLE],
        widget=forms.CheckboxSelectMultiple,
    )
    active = forms.BooleanField(required=False, initial=True)
