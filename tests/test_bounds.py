"""Input fields take the bounds of their column (csops.bounds, issue 13 §4)."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from csops.bounds import bound_field, column_bounds, date_in_range
from policies.models import SlaPolicyTarget
from staffing.models import Course, QACriterion


@column_bounds(Course, months="recurrence_months")
class CourseishForm(forms.Form):
    recurrence_months = forms.IntegerField(min_value=1, required=False)
    due_within_days = forms.IntegerField(max_value=90, required=False)  # tighter: kept
    months = forms.IntegerField(required=False)
    hours = forms.DecimalField(required=False)
    title = forms.CharField(required=False)


@column_bounds(QACriterion)
class CriterionishInput(serializers.Serializer):
    weight = serializers.DecimalField(None, 2, required=False)
    max_score = serializers.IntegerField(min_value=1, required=False)
    fail_below = serializers.IntegerField(required=False)


def test_form_integer_fields_get_the_column_range_and_keep_tighter_bounds():
    fields = CourseishForm().fields
    assert (fields["recurrence_months"].min_value, fields["recurrence_months"].max_value) == (
        1,
        32767,
    )
    assert (fields["due_within_days"].min_value, fields["due_within_days"].max_value) == (0, 90)
    assert fields["months"].max_value == 32767
    assert (fields["hours"].max_digits, fields["hours"].decimal_places) == (6, 2)
    assert fields["recurrence_months"].widget.attrs["max"] == 32767


def test_form_refuses_a_number_beyond_its_column_with_a_field_error():
    form = CourseishForm({"recurrence_months": "40000", "months": "-1", "hours": "1e30"})
    assert form.errors == {
        "recurrence_months": ["Ensure this value is less than or equal to 32767."],
        "months": ["Ensure this value is greater than or equal to 0."],
        "hours": ["Ensure that there are no more than 6 digits in total."],
    }


def test_serializer_fields_are_rebuilt_with_the_column_bounds():
    s = CriterionishInput(data={"weight": "1e30", "max_score": 2**40, "fail_below": 40000})
    assert not s.is_valid()
    assert s.errors == {
        "weight": ["Ensure that there are no more than 6 digits in total."],
        "max_score": ["Ensure this value is less than or equal to 32767."],
        "fail_below": ["Ensure this value is less than or equal to 32767."],
    }
    fields = CriterionishInput().fields
    assert (fields["max_score"].min_value, fields["max_score"].max_value) == (1, 32767)
    ok = CriterionishInput(data={"weight": "2.5", "max_score": 5, "fail_below": 1})
    assert ok.is_valid(), ok.errors
    assert ok.validated_data["weight"] == Decimal("2.5")


def test_bound_field_limits_a_field_added_at_run_time():
    minutes = SlaPolicyTarget._meta.get_field("minutes")
    field = bound_field(forms.IntegerField(min_value=1), minutes)
    assert (field.min_value, field.max_value) == (1, 2**31 - 1)
    with pytest.raises(ValidationError):
        field.clean(str(2**40))


@pytest.mark.parametrize(
    ("value", "ok"),
    [(date(2026, 1, 1), True), (date(9999, 12, 31), False), (date(1, 1, 1), False)],
)
def test_dates_people_type_stay_within_the_supported_range(value, ok):
    if ok:
        date_in_range(value)
    else:
        with pytest.raises(ValidationError, match="between 1900-01-01 and 2999-12-31"):
            date_in_range(value)


# --- Every form and every API request body ----------------------------------------------------

# Fields that name another row by its id (or a version number compared in Python): a lookup
# with an id beyond its column finds nothing (Django answers "does not exist"), it never
# reaches a column as a value.
REFERENCES = {
    "alert",
    "article",
    "budget",
    "criterion",
    "incident",
    "macro",
    "requisition",
    "scenario",
    "step",
    "team",
    "ticket",
    "tickets",
    "user",
    "version",  # a row's version, compared with the stored one
    "a",
    "b",
}
APPS = ("csops", "tickets", "policies", "staffing", "kpis")
DATE_FIELDS = (
    forms.DateField,
    forms.DateTimeField,
    serializers.DateField,
    serializers.DateTimeField,
)


def _app_classes(base: type) -> list[type]:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)
    found, todo = [], [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in APPS:
                found.append(sub)
    return found


def _unbounded(fields: dict) -> list[str]:
    problems = []
    for name, field in fields.items():
        if getattr(field, "read_only", False) or name in REFERENCES:
            continue
        if isinstance(field, forms.DecimalField | serializers.DecimalField):
            if field.max_digits is None and field.max_value is None:
                problems.append(f"{name}: decimal without max_digits")
        elif isinstance(field, forms.IntegerField | serializers.IntegerField):
            if field.max_value is None:
                problems.append(f"{name}: integer without max_value")
        elif isinstance(field, DATE_FIELDS):
            if date_in_range not in field.validators:
                problems.append(f"{name}: date without date_in_range")
        elif isinstance(field, serializers.ListSerializer | serializers.ListField):
            child = getattr(field, "child", None)
            child_fields = child.fields if isinstance(child, serializers.Serializer) else {}
            problems += [f"{name}.{p}" for p in _unbounded(child_fields)]
        elif isinstance(field, serializers.Serializer):
            problems += [f"{name}.{p}" for p in _unbounded(field.fields)]
    return problems


def test_every_form_bounds_its_numbers_and_dates():
    problems = {}
    for form in _app_classes(forms.BaseForm):
        if issubclass(form, forms.ModelForm):
            continue  # the model's own validators bound them (full_clean)
        if found := _unbounded(form.base_fields):
            problems[f"{form.__module__}.{form.__name__}"] = found
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_every_api_request_body_bounds_its_numbers_and_dates():
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    bodies = {
        ref.rsplit("/", 1)[-1]
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict)
        for content in operation.get("requestBody", {}).get("content", {}).values()
        for ref in [content["schema"].get("$ref", "")]
        if ref
    }
    problems = {}
    for (name, _), component in generator.registry._components.items():
        serializer = component.object
        if name not in bodies or not isinstance(serializer, serializers.Serializer):
            continue
        if found := _unbounded(serializer.fields):
            problems[name] = found
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
