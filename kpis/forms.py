"""Dashboard filters (they live in the URL) and the goal form."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q

from csops import permissions
from csops.bounds import column_bounds
from csops.people import by_name, display_name
from kpis.definitions import GOAL_METRICS
from kpis.models import Hours
from kpis.selectors.filters import DashboardFilter
from staffing.models import Team
from tickets.models import Channel, Priority

PRESETS = [
    ("7d", "Last 7 days"),
    ("30d", "Last 30 days"),
    ("90d", "Last 90 days"),
    ("this_month", "This month"),
    ("last_month", "Last month"),
    ("this_quarter", "This quarter"),
    ("custom", "Custom range"),
]


def preset_range(preset: str, today: date) -> tuple[date, date]:
    if preset in ("7d", "30d", "90d"):
        return today - timedelta(days=int(preset[:-1]) - 1), today
    if preset == "this_month":
        return today.replace(day=1), today
    if preset == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if preset == "this_quarter":
        return quarter_start(today), today
    raise ValueError(preset)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    start = quarter_start(day)
    nxt = date(start.year + (start.month + 3 > 12), (start.month + 2) % 12 + 1, 1)
    return nxt - timedelta(days=1)


@column_bounds()
class DashboardFilterForm(forms.Form):
    preset = forms.ChoiceField(choices=PRESETS, required=False, initial="30d")
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    grain = forms.ChoiceField(
        choices=[("day", "Day"), ("week", "Week"), ("month", "Month")], required=False
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, empty_label="All my teams"
    )
    # Choices (the agents in the reader's scope, and "unassigned") are set per form.
    agent = forms.ChoiceField(choices=[("", "All agents")], required=False)
    channel = forms.ChoiceField(choices=[("", "All channels"), *Channel.choices], required=False)
    priority = forms.ChoiceField(
        choices=[("", "All priorities"), *Priority.choices], required=False
    )
    hours = forms.ChoiceField(
        choices=[("calendar", "Calendar hours"), ("business", "Business hours")], required=False
    )

    def __init__(self, *args, user: User, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today, self.user = today, user
        teams = permissions.scope_teams(user, Team.objects.order_by("name"))
        self.fields["team"].queryset = teams
        scope = permissions.team_scope(user)
        agents = User.objects.filter(is_active=True, groups__isnull=False)
        if scope is not None:
            agents = agents.filter(Q(teams__in=scope))
        self.fields["agent"].choices = [
            ("", "All agents"),
            ("unassigned", "Unassigned"),
            *((str(u.pk), display_name(u)) for u in by_name(agents.distinct())),
        ]

    def clean(self) -> dict:
        data = super().clean()
        preset = data.get("preset") or ("custom" if data.get("start") else "30d")
        data["preset"] = preset
        if preset == "custom":
            start, end = data.get("start"), data.get("end") or self.today
            if start is None:
                self.add_error("start", "Choose a start date.")
                return data
            if end < start:
                self.add_error("end", "The range ends before it starts.")
                return data
            data["start"], data["end"] = start, end
        else:
            data["start"], data["end"] = preset_range(preset, self.today)
        return data

    def to_filter(self) -> DashboardFilter:
        d = self.cleaned_data
        return DashboardFilter(
            start=d["start"],
            end=d["end"],
            grain=d.get("grain") or "day",
            team=d["team"].pk if d.get("team") else None,
            agent=_agent(d.get("agent")),
            channel=d.get("channel") or None,
            priority=d.get("priority") or None,
            business=d.get("hours") == "business",
        )


def _agent(value: str | None) -> int | str | None:
    if not value:
        return None
    return value if value == "unassigned" else int(value)


@column_bounds()
class GoalForm(forms.Form):
    metric = forms.ChoiceField(choices=GOAL_METRICS)
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"), required=False, empty_label="All teams"
    )
    hours = forms.ChoiceField(choices=Hours.choices, initial=Hours.BUSINESS)
    target = forms.DecimalField(max_digits=12, decimal_places=2)
    period_start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(max_length=200, required=False)
