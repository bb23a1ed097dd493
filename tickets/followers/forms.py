"""The follow form of the contact page: an address, and the honeypot."""

from __future__ import annotations

from django import forms

from tickets.portal.forms import HoneypotMixin


class FollowForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(max_length=254, label="Your email address")
