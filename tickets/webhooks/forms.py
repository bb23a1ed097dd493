"""The subscription form of the webhooks page (field types; the service checks the rest)."""

from __future__ import annotations

from django import forms

from tickets.endpoints.forms import events_field, url_field
from tickets.webhooks.models import SUBSCRIBABLE, EventType


class SubscriptionForm(forms.Form):
    name = forms.CharField(max_length=100)
    url = url_field("URL")
    events = events_field(EventType, SUBSCRIBABLE)
    active = forms.BooleanField(required=False, initial=True)
