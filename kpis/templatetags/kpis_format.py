"""Formatting of metric values for the dashboard (the UI rounds; storage never does, §1)."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import User

from csops import durations
from csops.people import display_name
from staffing.models import Team
from tickets.templatetags.labels import label_of

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
        return durations.duration_days(value)
    if unit == "minutes":
        return durations.duration(value)
    return f"{value}"


@register.filter
def change(value: float | int | None, unit: str) -> str:
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    body = f"{abs(value):.0f}" if unit == "score" else metric(abs(value), unit)
    if unit == "percent":
        body = body.replace(" %", " pts")
    return f"{sign}{body}"


AGE_BUCKETS = {
    "0-1d": "Under 1 day",
    "1-3d": "1–3 days",
    "3-7d": "3–7 days",
    "7-30d": "7–30 days",
    "30d+": "30 days or more",
}


@register.filter
def age_bucket(key: str) -> str:
    """A backlog age bucket's key (``kpis.stats.BACKLOG_BUCKETS``) as people read it."""
    return AGE_BUCKETS.get(key, key)


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


@register.filter
def filter_parts(f) -> list[str]:
    """The filter's team, agent, channel and priority as people read them ("Team Billing",
    "Agent Rita Reyes", "Web form", "High priority")."""
    parts = []
    if f.team:
        team = Team.objects.filter(pk=f.team).values_list("name", flat=True).first()
        parts.append(f"Team {team or f'#{f.team}'}")
    if f.agent == "unassigned":
        parts.append("Unassigned")
    elif f.agent:
        agent = User.objects.filter(pk=f.agent).first()
        parts.append(f"Agent {display_name(agent, f'#{f.agent}')}")
    if f.channel:
        parts.append(label_of(f.channel, "channel"))
    if f.priority:
        parts.append(f"{label_of(f.priority, 'priority')} priority")
    return parts
