from __future__ import annotations

from django import template

from tickets.bulk.selectors import BulkChoices, bulk_choices

register = template.Library()


@register.simple_tag(takes_context=True)
def bulk_form_choices(context) -> BulkChoices:
    return bulk_choices(context["request"].user)
