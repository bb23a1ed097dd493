"""Input fields take the bounds of their column (csops.bounds, issue 13 §4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
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
