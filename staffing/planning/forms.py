"""The what-if controls (percent in the form, fractions in ``Params``) and the scenario name."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from staffing.planning.requirement import Params

PCT = Decimal("0.01")


class WhatIfForm(forms.Form):
    week = forms.IntegerField(label="Heat map week", min_value=1, max_value=12, initial=1)
    growth_percent = forms.DecimalField(
        label="Volume growth %", min_value=-90, max_value=500, decimal_places=1, initial=0
    )
    service_level = forms.DecimalField(
        label="Service level %", min_value=1, max_value=Decimal("99.9"), decimal_places=1
    )
    answer_seconds = forms.IntegerField(label="Answered within (s)", min_value=1, max_value=3600)
    shrinkage = forms.DecimalField(label="Shrinkage %", min_value=0, max_value=90, decimal_places=1)
    max_occupancy = forms.DecimalField(
        label="Occupancy cap %", min_value=10, max_value=100, decimal_places=1
    )
    reply_target_hours = forms.IntegerField(
        label="Reply window (h, deferred)", min_value=1, max_value=168
    )

    def __init__(self, *args, channels: list[str], labels: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.channels = channels
        for ch in channels:
            self.fields[f"aht_{ch}"] = forms.IntegerField(
                label=f"AHT {labels.get(ch, ch)} (s)", min_value=5, max_value=14400
            )

    @staticmethod
    def initial_from(params: Params, channels: list[str]) -> dict:
        data = {
            "week": 1,
            "growth_percent": params.growth_percent,
            "service_level": params.service_level * 100,
            "answer_seconds": params.answer_seconds,
            "shrinkage": params.shrinkage * 100,
            "max_occupancy": params.max_occupancy * 100,
            "reply_target_hours": params.reply_target_hours,
        }
        data |= {f"aht_{ch}": params.aht.get(ch) for ch in channels}
        return {k: (v.normalize() if isinstance(v, Decimal) else v) for k, v in data.items()}

    def params(self, base: Params) -> Params:
        c = self.cleaned_data
        return Params(
            growth_percent=c["growth_percent"],
            aht={ch: c[f"aht_{ch}"] for ch in self.channels},
            service_level=(c["service_level"] * PCT).normalize(),
            answer_seconds=c["answer_seconds"],
            shrinkage=(c["shrinkage"] * PCT).normalize(),
            max_occupancy=(c["max_occupancy"] * PCT).normalize(),
            reply_target_hours=c["reply_target_hours"],
            hours_per_fte=base.hours_per_fte,
        )


class ScenarioForm(forms.Form):
    # Kept as typed when a what-if change redraws the results around it (htmx hx-preserve):
    # leaving an AHT box for this one fires that change.
    name = forms.CharField(
        max_length=120,
        label="Scenario name",
        widget=forms.TextInput(attrs={"hx-preserve": "true"}),
    )
