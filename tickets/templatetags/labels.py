"""Human labels for stored values that a page shows outside their model (a metrics row's
status, a filter's channel, an SLA metric): ``{% load labels %}`` then
``{{ row.status|label:"status" }}``. The labels are the model choices' own."""

from __future__ import annotations

from django import template
from django.db.models import TextChoices

from policies.models import SlaMetric
from tickets.models import Channel, Priority, Status
from tickets.models.events import EventType

register = template.Library()

CHOICES: dict[str, type[TextChoices]] = {
    "status": Status,
    "channel": Channel,
    "priority": Priority,
    "sla_metric": SlaMetric,
    "event": EventType,
}


def label_of(value: object, kind: str) -> str:
    """The choice's label; an unknown value reads as itself, capitalised and spaced."""
    if value is None or value == "":
        return ""
    try:
        return str(CHOICES[kind](value).label)
    except ValueError:
        return str(value).replace("_", " ").capitalize()


@register.filter
def label(value: object, kind: str) -> str:
    return label_of(value, kind)
