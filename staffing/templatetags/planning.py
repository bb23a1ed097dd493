"""Small filters of the planning pages."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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


@register.simple_tag
def heatmap_rows(cells, times, peak):
    """The heat map's body: one row per half hour of the day, ``required/scheduled`` per day.

    Built here rather than by a template loop: its 336 cells through the template engine
    were most of the planning page's time. The HTML is the same as the loop's (a test renders
    both); numbers go through ``localize``, as ``{{ n }}`` would."""
    shown: dict[tuple, str] = {}  # many cells repeat (nights, weekends): built once each

    def cell(r, s, state) -> str:
        key = (r, s, state)
        if key not in shown:
            mark = f' class="{conditional_escape(state)}"' if state else ""
            rt, st = conditional_escape(localize(r)), conditional_escape(localize(s))
            body = f"{rt}/{st}" if r or s else ""
            shown[key] = (
                f'<td style="--heat: {conditional_escape(heat(r, peak))}"{mark}'
                f' title="required {rt}, scheduled {st}">{body}</td>'
            )
        return shown[key]

    out = []
    for i, row in enumerate(cells):
        out.append(f"<tr><th>{conditional_escape(times[i])}</th>")
        out.extend(cell(r, s, state) for r, s, state in row)
        out.append("</tr>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
