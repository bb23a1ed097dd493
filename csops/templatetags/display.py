"""Template filters that show people and durations the same way on every page.

``{% load display %}`` then ``{{ ticket.assignee|display_name:"Unassigned" }}``,
``{{ minutes|duration }}`` and ``{{ age_days|duration_days }}``.
"""

from __future__ import annotations

from django import template

from csops import durations, people

register = template.Library()


@register.filter
def display_name(user, default: str = "") -> str:
    return people.display_name(user, default)


@register.filter
def duration(minutes, empty: str = durations.EMPTY) -> str:
    return durations.duration(minutes, empty=empty)


@register.filter
def duration_days(days, empty: str = durations.EMPTY) -> str:
    return durations.duration_days(days, empty=empty)
