from __future__ import annotations

from django import forms

from csops.widgets import Select
from tickets.links.models import MANUAL_LINK_KINDS


class LinkForm(forms.Form):
    kind = forms.ChoiceField(choices=MANUAL_LINK_KINDS, label="This ticket is", widget=Select)
    other = forms.IntegerField(min_value=1, max_value=2**31 - 1, label="Ticket number")


class MergeForm(forms.Form):
    into = forms.IntegerField(
        min_value=1, max_value=2**31 - 1, label="Merge this ticket into ticket number"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
