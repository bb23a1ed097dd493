"""Template filters that show people and durations the same way on every page.

``{% load display %}`` then ``{{ ticket.assignee|display_name:"Unassigned" }}`` (customers'
pages: ``{{ event.actor|public_name:"Support team" }}``, never a username),
``{{ minutes|duration }}``, ``{{ age_days|duration_days }}`` and ``{{ created_at|age }}``
(the time since an instant, in the same format: "3.2 d").
"""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

from csops import durations, people

register = template.Library()


@register.filter
def display_name(user, default: str = "") -> str:
    return people.display_name(user, default)


@register.filter
def public_name(user, default: str = "") -> str:
    return people.public_name(user, default)


@register.filter
def duration(minutes, empty: str = durations.EMPTY) -> str:
    return durations.duration(minutes, empty=empty)


@register.filter
def duration_days(days, empty: str = durations.EMPTY) -> str:
    return durations.duration_days(days, empty=empty)


@register.filter
def age(instant: datetime | None, empty: str = durations.EMPTY) -> str:
    """The time elapsed since ``instant``, in the one duration format."""
    if instant is None:
        return empty
    return durations.duration((timezone.now() - instant).total_seconds() / 60, empty=empty)
