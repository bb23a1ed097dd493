"""Forms of the escalation and incident pages (each view parses with one of these)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User

from csops import permissions
from csops.bounds import column_bounds
from csops.people import by_name, display_name, label_people
from csops.widgets import Select
from staffing.models import Team
from tickets.models import EscalationCategory, EscalationRule, EscalationTarget, Ticket
from tickets.models.incidents import Severity
from tickets.services.escalation_rules import rule_problems
from tickets.services.escalations import next_tier_teams


class TargetSelect(forms.RadioSelect):
    """Radio buttons with some choices shown but disabled (the next tier when none exists)."""

    # Set per form instance (a new frozenset, never mutated: widgets are shallow-copied).
    disabled_values: frozenset[str] = frozenset()

    def create_option(self, name, value, *args, **kwargs) -> dict:
        option = super().create_option(name, value, *args, **kwargs)
        if value in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


class TierTeamField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return f"{obj} (tier {obj.tier})"


@column_bounds(Ticket)
class EscalateForm(forms.Form):
    """Escalate to the managers of the ticket's team, or hand the ticket to a higher tier's
    team. The page shows the team drop-down only for the second and says, before sending,
    where the escalation goes ("Goes to: …")."""

    target = forms.ChoiceField(
        choices=EscalationTarget.choices, initial=EscalationTarget.MANAGER, widget=TargetSelect
    )
    to_team = TierTeamField(
        queryset=Team.objects.none(), required=False, empty_label=None, label="Team", widget=Select
    )
    category = forms.ChoiceField(
        choices=[("", "Choose…"), *EscalationCategory.choices], widget=Select
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(
        self, *args, team: Team | None = None, teams: list[Team] | None = None, **kwargs
    ) -> None:
        """``teams``: every team, in their order (tier, name), if the page has read them."""
        # Its own ids: the workspace shows other forms with a category and a reason.
        kwargs.setdefault("auto_id", "escalate-%s")
        super().__init__(*args, **kwargs)
        self.team = team
        self.higher_teams: list[Team] = []
        if team is not None:
            if teams is None:
                self.higher_teams = list(next_tier_teams(team))
            else:
                self.higher_teams = [t for t in teams if t.tier > team.tier]
            field = self.fields["to_team"]
            field.queryset = next_tier_teams(team)  # what a submitted choice is checked against
            field.widget.choices = [  # shown: the list read above, not a second read
                (field.prepare_value(t), field.label_from_instance(t)) for t in self.higher_teams
            ]
        if self.higher_teams:
            self.fields["to_team"].initial = self.higher_teams[0].pk
        else:
            self.fields["target"].widget.disabled_values = frozenset({EscalationTarget.TIER})
            self.fields["target"].choices = [
                (EscalationTarget.MANAGER.value, EscalationTarget.MANAGER.label),
                (
                    EscalationTarget.TIER.value,
                    f"{EscalationTarget.TIER.label}: none above tier {team.tier if team else 1}",
                ),
            ]

    def manager_destination(self) -> str:
        """ "the managers of Tier 1 Support (Maria Manager)", or who handles it without any."""
        if self.team is None:
            return ""
        names = [display_name(u) for u in by_name(self.team.managers.all())]
        who = ", ".join(names) if names else "no manager yet; directors handle it"
        return f"the managers of {self.team} ({who})"

    def tier_destination(self) -> str:
        """The chosen (or first) higher tier's team, as its option reads."""
        chosen = self.higher_teams[0] if self.higher_teams else None
        value = self["to_team"].value()
        for t in self.higher_teams:
            if str(t.pk) == str(value):
                chosen = t
        return self.fields["to_team"].label_from_instance(chosen) if chosen else ""

    def clean(self) -> dict:
        data = super().clean()
        if data.get("target") == EscalationTarget.MANAGER:
            data["to_team"] = None  # the managers of the ticket's own team
        elif data.get("target") == EscalationTarget.TIER and not self.higher_teams:
            self.add_error("target", "No higher tier exists; escalate to the managers instead.")
        return data


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
    public = forms.BooleanField(
        required=False,
        label="Show on the public help center while open",
        help_text="Customers see the title, the customer-facing update and the status.",
    )

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
    public = forms.BooleanField(required=False, label="Show on the public help center while open")

    @classmethod
    def for_incident(cls, incident) -> IncidentEditForm:
        fields = ("title", "severity", "description", "public")
        initial = {f: getattr(incident, f) for f in fields}
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
