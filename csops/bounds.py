"""Input fields take the bounds of the column they are stored in (issue 13 §4).

A number larger than its column (``recurrence_months=40000`` in a smallint, a weight of 1e30 in a
numeric(6, 2)) reached the database and answered 500. ``column_bounds(Model)`` is a class
decorator for a Django form or a DRF serializer: every integer or decimal field named like an
integer or decimal column of ``Model`` gets the column's range (PositiveSmallIntegerField
0..32767, IntegerField -2**31..2**31-1, ...; a DecimalField its digits), so the value is a field
error (form error, 400) before it reaches a service. ``bound_field`` does the same for fields a
form adds in ``__init__``. Bounds only ever tighten what a field already declares.

The same decorator keeps every date and datetime field within EARLIEST_DATE..LATEST_DATE: a
review period or a KPI range ending on 9999-12-31 overflowed the date arithmetic behind it
(the next day, a validity added to an issue date). tests/test_bounds.py checks every form and
every API request body.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from django import forms
from django.core import validators
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from rest_framework import serializers

T = TypeVar("T", bound=type)

# The ranges Django declares for each integer column type (the same on every database, so the
# embedded SQLite mode refuses what PostgreSQL would).
INTEGER_RANGES: dict[str, tuple[int, int]] = BaseDatabaseOperations.integer_field_ranges

# Full-text search reads the first SEARCH_INDEXED_CHARS characters of a text (a message, a
# policy body); the text itself is stored whole. PostgreSQL refuses a tsvector over 1 MB ("string
# is too long for tsvector"): 100,000 characters of distinct one-letter words make under 0.5 MB.
SEARCH_INDEXED_CHARS = 100_000

# Dates people type (periods, completions, expiries): beyond these the date arithmetic around
# them (a period's next day, a year's window) leaves Python's date range (year 9999).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)


def integer_range(column: models.Field) -> tuple[int, int] | None:
    return INTEGER_RANGES.get(column.get_internal_type())


def _tighter(current: Any, bound: Any, pick: Callable[[Any, Any], Any]) -> Any:
    return bound if current is None else pick(current, bound)


def _bound_form_field(field: forms.Field, column: models.Field) -> forms.Field:
    if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField):
        bounds = integer_range(column)
        if bounds is None:
            return field
        low, high = bounds
        # IntegerField's bounds are numbers here (forms take no callables for them).
        current_min: int | None = field.min_value  # type: ignore[assignment]
        current_max: int | None = field.max_value  # type: ignore[assignment]
        if current_min is None or current_min < low:
            field.min_value = low
            field.validators.append(validators.MinValueValidator(low))
        if current_max is None or current_max > high:
            field.max_value = high
            field.validators.append(validators.MaxValueValidator(high))
        field.widget.attrs.update(min=field.min_value, max=field.max_value)
    elif (
        isinstance(field, forms.DecimalField)
        and isinstance(column, models.DecimalField)
        and field.max_digits is None
    ):
        field.max_digits = column.max_digits
        field.decimal_places = _tighter(field.decimal_places, column.decimal_places, min)
        field.validators.append(validators.DecimalValidator(field.max_digits, field.decimal_places))
    return field


# Positional parameters of DRF's number fields, so a field can be rebuilt with keywords.
_POSITIONAL = {serializers.DecimalField: ("max_digits", "decimal_places", "coerce_to_string")}


def _bound_serializer_field(field: serializers.Field, column: models.Field) -> serializers.Field:
    # A DRF field is rebuilt from its arguments (deep copies of declared fields are too).
    names = _POSITIONAL.get(type(field), ())
    kwargs = {**dict(zip(names, field._args, strict=False)), **field._kwargs}
    if isinstance(field, serializers.IntegerField):
        bounds = integer_range(column)
        if bounds is None:
            return field
        kwargs["min_value"] = _tighter(kwargs.get("min_value"), bounds[0], max)
        kwargs["max_value"] = _tighter(kwargs.get("max_value"), bounds[1], min)
    elif isinstance(field, serializers.DecimalField) and isinstance(column, models.DecimalField):
        if field.max_digits is not None:
            return field
        kwargs["max_digits"] = column.max_digits
        kwargs["decimal_places"] = _tighter(field.decimal_places, column.decimal_places, min)
    else:
        return field
    return type(field)(**kwargs)


def bound_field(field: Any, column: models.Field) -> Any:
    """``field`` (a form or serializer field) limited to what ``column`` stores."""
    if isinstance(field, forms.Field):
        return _bound_form_field(field, column)
    return _bound_serializer_field(field, column)


_DATE_FIELDS = (
    forms.DateField,
    forms.DateTimeField,
    serializers.DateField,
    serializers.DateTimeField,
)


def bound_dates(field: Any) -> Any:
    """A date or datetime field that refuses values outside EARLIEST_DATE..LATEST_DATE."""
    if not isinstance(field, _DATE_FIELDS) or date_in_range in field.validators:
        return field
    if isinstance(field, forms.Field):
        field.validators.append(date_in_range)
        return field
    kwargs = {**field._kwargs, "validators": [*field._kwargs.get("validators", ()), date_in_range]}
    return type(field)(*field._args, **kwargs)


def _column(model: type[models.Model] | None, name: str) -> models.Field | None:
    """``model``'s column ``name``, or None (no such field, or a relation's reverse side)."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def column_bounds(model: type[models.Model] | None = None, **columns: str) -> Callable[[T], T]:
    """Class decorator: bound the integer and decimal fields of a form or serializer by
    ``model``'s columns of the same name (``columns`` maps other field names to columns), and
    every date or datetime field to EARLIEST_DATE..LATEST_DATE."""

    def decorate(cls: T) -> T:
        declared: dict[str, Any] = getattr(
            cls, "base_fields" if issubclass(cls, forms.BaseForm) else "_declared_fields"
        )
        for name, field in list(declared.items()):
            bounded = bound_dates(field)
            column = _column(model, columns.get(name, name))
            declared[name] = bounded if column is None else bound_field(bounded, column)
        return cls

    return decorate


def date_in_range(value: date) -> None:
    """A validator for dates and instants people type: within EARLIEST_DATE..LATEST_DATE."""
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            f"Enter a date between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}.",
            code="date_out_of_range",
        )
