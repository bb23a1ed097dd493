"""Forms of the staff development pages (parsing only: rules live in the services)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth.models import User

from csops.bounds import column_bounds, date_in_range
from csops.people import display_name
from staffing import selectors
from staffing.models import (
    Certification,
    Course,
    OnboardingStep,
    OnboardingTemplate,
    QACriterion,
    Scorecard,
    ScorecardVersion,
    StepKind,
    Team,
)
from staffing.models.training import ROLE_CHOICES, Delivery


def _person_label(u: User) -> str:
    return display_name(u)


@column_bounds()
class AssignCourseForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.filter(active=True))
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)
    users = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, label="People"
    )
    due_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)

    def __init__(self, *args, viewer: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = selectors.managed_teams(viewer)
        self.fields["users"].queryset = selectors.visible_people(viewer).exclude(pk=viewer.pk)
        self.fields["users"].label_from_instance = _person_label

    def clean(self):
        data = super().clean()
        if not data.get("team") and not data.get("users"):
            raise forms.ValidationError("Choose a team or people.")
        return data


class AddMemberForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label="Person")

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(is_active=True, groups__isnull=False).distinct()
        self.fields["user"].queryset = staff.exclude(teams=team).order_by("username")
        self.fields["user"].label_from_instance = _person_label


@column_bounds(Course)
class CourseForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    provider = forms.CharField(max_length=120, required=False)
    hours = forms.DecimalField(min_value=0, max_digits=6, decimal_places=2)
    delivery = forms.ChoiceField(choices=Delivery.choices)
    required_for_roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    required_for_teams = forms.ModelMultipleChoiceField(queryset=Team.objects.all(), required=False)
    recurrence_months = forms.IntegerField(min_value=1, required=False, label="Recurs (months)")


@column_bounds(Certification)
class CertificationForm(forms.Form):
    name = forms.CharField(max_length=200)
    issuing_body = forms.CharField(max_length=200, required=False)
    validity_months = forms.IntegerField(
        min_value=1, required=False, help_text="Empty: never expires."
    )
    ce_hours_required = forms.DecimalField(
        label="CE hours per cycle", min_value=0, max_digits=6, decimal_places=2, initial=0
    )
    ce_cycle_months = forms.IntegerField(label="CE cycle (months)", min_value=1, required=False)
    recertification_rules = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    required_for_roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    required_for_teams = forms.ModelMultipleChoiceField(queryset=Team.objects.all(), required=False)


@column_bounds()
class CompleteTrainingForm(forms.Form):
    completed_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(max_digits=6, decimal_places=2, required=False)
    score = forms.DecimalField(max_digits=5, decimal_places=2, required=False)
    evidence_file = forms.FileField(required=False)
    evidence_url = forms.URLField(required=False, assume_scheme="https")
    verify = forms.BooleanField(required=False, label="Verified by me")


@column_bounds()
class CertificationRecordForm(forms.Form):
    certification = forms.ModelChoiceField(queryset=Certification.objects.filter(active=True))
    issued_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
        help_text="Empty: from the certification's validity.",
    )
    credential_id = forms.CharField(max_length=120, required=False)


@column_bounds()
class CEEntryForm(forms.Form):
    hours = forms.DecimalField(max_digits=6, decimal_places=2)
    completed_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(max_length=200)


@column_bounds()
class PlanForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label="New hire")
    template = forms.ModelChoiceField(queryset=OnboardingTemplate.objects.filter(active=True))
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    mentor = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, viewer: User, **kwargs):
        super().__init__(*args, **kwargs)
        people = selectors.visible_people(viewer)
        self.fields["user"].queryset = people.exclude(pk=viewer.pk)
        self.fields["mentor"].queryset = people
        for name in ("user", "mentor"):
            self.fields[name].label_from_instance = _person_label


class TemplateForm(forms.Form):
    name = forms.CharField(max_length=200)
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial="Rep")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TemplateStepForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "---------"), *StepKind.choices], required=False)
    title = forms.CharField(max_length=200, required=False)
    course = forms.ModelChoiceField(queryset=Course.objects.filter(active=True), required=False)
    certification = forms.ModelChoiceField(
        queryset=Certification.objects.filter(active=True), required=False
    )
    # The policy documents, through the step's own foreign key (staffing imports no policies).
    policy = forms.ModelChoiceField(
        queryset=OnboardingStep._meta.get_field("policy").related_model.objects.all(),
        required=False,
    )
    due_after_days = forms.IntegerField(min_value=0, max_value=365, initial=7)

    def clean(self):
        data = super().clean()
        if data.get("kind") and not data.get("title"):
            self.add_error("title", "Name the step.")
        return data


TemplateStepFormSet = forms.formset_factory(TemplateStepForm, extra=6, max_num=30)


def steps_of(formset) -> list[dict]:
    return [dict(f.cleaned_data) for f in formset if f.cleaned_data.get("kind")]


class SignOffForm(forms.Form):
    note = forms.CharField(max_length=300, required=False)


class StartReviewForm(forms.Form):
    ticket = forms.IntegerField(min_value=1, label="Ticket #")
    scorecard = forms.ModelChoiceField(queryset=Scorecard.objects.filter(active=True))


@column_bounds()
class SampleForm(forms.Form):
    rep = forms.ModelChoiceField(queryset=User.objects.none())
    scorecard = forms.ModelChoiceField(queryset=Scorecard.objects.filter(active=True))
    start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(min_value=1, max_value=50, initial=3)

    def __init__(self, *args, viewer: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rep"].queryset = selectors.visible_people(viewer).exclude(pk=viewer.pk)
        self.fields["rep"].label_from_instance = _person_label


class ScoreForm(forms.Form):
    """One score and comment field per criterion of the review's scorecard version."""

    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"criterion_{c.pk}"] = forms.IntegerField(
                label=f"{c.name} (0–{c.max_score}{', critical' if c.critical else ''})",
                help_text=c.description,
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                required=False, label=f"Comment on {c.name}"
            )

    def scores(self) -> dict[int, tuple[int, str]]:
        d = self.cleaned_data
        return {c.pk: (d[f"criterion_{c.pk}"], d[f"comment_{c.pk}"]) for c in self.criteria}

    def criterion_rows(self):
        return [(c, self[f"criterion_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]


class AmendScoresForm(ScoreForm):
    """Resolving a dispute by amending: every criterion scored again (prefilled with the
    current scores and comments) and why the scores change."""

    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Why the scores change"
    )

    def __init__(self, *args, criteria, current: dict[int, tuple[int, str]] | None = None, **kw):
        kw.setdefault("auto_id", "amend_%s")  # the page also has the uphold form's comment
        super().__init__(*args, criteria=criteria, **kw)
        del self.fields["summary"]
        for pk, (score, comment) in (current or {}).items():
            if f"criterion_{pk}" in self.fields:
                self.fields[f"criterion_{pk}"].initial = score
                self.fields[f"comment_{pk}"].initial = comment


@column_bounds(ScorecardVersion)
class ScorecardForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="An existing name makes a new version.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    pass_percent = forms.DecimalField(min_value=0, max_value=100, initial=80, decimal_places=2)


@column_bounds(QACriterion)
class CriterionForm(forms.Form):
    name = forms.CharField(max_length=120, required=False)
    description = forms.CharField(required=False)
    weight = forms.DecimalField(min_value=Decimal("0.01"), initial=1, decimal_places=2)
    max_score = forms.IntegerField(min_value=1, max_value=100, initial=5)
    critical = forms.BooleanField(required=False)
    fail_below = forms.IntegerField(min_value=0, initial=1)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=6, max_num=20)


def criteria_of(formset) -> list[dict]:
    """The filled-in rows of a valid criteria formset, in order."""
    return [
        {k: v for k, v in f.cleaned_data.items()} for f in formset if f.cleaned_data.get("name")
    ]


class CommentForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class PerformanceReviewForm(forms.Form):
    period_start = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), validators=[date_in_range]
    )
    period_end = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), validators=[date_in_range]
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    goals = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
