from __future__ import annotations

from django import forms


class ContactForm(forms.Form):
    name = forms.CharField(max_length=120)
    email = forms.EmailField(max_length=254)
    phone = forms.CharField(max_length=40, required=False)
    organization = forms.CharField(
        max_length=120, required=False, help_text="A new name creates the organization."
    )


class NoteForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Internal note")


class MergeForm(forms.Form):
    duplicate = forms.EmailField(
        max_length=254,
        label="Email of the duplicate record",
        help_text="Its tickets, messages, survey answers and notes move to this customer; "
        "then it is deleted.",
    )
