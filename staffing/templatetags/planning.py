"""Small filters of the planning pages."""

from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def index(seq, i):
    return seq[i]


@register.filter
def pct(value) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


@register.filter
def sum_values(values) -> float:
    return sum(values)


@register.filter
def max_value(values) -> int:
    return max(values, default=0)


@register.filter
def add_days(day, n):
    return day + timedelta(days=int(n))


@register.filter
def heat(value, peak) -> str:
    """0..1 intensity of a heat-map cell."""
    return f"{min(1.0, (value or 0) / (peak or 1)):.2f}"


@register.filter
def total_hours(totals) -> float:
    return sum(row.get("agent_hours", 0) for row in totals or [])
