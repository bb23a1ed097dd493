"""Forms of the escalation and incident pages (each view parses with one of these)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User

from csops import permissions
from csops.bounds import column_bounds
from csops.people import by_name, label_people
from staffing.models import Team
from tickets.models import EscalationCategory, EscalationRule, EscalationTarget, Ticket
from tickets.models.incidents import Severity
from tickets.services.escalation_rules import rule_problems


@column_bounds(Ticket)
class EscalateForm(forms.Form):
    target = forms.ChoiceField(
        choices=EscalationTarget.choices, initial=EscalationTarget.MANAGER, widget=forms.RadioSelect
    )
    to_team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        empty_label="Lowest higher tier",
        label="Team (next tier)",
    )
    category = forms.ChoiceField(choices=[("", "Choose…"), *EscalationCategory.choices])
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, team: Team | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if team is not None:
            self.fields["to_team"].queryset = Team.objects.filter(tier__gt=team.tier)


class GuidanceForm(forms.Form):
    guidance = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RuleForm(forms.ModelForm):
    class Meta:
        model = EscalationRule
        fields = [
            "name",
            "active",
            "position",
            "trigger",
            "minutes",
            "keywords",
            "metric",
            "reassign_team",
            "reassign_user",
            "raise_priority_to",
            "notify",
            "open_escalation",
            "escalation_category",
        ]
        widgets = {"keywords": forms.TextInput()}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reassign_user"].queryset = by_name(self.fields["reassign_user"].queryset)
        label_people(self)

    def clean(self) -> dict:
        data = super().clean()
        for field, errors in rule_problems(data).items():
            for error in errors:
                self.add_error(None if field == "non_field_errors" else field, error)
        return data


class IncidentForm(forms.Form):
    title = forms.CharField(max_length=200)
    severity = forms.ChoiceField(choices=Severity.choices, initial=Severity.SEV2)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), empty_label=None)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    customer_update = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Customer-facing update"
    )
    alert = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        scope = permissions.managed_team_scope(user)
        qs = Team.objects.all()
        self.fields["team"].queryset = qs if scope is None else qs.filter(pk__in=scope)


class IncidentEditForm(forms.Form):
    """The declared fields an open incident's handlers may change (services.incidents.edit)."""

    title = forms.CharField(max_length=200)
    severity = forms.ChoiceField(choices=Severity.choices)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def for_incident(cls, incident) -> IncidentEditForm:
        initial = {f: getattr(incident, f) for f in ("title", "severity", "description")}
        return cls(initial=initial)


class LinkForm(forms.Form):
    tickets = forms.CharField(label="Ticket numbers", help_text="e.g. 12, 15 16", required=False)
    ticket = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Checkbox values come from the queue or search results: any integer is accepted
        # here; the service checks each ticket is visible to the user.
        self.fields["ticket"].valid_value = lambda value: str(value).isdigit()  # type: ignore[method-assign]

    def clean(self) -> dict:
        data = super().clean()
        ids = set(data.get("ticket") or [])
        for part in (data.get("tickets") or "").replace(",", " ").split():
            part = part.lstrip("#")
            if not part.isdigit():
                self.add_error("tickets", f"“{part}” is not a ticket number.")
                return data
            ids.add(int(part))
        if not ids:
            self.add_error("tickets", "Give at least one ticket number or select tickets.")
        data["ids"] = sorted(ids)
        return data


class BulkLinkForm(LinkForm):
    incident = forms.IntegerField(min_value=1)


class UpdateForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Update")


class ResolveIncidentForm(forms.Form):
    solve_tickets = forms.BooleanField(required=False, label="Solve the linked tickets")
    closing_message = forms.CharField(
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "What was fixed, and what customers should do now"}
        ),
        required=False,
        label="Closing message",
    )
