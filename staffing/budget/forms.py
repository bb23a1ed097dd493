"""Budget forms: the fiscal year, a role's loaded cost, a new line, a line's twelve months,
the actuals CSV, and the staffing plan's what-if (extra hires from a month)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms

from csops.bounds import column_bounds
from staffing.budget.models import CostCategory, CostRole

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]
MAX = Decimal("9999999999.99")


def month_field(**kwargs) -> forms.DateField:
    return forms.DateField(
        input_formats=MONTH_FORMATS,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        **kwargs,
    )


def money(**kwargs) -> forms.DecimalField:
    return forms.DecimalField(min_value=0, max_value=MAX, decimal_places=2, **kwargs)


@column_bounds()  # dates within the supported range
class BudgetForm(forms.Form):
    fiscal_year = forms.IntegerField(label="Fiscal year (FY)", min_value=2000, max_value=2100)
    first_month = month_field(label="First month", help_text="The month the fiscal year starts.")
    note = forms.CharField(max_length=200, required=False)

    def clean_first_month(self) -> date:
        return self.cleaned_data["first_month"].replace(day=1)


class RoleCostForm(forms.Form):
    role = forms.ChoiceField(choices=CostRole.choices)
    monthly_cost = forms.DecimalField(
        label="Loaded cost per month",
        help_text="Salary, taxes and benefits.",
        min_value=0,
        max_value=Decimal("99999999.99"),
        decimal_places=2,
    )


class TeamChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class LineForm(forms.Form):
    category = forms.ChoiceField(choices=CostCategory.choices)
    label = forms.CharField(max_length=120, label="Name")
    team = TeamChoice(queryset=None, required=False, empty_label="Department-wide")
    role = forms.ChoiceField(
        choices=[("", "—"), *CostRole.choices],
        required=False,
        help_text="Salaries lines: whose salaries (headcount × the role's loaded cost).",
    )

    def __init__(self, *args, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def clean(self) -> dict:
        data = super().clean()
        if data.get("category") == CostCategory.SALARIES and not data.get("role"):
            self.add_error("role", "A salaries line names the role it pays.")
        return data


class LineMonthsForm(forms.Form):
    """``planned_<i>`` (headcount for salaries) and ``actual_<i>`` for month i = 0..11."""

    def __init__(self, *args, months: list[date], salaries: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.months = months
        for i, m in enumerate(months):
            label = f"{m:%b %Y}"
            self.fields[f"planned_{i}"] = forms.DecimalField(
                label=f"{label} {'headcount (FTE)' if salaries else 'planned'}",
                min_value=0,
                max_value=Decimal("9999.99") if salaries else MAX,
                decimal_places=2,
            )
            self.fields[f"actual_{i}"] = money(label=f"{label} actual", required=False)

    def rows(self) -> list[tuple[date, forms.BoundField, forms.BoundField]]:
        return [(m, self[f"planned_{i}"], self[f"actual_{i}"]) for i, m in enumerate(self.months)]

    def values(self) -> tuple[dict, dict]:
        c = self.cleaned_data
        planned = {m: c[f"planned_{i}"] for i, m in enumerate(self.months)}
        actual = {m: c[f"actual_{i}"] for i, m in enumerate(self.months)}
        return planned, actual


class ActualsImportForm(forms.Form):
    file = forms.FileField(
        help_text="CSV: month,category,line,team,actual (e.g. 2026-03,Tools,Help desk seats,,1200)."
    )

    MAX_BYTES = 256 * 1024

    def clean_file(self) -> str:
        f = self.cleaned_data["file"]
        if f.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 256 KB.")
        raw = f.read()
        if b"\x00" in raw:
            raise forms.ValidationError("This is not a CSV text file.")
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file must be UTF-8 text.") from None


@column_bounds()  # dates within the supported range
class HiresForm(forms.Form):
    team = TeamChoice(queryset=None, empty_label=None)
    hires = forms.IntegerField(label="Extra reps hired", min_value=0, max_value=500, initial=0)
    hires_from = month_field(label="From month", required=False)

    def __init__(self, *args, teams, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def clean_hires_from(self) -> date | None:
        m = self.cleaned_data.get("hires_from")
        return m.replace(day=1) if m else None
