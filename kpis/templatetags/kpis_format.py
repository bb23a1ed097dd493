"""Formatting of metric values for the dashboard (the UI rounds; storage never does, §1)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def metric(value: float | int | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "count":
        return f"{int(value):,}"
    if unit == "percent":
        return f"{value:.1f} %"
    if unit == "score":
        return f"{value:+.0f}"
    if unit == "days":
        return f"{value:.1f} d"
    if unit == "minutes":
        if abs(value) >= 120:
            return f"{value / 60:.1f} h"
        return f"{value:.1f} min"
    return f"{value}"


@register.filter
def change(value: float | int | None, unit: str) -> str:
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    body = metric(abs(value), unit)
    if unit == "percent":
        body = body.replace(" %", " pts")
    return f"{sign}{body}"


@register.filter
def get(mapping: dict, key: object) -> object:
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def qs_with(context, **overrides: object) -> str:
    """The current query string with some parameters replaced (None removes)."""
    params = context["request"].GET.copy()
    for key, value in overrides.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    params.pop("page", None)
    return params.urlencode()
