from __future__ import annotations

from django import forms

from csops.bounds import column_bounds
from csops.people import display_name
from staffing.schedules.models import WEEKDAYS, BlockKind


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return display_name(obj)


class ShiftForm(forms.Form):
    user = PersonChoice(queryset=None, label="Person")
    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, label="Day")
    start = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="At or before the start: overnight.",
    )

    def __init__(self, *args, team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = team.members.order_by("first_name", "username")


@column_bounds()  # dates within the supported range
class BlockForm(forms.Form):
    user = PersonChoice(queryset=None, label="Person")
    kind = forms.ChoiceField(choices=BlockKind.choices)
    starts_at = forms.DateTimeField(
        label="From", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label="Until", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = team.members.order_by("first_name", "username")


class RosterForm(forms.Form):
    file = forms.FileField(
        help_text="CSV: person,day,start,end (username or e-mail; Mon..Sun; HH:MM)."
    )

    MAX_BYTES = 256 * 1024

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > self.MAX_BYTES:
            raise forms.ValidationError("The roster is larger than 256 KB.")
        raw = f.read()
        if b"\x00" in raw:
            raise forms.ValidationError("This is not a CSV text file.")
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The roster must be UTF-8 text.") from None
