"""The dashboard's digest form: cadence, teams (those in the reader's scope), hours."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User

from csops import permissions
from kpis.digests.models import Cadence
from staffing.models import Team


class DigestForm(forms.Form):
    cadence = forms.ChoiceField(choices=Cadence.choices, initial=Cadence.WEEKLY)
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None chosen: all your teams in one section; else one section per team.",
    )
    hours = forms.ChoiceField(
        choices=[("calendar", "Calendar hours"), ("business", "Business hours")],
        initial="calendar",
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = permissions.scope_teams(user, Team.objects.order_by("name"))
