"""The public forms. Lengths are bounded here (an oversized field is a form error, never a
database error); ``website`` is the honeypot: hidden from people, filled by bots."""

from __future__ import annotations

from django import forms

from policies.models import Category
from tickets.forms import MultipleFileField

MAX_MESSAGE = 20_000


class HoneypotMixin(forms.Form):
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class RequestFields(forms.Form):
    subject = forms.CharField(max_length=200)
    message = forms.CharField(max_length=MAX_MESSAGE, widget=forms.Textarea(attrs={"rows": 8}))
    category = forms.ModelChoiceField(
        queryset=Category.objects.order_by("name"),
        required=False,
        empty_label="Not sure",
        label="What is it about?",
    )
    attachments = MultipleFileField(required=False, label="Attach files (optional)")


class ContactForm(HoneypotMixin, RequestFields):
    name = forms.CharField(max_length=120, label="Your name")
    email = forms.EmailField(max_length=254, label="Your email address")
    field_order = ["name", "email", "category", "subject", "message", "attachments", "website"]


class NewRequestForm(RequestFields):
    field_order = ["category", "subject", "message", "attachments"]


class SignInForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(max_length=254, label="Your email address")


class ReplyForm(forms.Form):
    body = forms.CharField(
        max_length=MAX_MESSAGE, label="Your answer", widget=forms.Textarea(attrs={"rows": 5})
    )
    attachments = MultipleFileField(required=False, label="Attach files (optional)")
