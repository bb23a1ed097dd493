"""Saving a form through a service: the service's refusal becomes the form's errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms

from csops.errors import InvalidInput

T = TypeVar("T")


def save_form(form: forms.Form, save: Callable[..., T]) -> T | None:
    """Call ``save`` with the form's values; a rule the service refuses becomes form errors
    (on the field it names, else the form's own). None when the form or the service refused."""
    if not form.is_valid():
        return None
    try:
        return save(**form.cleaned_data)
    except InvalidInput as exc:
        for name, errors in exc.fields.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
        return None
