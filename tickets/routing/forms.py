from __future__ import annotations

from django import forms

from staffing.models import AvailabilityStatus, Skill, Team
from tickets.routing.models import MAX_OFF_SHIFT_GRACE_MINUTES, MAX_OVERFLOW_MINUTES, RoutingMode


class RoutingSettingsForm(forms.Form):
    mode = forms.ChoiceField(choices=RoutingMode.choices)
    capacity = forms.IntegerField(
        min_value=1,
        max_value=200,
        help_text="Per person, in open tickets weighted by priority (low/normal 1, high 2, "
        "urgent 3).",
    )
    overflow_team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("tier", "name"), required=False, empty_label="None"
    )
    overflow_after_minutes = forms.IntegerField(
        min_value=1,
        max_value=MAX_OVERFLOW_MINUTES,
        required=False,
        help_text="Move a ticket nobody takes after this long.",
    )

    off_shift_grace_minutes = forms.IntegerField(
        min_value=0,
        max_value=MAX_OFF_SHIFT_GRACE_MINUTES,
        required=False,
        label="Grace after a shift ends (minutes)",
        help_text="Then a member's untouched tickets go back to the pool for someone on shift.",
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("overflow_team") and not data.get("overflow_after_minutes"):
            self.add_error("overflow_after_minutes", "Say after how many minutes to overflow.")
        if data.get("off_shift_grace_minutes") is None:
            data.pop("off_shift_grace_minutes", None)  # left empty: unchanged
        return data


class AvailabilityForm(forms.Form):
    status = forms.ChoiceField(choices=AvailabilityStatus.choices)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class RequiredSkillsForm(forms.Form):
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.filter(active=True).order_by("kind", "name"), required=False
    )
    language = forms.CharField(max_length=20, required=False)
