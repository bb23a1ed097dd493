"""Forms of the SLA policy and business calendar pages. They parse what people type; the
rules (intervals, targets, effective dates) are checked once, in ``policies.services``."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import available_timezones

from django import forms
from django.apps import apps

from csops.bounds import bound_field, column_bounds
from csops.widgets import chips
from policies.business_time import WEEKDAY_NAMES, validate_timezone
from policies.calendar_text import (
    DAY_KEYS,
    holidays_as_lines,
    parse_holidays,
    parse_week,
    week_as_text,
)
from policies.models import BusinessCalendar, CalendarVersion, Category, SlaMetric
from policies.models.sla import PRIORITY_CHOICES, SlaPolicy, SlaPolicyTarget, SlaPolicyVersion
from policies.services.sla import CHANNELS, PolicySpec, TargetSpec
from staffing.models import Team

DAY_HELP = "e.g. 09:00-12:00, 13:00-17:00; an overnight shift 22:00-06:00 ends the next day"
EFFECTIVE_HELP = "Leave empty to apply from now on. Never in the past."


def zone_choices() -> list[tuple[str, str]]:
    """IANA zones the engine accepts (``localtime`` and other non-IANA keys left out)."""
    zones = []
    for zone in sorted(available_timezones()):
        try:
            validate_timezone(zone)
        except ValueError:
            continue
        zones.append((zone, zone))
    return zones


@column_bounds()
class CalendarForm(forms.Form):
    name = forms.CharField(max_length=80)
    time_zone = forms.ChoiceField(choices=zone_choices, initial="UTC")
    holidays = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line: 2026-12-25 (closed) or 2026-12-24 09:00-13:00 (open hours only).",
    )
    effective_from = forms.DateTimeField(
        required=False,
        help_text=EFFECTIVE_HELP,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, label in zip(DAY_KEYS, WEEKDAY_NAMES, strict=True):
            self.fields[key] = forms.CharField(label=label, required=False, help_text=DAY_HELP)
        self.order_fields(["name", "time_zone", *DAY_KEYS, "holidays", "effective_from"])
        if editing:
            del self.fields["name"]

    @classmethod
    def for_version(cls, version: CalendarVersion, data=None) -> CalendarForm:
        initial = {
            "time_zone": version.time_zone,
            "holidays": "\n".join(holidays_as_lines(version.holidays)),
            **week_as_text(version.weekly),
        }
        return cls(data, initial=initial, editing=True)

    def clean(self) -> dict:
        data = super().clean()
        try:
            data["weekly"] = parse_week({key: data.get(key, "") for key in DAY_KEYS})
        except ValueError as exc:
            message = str(exc)
            day = next((k for k, n in zip(DAY_KEYS, WEEKDAY_NAMES, strict=True)
                        if message.startswith(f"{n}:")), None)  # fmt: skip
            self.add_error(day, message)
        try:
            data["holiday_map"] = parse_holidays((data.get("holidays") or "").splitlines())
        except ValueError as exc:
            self.add_error("holidays", str(exc))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "time_zone": data["time_zone"],
            "weekly": data["weekly"],
            "holidays": data["holiday_map"],
            "effective_from": data.get("effective_from"),
        }


class OrganizationSettingsForm(forms.Form):
    default_calendar = forms.ModelChoiceField(
        queryset=BusinessCalendar.objects.all(), required=False, empty_label="None"
    )
    reporting_time_zone = forms.ChoiceField(choices=zone_choices)


_TARGET_MINUTES = SlaPolicyTarget._meta.get_field("minutes")


def target_field(priority: str, metric: str) -> str:
    return f"t_{priority}_{metric}"


@column_bounds(SlaPolicy)
class SlaPolicyForm(forms.Form):
    name = forms.CharField(max_length=120)
    position = forms.IntegerField(
        min_value=0, initial=100, help_text="Lower comes first: the first match applies."
    )
    active = forms.BooleanField(required=False, initial=True)
    calendar = forms.ModelChoiceField(
        queryset=BusinessCalendar.objects.all(),
        required=False,
        empty_label="Organisation default",
        help_text="Business hours for business-hours targets.",
    )
    at_risk_fraction = forms.DecimalField(
        min_value=Decimal(0),
        max_value=Decimal(1),
        decimal_places=3,
        initial=Decimal("0.25"),
        help_text="At risk when this fraction of the target is left (0.25 = the last quarter).",
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.all(), required=False, widget=chips(placeholder="Any team")
    )
    channels = forms.MultipleChoiceField(
        choices=[(c, c) for c in CHANNELS], required=False, widget=chips(placeholder="Any channel")
    )
    priorities = forms.MultipleChoiceField(
        choices=PRIORITY_CHOICES, required=False, widget=chips(placeholder="Any priority")
    )
    organizations = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=chips(placeholder="Any organization")
    )
    categories = forms.ModelMultipleChoiceField(
        queryset=Category.objects.all(), required=False, widget=chips(placeholder="Any category")
    )
    effective_from = forms.DateTimeField(
        required=False,
        help_text=EFFECTIVE_HELP,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    CONDITION_HELP = "Empty matches any."

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organization = apps.get_model("tickets", "Organization")
        self.fields["organizations"].queryset = organization.objects.order_by("name")
        for name in ("teams", "channels", "priorities", "organizations", "categories"):
            self.fields[name].help_text = self.CONDITION_HELP
        for priority, _ in PRIORITY_CHOICES:
            for metric in SlaMetric.values:
                key = target_field(priority, metric)
                minutes = forms.IntegerField(
                    required=False,
                    min_value=1,
                    error_messages={"min_value": "A target must be at least 1 minute."},
                    label=f"{priority} {metric} minutes",
                    widget=forms.NumberInput(attrs={"min": 1}),
                )
                self.fields[key] = bound_field(minutes, _TARGET_MINUTES)
                self.fields[f"{key}_business"] = forms.BooleanField(
                    required=False, initial=True, label=f"{priority} {metric} business hours"
                )

    @classmethod
    def for_version(cls, version: SlaPolicyVersion, data=None) -> SlaPolicyForm:
        policy = version.policy
        initial = {
            "name": policy.name,
            "position": policy.position,
            "active": policy.active,
            "calendar": version.calendar_id,
            "at_risk_fraction": version.at_risk_fraction,
            "teams": version.teams,
            "channels": version.channels,
            "priorities": version.priorities,
            "organizations": version.organizations,
            "categories": version.categories,
        }
        for priority, _ in PRIORITY_CHOICES:
            for metric in SlaMetric.values:
                initial[f"{target_field(priority, metric)}_business"] = False
        for target in version.targets.all():
            key = target_field(target.priority, target.metric)
            initial[key] = target.minutes
            initial[f"{key}_business"] = target.business
        return cls(data, initial=initial)

    def target_rows(self) -> list[dict]:
        """The targets grid for the template: one row per priority, one cell per metric."""
        return [
            {
                "priority": label,
                "cells": [
                    (self[target_field(p, m)], self[f"{target_field(p, m)}_business"])
                    for m in SlaMetric.values
                ],
            }
            for p, label in PRIORITY_CHOICES
        ]

    def spec(self) -> PolicySpec:
        data = self.cleaned_data
        targets = [
            TargetSpec(p, m, data[key], bool(data.get(f"{key}_business")))
            for p, _ in PRIORITY_CHOICES
            for m in SlaMetric.values
            if data.get(key := target_field(p, m)) is not None
        ]
        return PolicySpec(
            targets=targets,
            calendar=data["calendar"],
            at_risk_fraction=data["at_risk_fraction"],
            teams=[t.pk for t in data["teams"]],
            channels=list(data["channels"]),
            priorities=list(data["priorities"]),
            organizations=[o.pk for o in data["organizations"]],
            categories=[c.pk for c in data["categories"]],
            effective_from=data.get("effective_from"),
        )
