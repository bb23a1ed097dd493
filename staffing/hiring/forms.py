"""Forms of the hiring pages (the services hold the rules; these parse and label)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from csops.bounds import column_bounds
from staffing.hiring.models import BOARD_MOVES, HIRE_ROLES, Competency, Source, Stage
from staffing.models import Scenario, Team


class RequisitionForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none())
    role = forms.ChoiceField(choices=HIRE_ROLES, initial="Rep")
    title = forms.CharField(max_length=120, initial="Customer support representative")
    count = forms.IntegerField(min_value=1, max_value=50, initial=1, label="How many")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    scenario = forms.ModelChoiceField(
        queryset=Scenario.objects.none(),
        required=False,
        label="Planning scenario (gap)",
        help_text="A saved scenario of the team: its peak FTE minus the headcount is the gap.",
    )

    def __init__(self, *args, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["scenario"].queryset = Scenario.objects.filter(team__in=teams).select_related(
            "team"
        )
        self.fields["scenario"].label_from_instance = lambda s: f"{s.team.name}: {s.name}"


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", "Approve"), ("0", "Decline")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(max_length=300, required=False)


class CandidateForm(forms.Form):
    name = forms.CharField(max_length=120)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    source = forms.ChoiceField(choices=Source.choices)
    cv = forms.FileField(required=False, label="CV (PDF or image)")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


@column_bounds()  # dates within the supported range
class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=BOARD_MOVES, label="Move to")
    reason = forms.CharField(
        max_length=2000,
        required=False,
        label="Reason",
        help_text="Required to hire or reject: it is recorded as the hiring decision.",
    )
    start_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Start date (hire)",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, current: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if current is not None:  # the stage the candidate is at is no move
            self.fields["to"].choices = [(v, label) for v, label in BOARD_MOVES if v != current]

    def clean_start_date(self):
        return self.cleaned_data["start_date"] or timezone.localdate()


class ScorecardForm(forms.Form):
    """One 1–5 choice per competency of the stage, each level labelled with its anchor."""

    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, stage: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stage = stage
        self.competencies = list(Competency.objects.filter(stage=stage, active=True))
        for c in self.competencies:
            self.fields[f"c{c.pk}"] = forms.TypedChoiceField(
                label=c.name,
                choices=[(n, f"{n} · {text}") for n, text in c.anchors],
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.fields["notes"] = self.fields.pop("notes")

    def ratings(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.competencies}


STAGE_LABELS = dict(Stage.choices)
